#include "lock_retry.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

#include "body_digest.hpp"

namespace sfdc::bulk::detail::load {

namespace {

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t countChars(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// The records of a spooled body at `offsets` (ascending), and for CSV its header row.
std::vector<std::string> bodyRecords(const std::string& path, ContentType contentType,
                                     const std::vector<std::size_t>& offsets, std::string& header) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("load: cannot read the spooled batch '" + path + "' for a lock retry");
  std::vector<std::string> out;
  out.reserve(offsets.size());
  if (contentType == ContentType::CSV) {
    CsvReader reader(in);
    std::vector<std::string> fields;
    if (!reader.next(fields)) throw Error("load: the spooled batch '" + path + "' is empty");
    header.assign(reader.rawRow());
    std::size_t at = 0;
    for (const std::size_t offset : offsets) {
      for (; at <= offset; ++at) {
        if (!reader.next(fields)) {
          throw Error("load: the spooled batch '" + path + "' ends before record " +
                      std::to_string(offset + 1));
        }
      }
      out.emplace_back(reader.rawRow());
    }
    return out;
  }
  // A JSON body is one array of records; it was at most one batch's size to begin with.
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json records = nlohmann::json::parse(text, nullptr, false);
  if (!records.is_array()) throw Error("load: the spooled batch '" + path + "' is damaged");
  for (const std::size_t offset : offsets) {
    if (offset >= records.size()) {
      throw Error("load: the spooled batch '" + path + "' ends before record " +
                  std::to_string(offset + 1));
    }
    out.push_back(records[offset].dump());
  }
  return out;
}

}  // namespace

bool isLockFailure(const RowResult& row) {
  if (row.success || row.notProcessed) return false;
  return std::any_of(row.errors.begin(), row.errors.end(),
                     [](const RecordError& error) { return error.statusCode == kLockErrorCode; });
}

bool isLockFailedBatch(const BatchInfo& info) {
  if (info.state != BatchState::Failed || info.numberRecordsProcessed > 0) return false;
  const std::string message = lowerAscii(info.stateMessage);
  return message.find("toomanylockfailure") != std::string::npos ||
         message.find("too many lock failure") != std::string::npos;
}

std::vector<std::size_t> lockRetryOffsets(const BatchInfo& info,
                                          const std::vector<RowResult>& rows) {
  // A batch that failed before processing anything wrote nothing: each of its rows is
  // unprocessed and safe to send again. Any other unprocessed row may belong to a batch
  // that wrote part of its records, so it is left as it is.
  const bool wholeBatch = isLockFailedBatch(info);
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (isLockFailure(rows[i]) || (wholeBatch && rows[i].notProcessed)) offsets.push_back(i);
  }
  return offsets;
}

bool supportsLockRetry(ContentType contentType) {
  return contentType == ContentType::CSV || contentType == ContentType::JSON;
}

LockRetryQueue::LockRetryQueue(ContentType contentType, BatchLimits limits, int rounds,
                               const SpoolDir& spool)
    : contentType_(contentType), limits_(limits), rounds_(rounds), spool_(spool) {}

LockRetryQueue::~LockRetryQueue() {
  nextOut_.close();
  currentIn_.close();
  if (!nextPath_.empty()) SpoolDir::remove(nextPath_);
  if (!currentPath_.empty()) SpoolDir::remove(currentPath_);
}

