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
  const bool flat = detail::alreadyNested(record);
  nlohmann::json nested;
  if (!flat) nested = detail::nestRecord(record, index);
  const std::size_t size = out.size();
  try {
    if (!first_) out.push_back(',');
    // Written straight into the body (no temporary string); the strict handler throws
    // on invalid UTF-8 exactly as dump() does.
    nlohmann::detail::serializer<nlohmann::json> writer(
        nlohmann::detail::output_adapter<char>(out), ' ', nlohmann::json::error_handler_t::strict);
    writer.dump(flat ? record : nested, false, false, 0);
  } catch (const nlohmann::json::exception& e) {
    // dump() refuses strings that are not valid UTF-8; name the record instead and leave
    // the body as it was.
    out.resize(size);
    detail::throwRecordError(index, std::string("cannot be written as JSON: ") + e.what());
  } catch (...) {
    out.resize(size);
    throw;
  }
  first_ = false;
}

void JsonSerializer::endBatch(std::string& out) { out.push_back(']'); }

}  // namespace sfdc::bulk
