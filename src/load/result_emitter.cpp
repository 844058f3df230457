#include "result_emitter.hpp"

#include <cerrno>
#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::detail::load {

namespace {

std::string_view withoutLineEnd(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  return raw;
}

void openOutput(std::ofstream& out, const std::string& path) {
  if (path.empty()) return;
  errno = 0;
  out.open(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw FileError("load: cannot create the result file '" + path + "'" +
                        (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()),
                    path);
  }
}

void checkWritten(const std::ofstream& out, const std::string& path) {
  if (out.is_open() && !out) {
    throw FileError("load: writing the result file '" + path + "' failed (disk full?)", path);
  }
}

std::string joinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& field : fields) {
    if (!out.empty()) out.push_back(',');
    out += field;
  }
  return out;
}

std::vector<std::string> splitFields(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(text.substr(start, comma - start));
  }
  out.push_back(text.substr(start));
  return out;
}

}  // namespace

std::string formatErrors(const std::vector<RecordError>& errors) {
  std::string out;
  for (const auto& error : errors) {
    if (!out.empty()) out.push_back('\n');
    out += error.statusCode + ":" + error.message + ":" + joinFields(error.fields) + " --";
  }
  return out;
}

ResultEmitter::ResultEmitter(const LoadOptions& options, LoadResult& result, const SpoolDir& spool)
    : options_(options), result_(result), spoolDir_(spool) {
  // Opened up front so that an unwritable path fails before anything is sent.
  openOutput(success_, options_.successFile);
  openOutput(error_, options_.errorFile);
}

ResultEmitter::~ResultEmitter() = default;

void ResultEmitter::deliver(std::uint64_t index, const std::string& rowsPath,
                            std::vector<RowResult> rows) {
  deliver(index, rowsPath, std::move(rows), {});
}

void ResultEmitter::deliver(std::uint64_t index, const std::string& rowsPath,
                            std::vector<RowResult> rows, const std::vector<std::size_t>& pending) {
  if (index != next_ || !pending.empty()) {
    spool(index, rowsPath, rows);
    waiting_[index].pending = pending.size();
    drain();
    return;
  }
  emit(rowsPath, rows);
  ++next_;
  drain();
}

void ResultEmitter::settle(std::uint64_t index, std::size_t offset, RowResult row) {
  const auto it = waiting_.find(index);
  if (it == waiting_.end() || it->second.pending == 0 || it->second.settled.count(offset) != 0) {
    throw Error("load: a retried row of batch " + std::to_string(index) +
                " has no outcome waiting for it");
  }
  it->second.settled.emplace(offset, std::move(row));
  --it->second.pending;
  drain();
}

void ResultEmitter::settleRemaining() {
  for (auto& entry : waiting_) entry.second.pending = 0;
  drain();
}

void ResultEmitter::drain() {
  for (auto it = waiting_.find(next_); it != waiting_.end() && it->second.pending == 0;
       it = waiting_.find(next_)) {
    Waiting waiting = std::move(it->second);
    waiting_.erase(it);
    std::vector<RowResult> spooled = unspool(waiting.resultsPath);
    SpoolDir::remove(waiting.resultsPath);
    for (auto& [offset, row] : waiting.settled) {
      if (offset < spooled.size()) spooled[offset] = std::move(row);
    }
    emit(waiting.rowsPath, spooled);
    ++next_;
  }
}

void ResultEmitter::emit(const std::string& rowsPath, const std::vector<RowResult>& rows) {
  writeFiles(rowsPath, rows);
  // The input rows served only the result files; once written they are not needed.
  SpoolDir::remove(rowsPath);
  for (const auto& row : rows) {
    if (row.notProcessed) {
      ++result_.notProcessed;
    } else if (row.success) {
      ++result_.succeeded;
    } else {
      ++result_.failed;
    }
    if (options_.onResult) options_.onResult(row);
    if (options_.keepResults) result_.rows.push_back(row);
  }
}

