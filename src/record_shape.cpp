#include "record_shape.hpp"

#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::detail {

namespace {

const char* kindName(const nlohmann::json& value) noexcept { return value.type_name(); }

void requireScalarOrObject(const nlohmann::json& value, std::size_t index, std::string_view field) {
  if (value.is_array()) throwFieldError(index, field, "array values are not supported");
  if (value.is_binary() || value.is_discarded()) {
    throwFieldError(index, field, std::string("unsupported value of type ") + kindName(value));
  }
}

// Inserts `value` at the dotted `path` below `target`, creating relationship objects.
void insertPath(nlohmann::json& target, std::string_view path, const nlohmann::json& value,
                std::size_t index, std::string_view fullKey, bool firstSegment) {
  const std::size_t dot = path.find('.');
  if (dot == std::string_view::npos) {
    const std::string key(path);
    if (target.contains(key)) throwFieldError(index, fullKey, "field given twice");
    target[key] = value;
    return;
  }
  std::string head(path.substr(0, dot));
  std::string type;
  // Only the first segment may carry the polymorphic `Type:` prefix.
  if (firstSegment) {
    const std::size_t colon = head.find(':');
    if (colon != std::string::npos) {
      type = head.substr(0, colon);
      head = head.substr(colon + 1);
    }
  }
  if (head.empty() || dot + 1 == path.size()) {
    throwFieldError(index, fullKey, "malformed relationship path");
  }
  nlohmann::json& child = target[head];
  if (child.is_null()) child = nlohmann::json::object();
  if (!child.is_object()) throwFieldError(index, fullKey, "relationship also given as a value");
  if (!type.empty()) {
    const std::string existing = attributesType(child);
    if (!existing.empty() && existing != type) {
      throwFieldError(index, fullKey, "conflicting polymorphic types");
    }
    child["attributes"]["type"] = type;
  }
  insertPath(child, path.substr(dot + 1), value, index, fullKey, false);
}

nlohmann::json nestObject(const nlohmann::json& object, std::size_t index, int depth) {
  // Salesforce resolves one level of parent relationship; wsc caps nesting at five.
  if (depth > 5) throwRecordError(index, "relationships nested too deeply");
  nlohmann::json out = nlohmann::json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    requireScalarOrObject(value, index, key);
    if (key == "attributes") {
      out[key] = value;
      continue;
    }
    nlohmann::json converted = value.is_object() ? nestObject(value, index, depth + 1) : value;
    if (key.find('.') == std::string::npos) {
      if (out.contains(key)) {
        // A dotted key created this relationship already; merge the nested object in.
        if (!out[key].is_object() || !converted.is_object()) {
          throwFieldError(index, key, "field given twice");
        }
        for (auto field = converted.begin(); field != converted.end(); ++field) {
          if (out[key].contains(field.key()) && field.key() != "attributes") {
            throwFieldError(index, key + "." + field.key(), "field given twice");
          }
          out[key][field.key()] = field.value();
        }
      } else {
        out[key] = std::move(converted);
      }
    } else {
      insertPath(out, key, converted, index, key, true);
    }
  }
  return out;
}

void flatten(const nlohmann::json& object, const std::string& prefix, std::size_t index,
             std::vector<FlatField>& out, int depth) {
  if (depth > 5) throwRecordError(index, "relationships nested too deeply");
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    if (key == "attributes") continue;  // metadata; a nested type is used below
    requireScalarOrObject(value, index, prefix + key);
    if (value.is_object()) {
      std::string childPrefix = prefix;
      const std::string type = attributesType(value);
      if (!type.empty() && prefix.empty()) {
        childPrefix.append(type).append(":");
      }
      childPrefix.append(key).append(".");
      flatten(value, childPrefix, index, out, depth + 1);
    } else {
      out.emplace_back(prefix + key, &value);
    }
  }
}

}  // namespace

void throwRecordError(std::size_t index, const std::string& what) {
  throw InvalidArgument("record " + std::to_string(index) + ": " + what);
}

void throwFieldError(std::size_t index, std::string_view field, const std::string& what) {
  throw InvalidArgument("record " + std::to_string(index) + ", field '" + std::string(field) +
                        "': " + what);
}

void requireObject(const nlohmann::json& record, std::size_t index) {
  if (!record.is_object()) {
    throwRecordError(index, std::string("expected a JSON object, got ") + kindName(record));
  }
}

nlohmann::json nestRecord(const nlohmann::json& record, std::size_t index) {
  requireObject(record, index);
  return nestObject(record, index, 0);
}

void flattenRecord(const nlohmann::json& record, std::size_t index, std::vector<FlatField>& out) {
  requireObject(record, index);
  out.clear();
  flatten(record, std::string(), index, out, 0);
}

std::string attributesType(const nlohmann::json& object) {
  if (!object.is_object()) return {};
  const auto attributes = object.find("attributes");
  if (attributes == object.end() || !attributes->is_object()) return {};
  const auto type = attributes->find("type");
  if (type == attributes->end() || !type->is_string()) return {};
  return type->get<std::string>();
}

bool alreadyNested(const nlohmann::json& record) {
  if (!record.is_object()) return false;
  for (auto it = record.begin(); it != record.end(); ++it) {
    const nlohmann::json& value = it.value();
    if (value.is_structured() || value.is_binary() || value.is_discarded()) return false;
    if (it.key().find('.') != std::string::npos) return false;
  }
  return true;
}

}  // namespace sfdc::bulk::detail