void LockRetryQueue::add(const std::string& bodyPath, const std::vector<std::size_t>& offsets,
                         const std::vector<RetryOrigin>& origins) {
  if (offsets.empty() || !accepting()) return;
  std::string header;
  const std::vector<std::string> records = bodyRecords(bodyPath, contentType_, offsets, header);
  // Every batch of a CSV load carries the same header; a body with another one (a custom
  // serializer choosing columns per batch) cannot share a retry body with the others.
  if (contentType_ == ContentType::CSV) {
    if (header_.empty()) header_ = header;
    if (header != header_) {
      throw Error(
          "load: batches of this load have different CSV headers; rows failed for a "
          "lock cannot be retried together");
    }
  }
  if (!nextOut_.is_open()) {
    nextPath_ = spool_.create("lock-retry-" + std::to_string(round_ + 1) + ".rows");
    nextOut_.open(nextPath_, std::ios::binary | std::ios::trunc);
    if (!nextOut_) throw Error("load: cannot create the spool file '" + nextPath_ + "'");
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    nextOut_.write(records[i].data(), static_cast<std::streamsize>(records[i].size()));
    nextEntries_.push_back(Entry{origins.at(i), records[i].size()});
  }
  if (!nextOut_) throw Error("load: writing the spool file '" + nextPath_ + "' failed");
  waiting_ += records.size();
}

void LockRetryQueue::startRound() {
  currentIn_.close();
  if (!currentPath_.empty()) SpoolDir::remove(currentPath_);
  nextOut_.close();
  if (!nextOut_) throw Error("load: writing the spool file '" + nextPath_ + "' failed");
  currentPath_ = std::move(nextPath_);
  nextPath_.clear();
  currentEntries_ = std::move(nextEntries_);
  nextEntries_.clear();
  currentPos_ = 0;
  currentIn_.open(currentPath_, std::ios::binary);
  if (!currentIn_) throw Error("load: cannot read the spool file '" + currentPath_ + "'");
  ++round_;
}

std::optional<RetryBatch> LockRetryQueue::next(std::uint64_t index) {
  if (currentPos_ >= currentEntries_.size()) {
    if (nextEntries_.empty()) return std::nullopt;
    startRound();
  }
  RetryBatch out;
  SplitBatch& split = out.split;
  split.index = index;
  split.bodyPath = spool_.create("b" + std::to_string(index) + ".body");
  std::ofstream body(split.bodyPath, std::ios::binary | std::ios::trunc);
  if (!body) throw Error("load: cannot create the spool file '" + split.bodyPath + "'");
  BodyDigest digest;
  const auto write = [&](std::string_view bytes) {
    body.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    digest.update(bytes);
    split.bodyBytes += bytes.size();
  };
  const bool csv = contentType_ == ContentType::CSV;
  write(csv ? std::string_view(header_) : std::string_view("["));
  const std::size_t trailer = csv ? 0 : 1;
  std::size_t chars = countChars(csv ? header_ : std::string("["));
  std::string record;
  while (currentPos_ < currentEntries_.size() && split.rowCount < limits_.maxRecords) {
    const Entry& entry = currentEntries_[currentPos_];
    record.resize(entry.bytes);
    const std::streampos mark = currentIn_.tellg();
    currentIn_.read(record.data(), static_cast<std::streamsize>(entry.bytes));
    if (!currentIn_) throw Error("load: reading the spool file '" + currentPath_ + "' failed");
    const std::size_t separator = !csv && split.rowCount > 0 ? 1 : 0;
    const std::size_t recordChars = countChars(record);
    // Each row fitted in a batch of its own before, so a body never starts too large.
    if (split.rowCount > 0 &&
        (split.bodyBytes + separator + record.size() + trailer > limits_.maxBytes ||
         chars + separator + recordChars + trailer > limits_.maxCharacters)) {
      currentIn_.seekg(mark);
      break;
    }
    if (separator != 0) write(",");
    write(record);
    chars += separator + recordChars;
    out.origins.push_back(entry.origin);
    if (split.rowCount == 0) split.firstRow = entry.origin.row;
    split.rows.push_back(entry.origin.row);
    ++split.rowCount;
    ++currentPos_;
  }
  if (!csv) write("]");
  body.close();
  if (!body) throw Error("load: writing the spool file '" + split.bodyPath + "' failed");
  split.bodyDigest = digest.value();
  waiting_ -= split.rowCount;
  return out;
}

}  // namespace sfdc::bulk::detail::load
