// XML batch bodies (wire reference §5.2): `<sObjects>` of `<sObject>` in the dataload
// namespace, `xsi:nil="true"` for null, relationships as `<Rel><sObject>…</sObject></Rel>`.

#include <sfdc/bulk/serializer.hpp>

#include "codec/codec_util.hpp"
#include "record_shape.hpp"

namespace sfdc::bulk {

namespace {

bool isNameStart(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

bool isNameChar(unsigned char c) noexcept {
  return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// XML 1.0 cannot carry most C0 control characters at all, not even as references, and
// the body is declared UTF-8: anything else would be refused or misread by the server.
void requireXmlText(std::string_view text, std::size_t index, std::string_view field,
                    const char* part) {
  const detail::XmlTextProblem problem = detail::findXmlTextProblem(text);
  if (problem.what != nullptr) {
    detail::throwFieldError(
        index, field,
        std::string(part) + ": " + problem.what + " at byte " + std::to_string(problem.at + 1));
  }
}

void requireElementName(std::string_view name, std::size_t index) {
  bool ok = !name.empty() && isNameStart(static_cast<unsigned char>(name.front()));
  for (std::size_t i = 1; ok && i < name.size(); ++i) {
    ok = isNameChar(static_cast<unsigned char>(name[i]));
  }
  if (!ok) detail::throwFieldError(index, name, "not a valid XML element name");
  requireXmlText(name, index, name, "field name");
}

void appendFields(const nlohmann::json& object, std::size_t index, std::string& out);

void appendField(const std::string& name, const nlohmann::json& value, std::size_t index,
                 std::string& out) {
  requireElementName(name, index);
  if (value.is_null()) {
    out.append("<").append(name).append(" xsi:nil=\"true\"/>");
    return;
  }
  out.append("<").append(name).append(">");
  if (value.is_object()) {
    out.append("<sObject>");
    const std::string type = detail::attributesType(value);
    if (!type.empty()) {
      // Polymorphic foreign key: the nested sObject names its type first.
      requireXmlText(type, index, name, "attributes.type");
      out.append("<type>");
      detail::appendXmlEscaped(out, type);
      out.append("</type>");
    }
    appendFields(value, index, out);
    out.append("</sObject>");
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    requireXmlText(text, index, name, "value");
    detail::appendXmlEscaped(out, text);
  } else if (value.is_boolean()) {
    out.append(value.get<bool>() ? "true" : "false");
  } else {
    out.append(value.dump());
  }
  out.append("</").append(name).append(">");
}

void appendFields(const nlohmann::json& object, std::size_t index, std::string& out) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() == "attributes") continue;  // metadata; a nested type became <type>
    appendField(it.key(), it.value(), index, out);
  }
}

}  // namespace

void XmlSerializer::beginBatch(std::string& out) {
  out.append(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sObjects xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n");
}

void XmlSerializer::appendRecord(const nlohmann::json& record, std::size_t index,
                                 std::string& out) {
  // Records that nestRecord would return unchanged (most of them) skip its deep copy.
  const bool flat = detail::alreadyNested(record);
  nlohmann::json nested;
  if (!flat) nested = detail::nestRecord(record, index);
  // Written in place; a refused record is cut off again so that `out` stays untouched.
  const std::size_t size = out.size();
  try {
    out.append("  <sObject>");
    appendFields(flat ? record : nested, index, out);
    out.append("</sObject>\n");
  } catch (...) {
    out.resize(size);
    throw;
  }
}

void XmlSerializer::endBatch(std::string& out) { out.append("</sObjects>\n"); }

}  // namespace sfdc::bulk
