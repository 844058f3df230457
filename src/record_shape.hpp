#pragma once

// Converting user records between the two relationship spellings the serializers accept:
// nested objects (`{"Account": {"Ext__c": "A1"}}`) and dotted keys (`"Account.Ext__c"`),
// including the polymorphic forms `{"Who": {"attributes": {"type": "Lead"}, …}}` and
// `"Lead:Who.Email"`.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfdc::bulk::detail {

/// Throws InvalidArgument "record <index>: <what>".
[[noreturn]] void throwRecordError(std::size_t index, const std::string& what);

/// Throws InvalidArgument "record <index>, field '<field>': <what>".
[[noreturn]] void throwFieldError(std::size_t index, std::string_view field,
                                  const std::string& what);

/// Throws InvalidArgument unless `record` is a JSON object.
void requireObject(const nlohmann::json& record, std::size_t index);

/// The record with dotted keys turned into nested objects (recursively). Arrays are
/// refused. A polymorphic `Type:Rel.Field` key becomes `Rel` with `attributes.type`.
nlohmann::json nestRecord(const nlohmann::json& record, std::size_t index);

/// True for a record nestRecord would return unchanged: an object of scalars whose keys
/// hold no dot. Most records are like this, and serializers write them directly,
/// skipping the deep copy.
bool alreadyNested(const nlohmann::json& record);

/// One CSV column of a flattened record: name and the scalar value (never an object).
using FlatField = std::pair<std::string, const nlohmann::json*>;

/// Flattens nested relationships into `Rel.Field` (or `Type:Rel.Field` when the nested
/// object has `attributes.type`). The top-level `attributes` key is metadata and skipped.
void flattenRecord(const nlohmann::json& record, std::size_t index, std::vector<FlatField>& out);

/// The `type` of a nested object's `attributes`, or empty.
std::string attributesType(const nlohmann::json& object);

}  // namespace sfdc::bulk::detail
