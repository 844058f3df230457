#pragma once

// Turns one XML query-result `<records>` element (partner-WSDL style sObject) into a JSON
// object: the `type` element dropped, the duplicated `Id` collapsed, `xsi:nil` as null,
// relationships as nested objects, every other value as a string.

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace sfdc::bulk::detail {

/// Throws ParseError when the record nests deeper than kMaxNestingDepth.
nlohmann::ordered_json xmlRecordToJson(pugi::xml_node record);

/// Removes `attributes` from a JSON query record and from its nested objects. Throws
/// ParseError when the record nests deeper than kMaxNestingDepth.
void stripAttributes(nlohmann::ordered_json& record);

}  // namespace sfdc::bulk::detail
