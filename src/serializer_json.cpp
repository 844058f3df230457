// JSON batch bodies (wire reference §5.3): an array of record objects, relationships as
// nested objects.

#include <sfdc/bulk/serializer.hpp>

#include "record_shape.hpp"

namespace sfdc::bulk {

void JsonSerializer::beginBatch(std::string& out) {
  out.push_back('[');
  first_ = true;
}

void JsonSerializer::appendRecord(const nlohmann::json& record, std::size_t index,
                                  std::string& out) {
  const nlohmann::json nested = detail::nestRecord(record, index);
  std::string text;
  try {
    text = nested.dump();
  } catch (const nlohmann::json::exception& e) {
    // dump() refuses strings that are not valid UTF-8; name the record instead.
    detail::throwRecordError(index, std::string("cannot be written as JSON: ") + e.what());
  }
  if (!first_) out.push_back(',');
  first_ = false;
  out.append(text);
}

void JsonSerializer::endBatch(std::string& out) { out.push_back(']'); }

}  // namespace sfdc::bulk
