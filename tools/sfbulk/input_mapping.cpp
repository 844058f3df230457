#include "input_mapping.hpp"

#include <nlohmann/json.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfbulk {

namespace {

using sfdc::bulk::InvalidArgument;

bool sameName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

ConvertingCsvReader::ConvertingCsvReader(sfdc::bulk::RecordSource inner, InputConversion conversion,
                                         std::string inputName)
    : inner_(std::move(inner)),
      conversion_(std::move(conversion)),
      inputName_(std::move(inputName)) {}

std::string ConvertingCsvReader::where() const { return inputName_ + ": "; }

void ConvertingCsvReader::readHeader() {
  if (headerRead_) return;
  headerRead_ = true;
  const std::vector<std::string>& raw = inner_.reader().csvHeader();
  inputHeader_.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    try {
      inputHeader_.push_back(conversion_.decoder ? conversion_.decoder->decode(raw[i]) : raw[i]);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(where() + "CSV header, column " + std::to_string(i + 1) + ": " +
                            e.what());
    }
  }
  if (inputHeader_.empty()) return;  // no input at all
  if (!conversion_.mapping) {
    header_ = inputHeader_;
    for (std::size_t i = 0; i < inputHeader_.size(); ++i) sources_.push_back({i, nullptr});
    return;
  }
  const SdlMapping& mapping = *conversion_.mapping;
  for (const SdlMappingEntry& entry : mapping.entries) {
    Source source;
    if (entry.constant) {
      source.constant = &*entry.constant;
    } else {
      std::size_t column = inputHeader_.size();
      for (std::size_t i = 0; i < inputHeader_.size() && column == inputHeader_.size(); ++i) {
        if (sameName(inputHeader_[i], entry.column)) column = i;
      }
      if (column == inputHeader_.size()) {
        throw InvalidArgument(mapping.name + " line " + std::to_string(entry.line) +
                              ": the column '" + entry.column + "' is not in the header of " +
                              inputName_ + " (" + joined(inputHeader_) + ")");
      }
      source.column = column;
    }
    for (const std::string& field : entry.fields) {
      header_.push_back(field);
      sources_.push_back(source);
    }
  }
  if (header_.empty()) {
    throw InvalidArgument(mapping.name +
                          ": the mapping sends no field (every line's "
                          "destination is empty)");
  }
}

const std::vector<std::string>& ConvertingCsvReader::csvHeader() {
  readHeader();
  return header_;
}

const std::vector<std::string>& ConvertingCsvReader::inputHeader() {
  readHeader();
  return inputHeader_;
}

bool ConvertingCsvReader::nextCsvRow(std::string& raw, std::vector<std::string>& fields) {
  readHeader();
  try {
    if (!inner_.reader().nextCsvRow(innerRaw_, inputFields_)) return false;
  } catch (const InvalidArgument&) {
    ++row_;  // the bad row was consumed: the next one keeps its number
    throw;
  }
  ++row_;
  const std::string rowText = where() + "CSV row " + std::to_string(row_) + ", column '";
  if (conversion_.decoder && !conversion_.decoder->isUtf8()) {
    for (std::size_t i = 0; i < inputFields_.size(); ++i) {
      try {
        inputFields_[i] = conversion_.decoder->decode(inputFields_[i]);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(rowText + inputHeader_[i] + "': " + e.what());
      }
    }
  }
  fields.clear();
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const Source& source = sources_[i];
    std::string cell = source.constant ? *source.constant : inputFields_[source.column];
    if (conversion_.dates) {
      try {
        if (auto converted = conversion_.dates->convert(cell)) cell = std::move(*converted);
      } catch (const InvalidArgument& e) {
        const std::string column =
            source.constant ? "\"" + *source.constant + "\"" : inputHeader_[source.column];
        throw InvalidArgument(rowText + column + "': '" + cell +
                              "' is not a valid date: " + e.what());
      }
    }
    if (conversion_.insertNulls && cell.empty()) cell = std::string(sfdc::bulk::kCsvNull);
    fields.push_back(std::move(cell));
  }
  raw.clear();
  sfdc::bulk::appendCsvRow(raw, fields);
  return true;
}

bool ConvertingCsvReader::nextRecord(nlohmann::json& record) {
  // The loader converts CSV rows itself (isCsv); this serves other callers, with the
  // same rules: `#N/A` is null, an empty cell is left out.
  if (!nextCsvRow(raw_, fields_)) return false;
  record = nlohmann::json::object();
  for (std::size_t i = 0; i < header_.size() && i < fields_.size(); ++i) {
    if (fields_[i].empty()) continue;
    if (fields_[i] == sfdc::bulk::kCsvNull) {
      record[header_[i]] = nullptr;
    } else {
      record[header_[i]] = fields_[i];
    }
  }
  return true;
}

}  // namespace sfbulk
