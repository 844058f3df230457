#include "query/xml_record.hpp"

#include <cstring>
#include <string>

#include "codec/codec_util.hpp"

namespace sfdc::bulk::detail {

namespace {

bool isNil(pugi::xml_node node) {
  for (pugi::xml_attribute attribute = node.first_attribute(); attribute;
       attribute = attribute.next_attribute()) {
    if (localName(attribute.name()) == "nil") {
      const std::string_view value = attribute.value();
      return value == "true" || value == "1";
    }
  }
  return false;
}

nlohmann::json convertValue(pugi::xml_node node);

nlohmann::json convertObject(pugi::xml_node node) {
  nlohmann::json object = nlohmann::json::object();
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string name(localName(child.name()));
    if (name == "type") continue;  // the sObject type; fields are capitalised ("Type")
    nlohmann::json value = convertValue(child);
    const auto existing = object.find(name);
    if (existing == object.end()) {
      object.emplace(name, std::move(value));
    } else if (existing->is_null() && !value.is_null()) {
      // `Id` comes twice when selected; keep one, preferring a non-nil copy.
      *existing = std::move(value);
    }
  }
  return object;
}

nlohmann::json convertValue(pugi::xml_node node) {
  if (isNil(node)) return nullptr;
  pugi::xml_node firstElement;
  std::size_t elements = 0;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) {
      if (elements++ == 0) firstElement = child;
    }
  }
  if (elements == 0) {
    std::string text;
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
        text.append(child.value());
      }
    }
    return text;
  }
  // Both `<Rel xsi:type="sObject"><Name>…` and `<Rel><sObject><Name>…` spellings.
  if (elements == 1 && localName(firstElement.name()) == "sObject") {
    return convertObject(firstElement);
  }
  return convertObject(node);
}

}  // namespace

nlohmann::json xmlRecordToJson(pugi::xml_node record) { return convertObject(record); }

void stripAttributes(nlohmann::json& record) {
  if (record.is_object()) {
    record.erase("attributes");
    for (auto& value : record) stripAttributes(value);
  } else if (record.is_array()) {
    for (auto& value : record) stripAttributes(value);
  }
}

}  // namespace sfdc::bulk::detail
