#pragma once

// Object definitions: the built-in standard objects and custom objects read from JSON.

#include <string_view>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::detail {

/// Account, Contact, Lead and Opportunity with the fields real integrations touch.
std::vector<ObjectDef> standardObjects();

struct SchemaObject {
  ObjectDef def;        ///< keyPrefix empty when the document gave none
  bool extend = false;  ///< append `def.fields` to an existing object instead of replacing it
};

/// Parses a schema document (format in emulator/schemas/README.md). Throws
/// std::invalid_argument with the offending object/field named.
std::vector<SchemaObject> parseSchemaJson(std::string_view json);

/// Adds the system fields every object has (Id, IsDeleted, Name, OwnerId, CreatedDate,
/// LastModifiedDate, SystemModstamp) when the definition lacks them.
void addSystemFields(ObjectDef& def);

}  // namespace sfdc::emulator::detail
