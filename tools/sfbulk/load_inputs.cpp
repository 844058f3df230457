#include "load_inputs.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>

#include "cli_common.hpp"

namespace sfbulk {

namespace {

using nlohmann::json;
using namespace sfdc::bulk;

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/**
 * A CSV source whose syntax errors name the input. The SDK's CSV reader raises
 * ParseError, which is also what a malformed server response raises; here it can only
 * be the user's file, so it becomes InvalidArgument (a usage error, not an API error).
 */
class NamedCsvReader : public RecordSource::Reader {
 public:
  NamedCsvReader(RecordSource inner, std::string name)
      : inner_(std::move(inner)), name_(std::move(name)) {}

  const std::vector<std::string>& csvHeader() override;
  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override;
  bool nextRecord(json& record) override;
  bool isCsv() const override { return inner_.reader().isCsv(); }
  std::string sourcePath() const override { return inner_.reader().sourcePath(); }
  bool rewritesRows() const override { return inner_.reader().rewritesRows(); }
  const std::vector<std::string>& inputHeader() override;
  const std::vector<std::string>& inputFields() const override {
    return inner_.reader().inputFields();
  }

 private:
  template <typename Read>
  decltype(auto) guarded(Read&& read) {
    try {
      return read();
    } catch (const ParseError& e) {
      throw InvalidArgument(name_ + ": " + e.what());
    }
  }

  RecordSource inner_;
  std::string name_;
};

const std::vector<std::string>& NamedCsvReader::csvHeader() {
  return guarded([&]() -> const std::vector<std::string>& { return inner_.reader().csvHeader(); });
}

const std::vector<std::string>& NamedCsvReader::inputHeader() {
  return guarded(
      [&]() -> const std::vector<std::string>& { return inner_.reader().inputHeader(); });
}

bool NamedCsvReader::nextCsvRow(std::string& raw, std::vector<std::string>& fields) {
  return guarded([&] { return inner_.reader().nextCsvRow(raw, fields); });
}

bool NamedCsvReader::nextRecord(json& record) {
  return guarded([&] { return inner_.reader().nextRecord(record); });
}

RecordSource csvSource(const std::string& path, char delimiter) {
  if (path == "-") {
    return RecordSource(
        std::make_shared<NamedCsvReader>(RecordSource::csvStream(std::cin, delimiter), "stdin"));
  }
  return RecordSource(
      std::make_shared<NamedCsvReader>(RecordSource::csvFile(path, delimiter), path));
}

/// A JSON array file, read whole: JSON arrays cannot be streamed record by record
/// without a streaming parser, which is what JSON Lines input is for.
RecordSource jsonArraySource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  json document;
  try {
    document = json::parse(in);
  } catch (const json::exception& e) {
    throw UsageError(path + " is not valid JSON: " + e.what() +
                     "\n  a .json input must hold one array of record objects;"
                     " use .jsonl for one object per line");
  }
  if (!document.is_array()) throw UsageError(path + ": expected a JSON array of record objects");
  std::vector<json> records;
  records.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    if (!document[i].is_object()) {
      throw UsageError(path + ": element " + std::to_string(i + 1) + " is not a JSON object");
    }
    records.push_back(std::move(document[i]));
  }
  return RecordSource::records(std::move(records));
}

/// JSON Lines, streamed: one record object per line, blank lines skipped.
RecordSource jsonLinesSource(const std::string& path) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  auto line = std::make_shared<std::uint64_t>(0);
  return RecordSource::generator([in, line, path](json& record) {
    std::string text;
    while (std::getline(*in, text)) {
      ++*line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        record = json::parse(text);
      } catch (const json::exception& e) {
        throw InvalidArgument(path + ":" + std::to_string(*line) + ": not valid JSON: " + e.what());
      }
      if (!record.is_object()) {
        throw InvalidArgument(path + ":" + std::to_string(*line) + ": not a JSON object");
      }
      return true;
    }
    if (in->bad()) throw FileError("cannot read " + path, path);
    return false;
  });
}

}  // namespace

std::string inputKind(const std::string& path, const std::string& inputFormat) {
  if (!inputFormat.empty()) return inputFormat;
  if (endsWith(path, ".json")) return "json";
  if (endsWith(path, ".jsonl") || endsWith(path, ".ndjson")) return "jsonl";
  return "csv";
}

RecordSource openInput(const std::string& path, const std::string& kind, char delimiter) {
  if (kind == "json") return jsonArraySource(path);
  if (kind == "jsonl") return jsonLinesSource(path);
  return csvSource(path, delimiter);
}

}  // namespace sfbulk
