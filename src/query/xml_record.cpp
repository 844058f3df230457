#include "query/xml_record.hpp"

#include <cstring>
#include <sfdc/bulk/error.hpp>
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

// The scanners bound the depth of what reaches these recursive walks; the checks here
// keep them safe for any caller.
void requireDepth(int depth, const char* what) {
  if (depth > kMaxNestingDepth) {
    throw ParseError(std::string(what) + ": a record nests deeper than " +
                     std::to_string(kMaxNestingDepth) + " levels");
  }
}

nlohmann::ordered_json convertValue(pugi::xml_node node, int depth);

nlohmann::ordered_json convertObject(pugi::xml_node node, int depth) {
  requireDepth(depth, "XML query result");
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string name(localName(child.name()));
    if (name == "type") continue;  // the sObject type; fields are capitalised ("Type")
    nlohmann::ordered_json value = convertValue(child, depth + 1);
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

nlohmann::ordered_json convertValue(pugi::xml_node node, int depth) {
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
    return convertObject(firstElement, depth + 1);
  }
  return convertObject(node, depth);
}

void stripAttributesAt(nlohmann::ordered_json& value, int depth) {
  if (!value.is_structured()) return;
  requireDepth(depth, "JSON query result");
  if (value.is_object()) value.erase("attributes");
  for (auto& child : value) stripAttributesAt(child, depth + 1);
}

}  // namespace

nlohmann::ordered_json xmlRecordToJson(pugi::xml_node record) { return convertObject(record, 1); }

void stripAttributes(nlohmann::ordered_json& record) { stripAttributesAt(record, 1); }

}  // namespace sfdc::bulk::detail
