#include "query_output.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "field_value.hpp"
#include "wire_format.hpp"

namespace sfdc::emulator::server {

namespace {

constexpr const char* kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

/// A top-level entry of a record: a plain column, or a parent relationship whose
/// fields are the dotted columns `Rel.Field`.
struct Entry {
  std::string name;
  std::size_t column = 0;  ///< plain column
  bool relationship = false;
  std::string relationshipType;
  std::vector<std::pair<std::string, std::size_t>> fields;  ///< relationship columns
};

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string relationshipType(const Org& org, const std::string& object, const std::string& rel) {
  if (const ObjectDef* def = org.object(object)) {
    for (const auto& f : def->fields) {
      if (!f.relationshipName.empty() && equalsIgnoreCase(f.relationshipName, rel)) {
        return f.referenceTo;
      }
    }
  }
  return rel;
}

std::vector<Entry> layout(const QueryOutput& output, const Org& org) {
  std::vector<Entry> entries;
  for (std::size_t c = 0; c < output.columns.size(); ++c) {
    const std::string& column = output.columns[c];
    const auto dot = column.find('.');
    if (dot == std::string::npos) {
      Entry e;
      e.name = column;
      e.column = c;
      entries.push_back(std::move(e));
      continue;
    }
    const std::string rel = column.substr(0, dot);
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const Entry& e) { return e.relationship && e.name == rel; });
    if (it == entries.end()) {
      Entry e;
      e.name = rel;
      e.relationship = true;
      e.relationshipType = relationshipType(org, output.object, rel);
      entries.push_back(std::move(e));
      it = entries.end() - 1;
    }
    it->fields.emplace_back(column.substr(dot + 1), c);
  }
  return entries;
}

std::string columnValue(const std::vector<Value>& row, std::size_t column) {
  return column < row.size() && row[column] ? *row[column] : std::string();
}

nlohmann::ordered_json typedJson(const Value& value, FieldType type) {
  if (!value) return nullptr;
  try {
    switch (type) {
      case FieldType::Boolean:
        return *value == "true";
      case FieldType::Int: {
        std::size_t used = 0;
        const long long n = std::stoll(*value, &used);
        if (used == value->size()) return n;
        break;
      }
      case FieldType::DateTime:
        // JSON query results carry datetimes as epoch milliseconds, e.g. 1546659665000
        // [OBS simple-salesforce #290]; CSV and XML keep the ISO text. Date fields stay
        // text (their JSON form is not confirmed).
        if (const auto millis = detail::parseDateTimeMillis(*value)) return *millis;
        break;
      case FieldType::Double:
      case FieldType::Currency: {
        std::size_t used = 0;
        const double d = std::stod(*value, &used);
        if (used == value->size()) return d;
        break;
      }
      default:
        break;
    }
  } catch (const std::exception&) {
    // not a number after all: fall back to the text
  }
  return *value;
}

nlohmann::ordered_json attributes(const std::string& type, const std::string& id,
                                  const std::string& apiVersion) {
  nlohmann::ordered_json a;
  a["type"] = type;
  // The url shape is [INF] (§12); it is only given when the Id is known.
  if (!id.empty()) a["url"] = "/services/data/v" + apiVersion + "/sobjects/" + type + "/" + id;
  return a;
}

std::string findId(const std::vector<std::pair<std::string, std::size_t>>& fields,
                   const std::vector<Value>& row) {
  for (const auto& [name, column] : fields) {
    if (equalsIgnoreCase(name, "Id")) return columnValue(row, column);
  }
  return {};
}

std::string jsonRecord(const QueryOutput& out, const std::vector<Entry>& entries,
                       const std::vector<Value>& row, const std::string& apiVersion) {
  std::vector<std::pair<std::string, std::size_t>> plain;
  for (const auto& e : entries) {
    if (!e.relationship) plain.emplace_back(e.name, e.column);
  }
  nlohmann::ordered_json record;
  record["attributes"] = attributes(out.object, findId(plain, row), apiVersion);
  for (const auto& e : entries) {
    if (!e.relationship) {
      record[e.name] = typedJson(row[e.column], out.types[e.column]);
      continue;
    }
    const bool allNull = std::all_of(e.fields.begin(), e.fields.end(),
                                     [&](const auto& f) { return !row[f.second].has_value(); });
    if (allNull) {
      record[e.name] = nullptr;
      continue;
    }
    nlohmann::ordered_json parent;
    parent["attributes"] = attributes(e.relationshipType, findId(e.fields, row), apiVersion);
    for (const auto& [name, column] : e.fields) {
      parent[name] = typedJson(row[column], out.types[column]);
    }
    record[e.name] = parent;
  }
  return record.dump();
}

