#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>

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
  const std::unique_ptr<PayloadSerializer> serializer = makeSerializer(type);
  std::string out;
  serializer->beginBatch(out);
  for (std::size_t i = 0; i < records.size(); ++i) serializer->appendRecord(records[i], i, out);
  serializer->endBatch(out);
  return out;
}

}  // namespace sfdc::bulk
