// CSV batch bodies (wire reference §5.1): header row of field names, `#N/A` for null,
// empty cell for "leave unchanged", relationships as `Rel.Field` / `Type:Rel.Field`.

#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>

#include "record_shape.hpp"

namespace sfdc::bulk {

namespace {

void appendScalar(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      out.append(kCsvNull);
      break;
    case nlohmann::json::value_t::string:
      appendCsvField(out, value.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::boolean:
      out.append(value.get<bool>() ? "true" : "false");
      break;
    default:  // numbers: JSON spelling, which Salesforce accepts (scientific notation too)
      out.append(value.dump());
      break;
  }
}

// The common record: an object of scalars (no relationship objects, no `attributes`)
// whose fields are all columns. Its cells are found without building the flattened
// names, which cost two string allocations per field. Anything else, every error
// included, returns false for the general path, so messages and their order stay the same.
bool cellsOfFlatRecord(const nlohmann::json& record,
                       const std::unordered_map<std::string, std::size_t>& columnIndex,
                       std::vector<const nlohmann::json*>& cells) {
  if (!record.is_object()) return false;
  cells.assign(columnIndex.size(), nullptr);
  for (auto it = record.begin(); it != record.end(); ++it) {
    const nlohmann::json& value = it.value();
    if (value.is_structured() || value.is_binary() || value.is_discarded()) return false;
    const auto column = columnIndex.find(it.key());
    if (column == columnIndex.end()) return false;  // also catches `attributes`
    cells[column->second] = &value;                 // object keys are unique: no cell is set twice
  }
  return true;
}

}  // namespace

CsvSerializer::CsvSerializer(std::vector<std::string> columns) {
  if (!columns.empty()) setColumns(std::move(columns));
}

void CsvSerializer::setColumns(std::vector<std::string> columns) {
  columnIndex_.clear();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].empty()) throw InvalidArgument("CSV column " + std::to_string(i) + " is empty");
    if (!columnIndex_.emplace(columns[i], i).second) {
      throw InvalidArgument("CSV column '" + columns[i] + "' appears twice");
    }
  }
  columns_ = std::move(columns);
}

void CsvSerializer::beginBatch(std::string& out) {
  // With known columns the header goes out now; otherwise the first record decides them.
  headerPending_ = columns_.empty();
  if (!headerPending_) appendCsvRow(out, columns_);
}

void CsvSerializer::appendRecord(const nlohmann::json& record, std::size_t index,
                                 std::string& out) {
  if (columns_.empty() || !cellsOfFlatRecord(record, columnIndex_, cells_)) {
    detail::flattenRecord(record, index, flat_);
    if (columns_.empty()) {
      if (flat_.empty()) detail::throwRecordError(index, "a record without fields sets no columns");
      std::vector<std::string> columns;
      columns.reserve(flat_.size());
      for (const auto& field : flat_) columns.push_back(field.first);
      setColumns(std::move(columns));
    }
    // Validate the whole record before writing, so a refused record leaves `out` intact.
    cells_.assign(columns_.size(), nullptr);
    for (const auto& field : flat_) {
      const auto it = columnIndex_.find(field.first);
      if (it == columnIndex_.end()) {
        detail::throwFieldError(index, field.first, "not one of the CSV columns");
      }
      if (cells_[it->second] != nullptr) detail::throwFieldError(index, field.first, "given twice");
      cells_[it->second] = field.second;
    }
  }
  if (headerPending_) {
    appendCsvRow(out, columns_);
    headerPending_ = false;
  }
  if (cells_.size() == 1 &&
      (cells_[0] == nullptr ||
       (cells_[0]->is_string() && cells_[0]->get_ref<const std::string&>().empty()))) {
    out.append("\"\"\n");  // a blank line would read as no row at all
    return;
  }
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (cells_[i] != nullptr) appendScalar(out, *cells_[i]);
  }
  out.push_back('\n');
}

void CsvSerializer::endBatch(std::string& out) {
  if (headerPending_ && !columns_.empty()) appendCsvRow(out, columns_);
  headerPending_ = false;
}

}  // namespace sfdc::bulk