void xmlField(std::string& out, const std::string& name, const Value& value) {
  if (!value) {
    out += "<" + name + " xsi:nil=\"true\"/>";
  } else {
    out += "<" + name + ">" + xmlEscape(*value) + "</" + name + ">";
  }
}

void xmlSObjectHead(std::string& out, const std::string& type,
                    const std::vector<std::pair<std::string, std::size_t>>& fields,
                    const std::vector<Value>& row) {
  // Partner-WSDL style (§6.3): `type`, then the Id (nil when not selected), then the
  // selected fields, so a selected Id appears twice.
  out += "<type>" + xmlEscape(type) + "</type>";
  const std::string id = findId(fields, row);
  xmlField(out, "Id", id.empty() ? Value{} : Value{id});
}

std::string xmlRecord(const QueryOutput& out, const std::vector<Entry>& entries,
                      const std::vector<Value>& row) {
  std::vector<std::pair<std::string, std::size_t>> plain;
  for (const auto& e : entries) {
    if (!e.relationship) plain.emplace_back(e.name, e.column);
  }
  std::string xml = "<records xsi:type=\"sObject\">";
  xmlSObjectHead(xml, out.object, plain, row);
  for (const auto& e : entries) {
    if (!e.relationship) {
      xmlField(xml, e.name, row[e.column]);
      continue;
    }
    const bool allNull = std::all_of(e.fields.begin(), e.fields.end(),
                                     [&](const auto& f) { return !row[f.second].has_value(); });
    if (allNull) {
      xml += "<" + e.name + " xsi:nil=\"true\"/>";
      continue;
    }
    xml += "<" + e.name + " xsi:type=\"sObject\">";
    xmlSObjectHead(xml, e.relationshipType, e.fields, row);
    for (const auto& [name, column] : e.fields) xmlField(xml, name, row[column]);
    xml += "</" + e.name + ">";
  }
  xml += "</records>";
  return xml;
}

/// Packs items into files of at most maxBytes (at least one item per file).
std::vector<std::string> pack(const std::vector<std::string>& items, const std::string& head,
                              const std::string& separator, const std::string& tail,
                              std::size_t maxBytes) {
  std::vector<std::string> files;
  std::string current = head;
  std::size_t count = 0;
  for (const auto& item : items) {
    const std::size_t extra = (count > 0 ? separator.size() : 0) + item.size();
    if (count > 0 && current.size() + extra + tail.size() > maxBytes) {
      files.push_back(current + tail);
      current = head;
      count = 0;
    }
    if (count > 0) current += separator;
    current += item;
    ++count;
  }
  files.push_back(current + tail);
  return files;
}

}  // namespace

std::vector<std::string> formatQueryResults(const QueryOutput& output, const Org& org,
                                            const std::string& contentType,
                                            const std::string& apiVersion, std::size_t maxBytes) {
  const std::vector<Entry> entries = layout(output, org);
  std::vector<std::string> items;
  items.reserve(output.rows.size());
  if (contentType == "JSON" || contentType == "ZIP_JSON") {
    for (const auto& row : output.rows)
      items.push_back(jsonRecord(output, entries, row, apiVersion));
    return pack(items, "[", ",", "]", maxBytes);
  }
  if (contentType == "XML" || contentType == "ZIP_XML") {
    for (const auto& row : output.rows) items.push_back(xmlRecord(output, entries, row));
    const std::string head =
        std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><queryResult xmlns=\"") +
        kNamespace + "\" xmlns:xsi=\"" + kXsiNamespace + "\">";
    return pack(items, head, "", "</queryResult>", maxBytes);
  }
  if (output.rows.empty()) return {kNoRecordsCsv};
  // CSV: every file repeats the header (design.md); every value quoted, null as "".
  std::string header;
  for (std::size_t c = 0; c < output.columns.size(); ++c) {
    if (c > 0) header += ',';
    header += csvQuote(output.columns[c]);
  }
  header += '\n';
  for (const auto& row : output.rows) {
    std::string line;
    for (std::size_t c = 0; c < output.columns.size(); ++c) {
      if (c > 0) line += ',';
      line += csvQuote(columnValue(row, c));
    }
    line += '\n';
    items.push_back(std::move(line));
  }
  return pack(items, header, "", "", maxBytes);
}

}  // namespace sfdc::emulator::server
