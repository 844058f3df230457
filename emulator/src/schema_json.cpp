#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "field_value.hpp"
#include "schema.hpp"

namespace sfdc::emulator::detail {
namespace {

using nlohmann::json;

struct TypeName {
  const char* name;
  FieldType type;
  int defaultLength;
};

// Accepts the describe-call spellings users copy from Salesforce (string, textarea,
// int, double, currency, date, datetime, reference, ...) case-insensitively.
constexpr TypeName kTypes[] = {
    {"id", FieldType::Id, 18},
    {"string", FieldType::String, 255},
    {"text", FieldType::String, 255},
    {"textarea", FieldType::TextArea, 32000},
    {"email", FieldType::Email, 80},
    {"phone", FieldType::Phone, 40},
    {"url", FieldType::Url, 255},
    {"picklist", FieldType::Picklist, 255},
    {"boolean", FieldType::Boolean, 0},
    {"checkbox", FieldType::Boolean, 0},
    {"int", FieldType::Int, 0},
    {"integer", FieldType::Int, 0},
    {"double", FieldType::Double, 0},
    {"number", FieldType::Double, 0},
    {"percent", FieldType::Double, 0},
    {"currency", FieldType::Currency, 0},
    {"date", FieldType::Date, 0},
    {"datetime", FieldType::DateTime, 0},
    {"reference", FieldType::Reference, 18},
    {"lookup", FieldType::Reference, 18},
    {"base64", FieldType::Base64, 0},
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::invalid_argument("schema: " + where + ": " + what);
}

bool validApiName(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

template <class T>
T get(const json& j, const char* key, T fallback, const std::string& where) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    fail(where, std::string("'") + key + "' has the wrong type");
  }
}

// Relationship name Salesforce derives for a lookup: Account__c -> Account__r,
// ParentId -> Parent.
std::string defaultRelationshipName(const std::string& field) {
  if (field.size() > 3 && iequals(field.substr(field.size() - 3), "__c")) {
    return field.substr(0, field.size() - 3) + "__r";
  }
  if (field.size() > 2 && iequals(field.substr(field.size() - 2), "id")) {
    return field.substr(0, field.size() - 2);
  }
  return field + "__r";
}

FieldDef parseField(const json& j, const std::string& objectWhere) {
  if (!j.is_object()) fail(objectWhere, "each field must be a JSON object");
  FieldDef f;
  f.name = get<std::string>(j, "name", "", objectWhere);
  const std::string where = objectWhere + " field '" + f.name + "'";
  if (!validApiName(f.name)) fail(where, "'name' must be an API name like Amount__c");
  const std::string type = get<std::string>(j, "type", "string", where);
  const TypeName* found = nullptr;
  for (const TypeName& t : kTypes) {
    if (iequals(type, t.name)) found = &t;
  }
  if (!found) fail(where, "unknown type '" + type + "'");
  f.type = found->type;
  f.length = get<int>(j, "length", found->defaultLength, where);
  if (isTextType(f.type) && (f.length < 1 || f.length > 131072)) {
    fail(where, "'length' must be between 1 and 131072");
  }
  f.required = get<bool>(j, "required", false, where);
  f.externalId = get<bool>(j, "externalId", false, where);
  f.unique = get<bool>(j, "unique", false, where);
  f.updateable = get<bool>(j, "updateable", true, where);
  if (f.externalId && !(isTextType(f.type) || isNumericType(f.type))) {
    fail(where, "only text and number fields can be external ids");
  }
  if (f.type == FieldType::Reference) {
    f.referenceTo = get<std::string>(j, "referenceTo", "", where);
    if (f.referenceTo.empty()) fail(where, "a reference needs 'referenceTo'");
    f.relationshipName =
        get<std::string>(j, "relationshipName", defaultRelationshipName(f.name), where);
    // Lookups and master-detail fields lock their parent while a child is written unless
    // the schema says otherwise.
    f.locksParent = get<bool>(j, "locksParent", true, where);
  }
  return f;
}

}  // namespace

std::vector<SchemaObject> parseSchemaJson(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    fail("document", std::string("not valid JSON: ") + e.what());
  }
  const json* objects = &doc;
  if (doc.is_object()) {
    const auto it = doc.find("objects");
    if (it == doc.end()) fail("document", "expected {\"objects\": [...]}");
    objects = &*it;
  }
  if (!objects->is_array()) fail("document", "'objects' must be an array");

  std::vector<SchemaObject> out;
  for (const json& jo : *objects) {
    if (!jo.is_object()) fail("document", "each object must be a JSON object");
    SchemaObject so;
    so.def.name = get<std::string>(jo, "name", "", "object");
    const std::string where = "object '" + so.def.name + "'";
    if (!validApiName(so.def.name)) fail(where, "'name' must be an API name like Invoice__c");
    so.def.keyPrefix = get<std::string>(jo, "keyPrefix", "", where);
    if (!so.def.keyPrefix.empty() &&
        (so.def.keyPrefix.size() != 3 || !validApiName("x" + so.def.keyPrefix) ||
         so.def.keyPrefix.find('_') != std::string::npos)) {
      fail(where, "'keyPrefix' must be 3 letters or digits, e.g. a00");
    }
    so.extend = get<bool>(jo, "extend", false, where);
    const auto fields = jo.find("fields");
    if (fields != jo.end() && !fields->is_array()) fail(where, "'fields' must be an array");
    if (fields != jo.end()) {
      for (const json& jf : *fields) {
        FieldDef f = parseField(jf, where);
        if (so.def.field(f.name)) fail(where, "field '" + f.name + "' is defined twice");
        so.def.fields.push_back(std::move(f));
      }
    }
    if (!so.extend) addSystemFields(so.def);
    out.push_back(std::move(so));
  }
  return out;
}

}  // namespace sfdc::emulator::detail
