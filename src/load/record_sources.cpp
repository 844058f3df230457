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

}  // namespace detail::load

namespace {

class CsvSourceReader final : public RecordSource::Reader {
 public:
  CsvSourceReader(std::unique_ptr<std::istream> owned, std::istream& in, std::string path = {})
      : owned_(std::move(owned)), csv_(in), path_(std::move(path)) {}

  std::string sourcePath() const override { return path_; }

  const std::vector<std::string>& csvHeader() override {
    readHeader();
    return header_;
  }

  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override {
    readHeader();
    if (!csv_.next(fields)) return false;
    // rowNumber counts the header too; rows handed out are numbered from 1 after it.
    const std::uint64_t row = csv_.rowNumber() - 1;
    if (fields.size() != header_.size()) {
      throw InvalidArgument("CSV row " + std::to_string(row) + " has " +
                            std::to_string(fields.size()) + " fields but the header has " +
                            std::to_string(header_.size()));
    }
    raw.assign(csv_.rawRow());
    return true;
  }

  bool nextRecord(nlohmann::json& record) override {
    if (!nextCsvRow(raw_, fields_)) return false;
    record = detail::load::csvRowToRecord(header_, fields_);
    return true;
  }

  bool isCsv() const override { return true; }

 private:
  void readHeader() {
    if (headerRead_) return;
    headerRead_ = true;
    if (!csv_.next(header_)) header_.clear();
  }

  std::unique_ptr<std::istream> owned_;  // declared first: csv_ reads from it
  CsvReader csv_;
  std::string path_;
  bool headerRead_ = false;
  std::vector<std::string> header_;
  std::string raw_;
  std::vector<std::string> fields_;
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

RecordSource RecordSource::csvFile(std::string path) {
  std::error_code ec;
  // An ifstream opens a directory without complaint and then reads nothing, which would
  // pass for an empty input.
  if (std::filesystem::is_directory(path, ec)) {
    throw InvalidArgument("'" + path + "' is a directory, not a CSV file");
  }
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) throw InvalidArgument("cannot open CSV file '" + path + "'");
  std::istream& in = *file;
  return RecordSource(std::make_shared<CsvSourceReader>(std::move(file), in, path));
}

RecordSource RecordSource::csvStream(std::istream& in) {
  return RecordSource(std::make_shared<CsvSourceReader>(nullptr, in));
}

RecordSource RecordSource::records(std::vector<nlohmann::json> records) {
  return RecordSource(std::make_shared<VectorReader>(std::move(records)));
}

RecordSource RecordSource::generator(std::function<bool(nlohmann::json& record)> next) {
  if (!next) throw InvalidArgument("RecordSource::generator: the function is empty");
  return RecordSource(std::make_shared<GeneratorReader>(std::move(next)));
}

}  // namespace sfdc::bulk