void ResultEmitter::writeFiles(const std::string& rowsPath, const std::vector<RowResult>& rows) {
  if (!success_.is_open() && !error_.is_open()) return;
  if (rowsPath.empty()) throw Error("load: the input rows of a batch were not kept");
  std::ifstream in(rowsPath, std::ios::binary);
  if (!in) throw Error("load: cannot read the spooled rows '" + rowsPath + "'");
  CsvReader reader(in);
  std::vector<std::string> fields;
  if (!reader.next(fields)) throw Error("load: the spooled rows '" + rowsPath + "' are empty");
  if (!headerWritten_) {
    const std::string_view header = withoutLineEnd(reader.rawRow());
    if (success_.is_open()) success_ << header << ",sf__Id,sf__Created\n";
    if (error_.is_open()) error_ << header << ",sf__Error\n";
    headerWritten_ = true;
  }
  std::string line;
  for (const auto& row : rows) {
    if (!reader.next(fields)) {
      throw Error("load: the spooled rows '" + rowsPath + "' end before row " +
                  std::to_string(row.row));
    }
    line.assign(withoutLineEnd(reader.rawRow()));
    line.push_back(',');
    if (row.success && !row.notProcessed) {
      if (!success_.is_open()) continue;
      appendCsvField(line, row.id);
      line += row.created ? ",true\n" : ",false\n";
      success_ << line;
    } else {
      if (!error_.is_open()) continue;
      appendCsvField(line, formatErrors(row.errors));
      line.push_back('\n');
      error_ << line;
    }
  }
  checkWritten(success_, options_.successFile);
  checkWritten(error_, options_.errorFile);
}

void ResultEmitter::spool(std::uint64_t index, const std::string& rowsPath,
                          const std::vector<RowResult>& rows) {
  const std::string path = spoolDir_.create("b" + std::to_string(index) + ".results");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string line;
  std::vector<std::string> cells;
  for (const auto& row : rows) {
    cells.clear();
    cells.push_back(std::to_string(row.row));
    cells.push_back(row.id);
    cells.push_back(row.success ? "1" : "0");
    cells.push_back(row.created ? "1" : "0");
    cells.push_back(row.notProcessed ? "1" : "0");
    for (const auto& error : row.errors) {
      cells.push_back(error.statusCode);
      cells.push_back(error.message);
      cells.push_back(joinFields(error.fields));
    }
    line.clear();
    appendCsvRow(line, cells);
    out << line;
  }
  out.close();
  if (!out) throw Error("load: writing the spool file '" + path + "' failed (disk full?)");
  waiting_[index] = Waiting{rowsPath, path, 0, {}};
}

std::vector<RowResult> ResultEmitter::unspool(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("load: cannot read the spool file '" + path + "'");
  CsvReader reader(in);
  std::vector<RowResult> rows;
  std::vector<std::string> cells;
  while (reader.next(cells)) {
    if (cells.size() < 5 || (cells.size() - 5) % 3 != 0) {
      throw Error("load: the spool file '" + path + "' is damaged");
    }
    RowResult row;
    row.row = std::stoull(cells[0]);
    row.id = cells[1];
    row.success = cells[2] == "1";
    row.created = cells[3] == "1";
    row.notProcessed = cells[4] == "1";
    for (std::size_t i = 5; i < cells.size(); i += 3) {
      row.errors.push_back(RecordError{cells[i], cells[i + 1], splitFields(cells[i + 2])});
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void ResultEmitter::finish() {
  if (!waiting_.empty()) {
    throw Error("load: results of batch " + std::to_string(waiting_.begin()->first) +
                " are waiting for batch " + std::to_string(next_));
  }
  const std::pair<std::ofstream*, const std::string*> outputs[] = {
      {&success_, &options_.successFile}, {&error_, &options_.errorFile}};
  for (const auto& [out, path] : outputs) {
    if (!out->is_open()) continue;
    out->close();
    if (!*out) {
      throw FileError("load: writing the result file '" + *path + "' failed (disk full?)", *path);
    }
  }
}

}  // namespace sfdc::bulk::detail::load
