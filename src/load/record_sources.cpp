// The stock RecordSource readers. CSV sources hand out each row's exact bytes next to its
// parsed fields, so a CSV file loaded into a CSV job is copied into batches unchanged
// (no re-encoding that could alter quoting, spaces or line breaks inside values).

#include "record_sources.hpp"

#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sfdc::bulk {

namespace detail::load {

nlohmann::json csvRowToRecord(const std::vector<std::string>& header,
                              const std::vector<std::string>& fields) {
  nlohmann::json record = nlohmann::json::object();
  const std::size_t n = std::min(header.size(), fields.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (fields[i].empty()) continue;
    if (fields[i] == kCsvNull) {
      record[header[i]] = nullptr;
    } else {
      record[header[i]] = fields[i];
    }
  }
  return record;
}

std::string scalarCell(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return std::string(kCsvNull);
    case nlohmann::json::value_t::string:
      return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    default:
      return value.dump();
  }
}

}  // namespace detail::load

namespace {

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Errors in the input are the caller's to fix, so they are InvalidArgument (the CSV
// reader's ParseError is for server responses) and name the file and the row as the load
// results count them: data rows from 1, the header not counted.
//
// After an error in a data row, the next call reads the row after it. A quote never
// closed takes the rest of the input with it, and an error in the header leaves nothing
// that can be read as records: after those, nextCsvRow returns false.
class CsvSourceReader final : public RecordSource::Reader {
 public:
  CsvSourceReader(std::unique_ptr<std::istream> owned, std::istream& in, std::string path,
                  char delimiter = ',')
      : owned_(std::move(owned)), csv_(in, 1 << 16, delimiter), path_(std::move(path)) {}

  std::string sourcePath() const override { return path_; }

  const std::vector<std::string>& csvHeader() override {
    readHeader();
    return header_;
  }

  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override {
    readHeader();
    if (headerFailed_) return false;
    try {
      if (!csv_.next(fields)) return false;
    } catch (const CsvSyntaxError& e) {
      // The offending row's bytes, for a report of what was not sent.
      raw.assign(csv_.rawRow());
      throw InvalidArgument(where() + "CSV row " + std::to_string(e.row() - 1) + ", column " +
                            std::to_string(e.column()) + ": " + e.reason());
    }
    if (reencodes()) {
      // Batches take commas only; the cells are the input's.
      raw.clear();
      appendCsvRow(raw, fields);
    } else {
      raw.assign(csv_.rawRow());
    }
    if (fields.size() != header_.size()) {
      throw InvalidArgument(where() + "CSV row " + std::to_string(csv_.rowNumber() - 1) + " has " +
                            std::to_string(fields.size()) + " fields but the header has " +
                            std::to_string(header_.size()));
    }
    if (reencodes()) lastFields_ = fields;
    return true;
  }

  bool nextRecord(nlohmann::json& record) override {
    if (!nextCsvRow(raw_, fields_)) return false;
    record = detail::load::csvRowToRecord(header_, fields_);
    return true;
  }

  bool isCsv() const override { return true; }
  bool rewritesRows() const override { return reencodes(); }
  const std::vector<std::string>& inputHeader() override { return csvHeader(); }
  // The cells are unchanged: only their encoding in the rows handed out differs.
  const std::vector<std::string>& inputFields() const override { return lastFields_; }

 private:
  bool reencodes() const noexcept { return csv_.delimiter() != ','; }
  std::string where() const { return path_.empty() ? std::string() : path_ + ": "; }

  void readHeader() {
    if (headerRead_) return;
    headerRead_ = true;
    try {
      if (!csv_.next(header_)) header_.clear();
    } catch (const CsvSyntaxError& e) {
      failHeader(where() + "CSV header, column " + std::to_string(e.column()) + ": " + e.reason());
    }
    // Salesforce field names are not case-sensitive: two spellings are one field, and
    // the batch would be refused (or one value silently win) after rows were sent.
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < header_.size(); ++i) {
      const auto [it, inserted] = seen.emplace(lowerAscii(header_[i]), i);
      if (inserted) continue;
      const std::size_t first = it->second;
      failHeader(where() + "CSV header names the field '" + header_[first] + "' twice: column " +
                 std::to_string(first + 1) + " ('" + header_[first] + "') and column " +
                 std::to_string(i + 1) + " ('" + header_[i] +
                 "'); field names are not case-sensitive");
    }
  }

  [[noreturn]] void failHeader(const std::string& message) {
    headerFailed_ = true;
    header_.clear();
    throw InvalidArgument(message);
  }

  std::unique_ptr<std::istream> owned_;  // declared first: csv_ reads from it
  CsvReader csv_;
  std::string path_;  // empty for a stream
  bool headerRead_ = false;
  bool headerFailed_ = false;
  std::vector<std::string> header_;
  std::string raw_;
  std::vector<std::string> fields_;
  std::vector<std::string> lastFields_;  // re-encoded sources: the last row's cells
};

class VectorReader final : public RecordSource::Reader {
 public:
  explicit VectorReader(std::vector<nlohmann::json> records) : records_(std::move(records)) {}
  bool nextRecord(nlohmann::json& record) override {
    if (next_ == records_.size()) return false;
    // Moving out releases each record once it is serialized into a batch.
    record = std::move(records_[next_++]);
    return true;
  }

 private:
  std::vector<nlohmann::json> records_;
  std::size_t next_ = 0;
};

class GeneratorReader final : public RecordSource::Reader {
 public:
  explicit GeneratorReader(std::function<bool(nlohmann::json&)> next) : next_(std::move(next)) {}
  bool nextRecord(nlohmann::json& record) override {
    if (done_) return false;
    record = nlohmann::json();
    if (!next_(record)) done_ = true;
    return !done_;
  }

 private:
  std::function<bool(nlohmann::json&)> next_;
  bool done_ = false;
};

}  // namespace

RecordSource RecordSource::csvFile(std::string path) { return csvFile(std::move(path), ','); }

RecordSource RecordSource::csvStream(std::istream& in) { return csvStream(in, ','); }

RecordSource RecordSource::csvFile(std::string path, char delimiter) {
  std::error_code ec;
  // An ifstream opens a directory without complaint and then reads nothing, which would
  // pass for an empty input.
  if (std::filesystem::is_directory(path, ec)) {
    throw InvalidArgument("'" + path + "' is a directory, not a CSV file");
  }
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) throw InvalidArgument("cannot open CSV file '" + path + "'");
  std::istream& in = *file;
  return RecordSource(
      std::make_shared<CsvSourceReader>(std::move(file), in, std::move(path), delimiter));
}

RecordSource RecordSource::csvStream(std::istream& in, char delimiter) {
  return RecordSource(std::make_shared<CsvSourceReader>(nullptr, in, std::string(), delimiter));
}

RecordSource RecordSource::records(std::vector<nlohmann::json> records) {
  return RecordSource(std::make_shared<VectorReader>(std::move(records)));
}

RecordSource RecordSource::generator(std::function<bool(nlohmann::json& record)> next) {
  if (!next) throw InvalidArgument("RecordSource::generator: the function is empty");
  return RecordSource(std::make_shared<GeneratorReader>(std::move(next)));
}

}  // namespace sfdc::bulk
