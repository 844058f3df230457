#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <unordered_set>

#include "record_shape.hpp"

namespace sfdc::bulk {

std::unique_ptr<PayloadSerializer> makeSerializer(ContentType type) {
  switch (type) {
    case ContentType::CSV:
      return std::make_unique<CsvSerializer>();
    case ContentType::JSON:
      return std::make_unique<JsonSerializer>();
    case ContentType::XML:
      return std::make_unique<XmlSerializer>();
    default:
      break;
  }
  throw InvalidArgument("no record serializer for content type " + std::string(toString(type)) +
                        " (zip bodies are built by the caller)");
}

std::string serializeRecords(const nlohmann::json& records, ContentType type) {
  if (!records.is_array()) {
    throw InvalidArgument(std::string("records must be a JSON array, got ") + records.type_name());
  }
  std::unique_ptr<PayloadSerializer> serializer;
  if (type == ContentType::CSV) {
    // The whole batch is at hand: its columns are the union of every record's fields in
    // first-seen order, so records need not all name the same fields (a missing field is
    // an empty cell, "leave unchanged").
    std::vector<std::string> columns;
    std::unordered_set<std::string> seen;
    std::vector<detail::FlatField> flat;
    for (std::size_t i = 0; i < records.size(); ++i) {
      detail::requireObject(records[i], i);
      flat.clear();
      detail::flattenRecord(records[i], i, flat);
      for (const auto& field : flat) {
        if (seen.insert(field.first).second) columns.push_back(field.first);
      }
    }
    serializer = std::make_unique<CsvSerializer>(std::move(columns));
  } else {
    serializer = makeSerializer(type);
  }
  std::string out;
  serializer->beginBatch(out);
  for (std::size_t i = 0; i < records.size(); ++i) serializer->appendRecord(records[i], i, out);
  serializer->endBatch(out);
  return out;
}

}  // namespace sfdc::bulk
