#include "batch_decode.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>

namespace sfdc::emulator::server {

namespace {

// Deepest nesting of JSON objects/arrays or XML elements a batch body may have. A record
// nests a relationship a level or two; anything much deeper is refused before a
// recursive walk (dump(), the DOM) can exhaust the stack.
constexpr int kMaxBatchDepth = 100;

[[noreturn]] void throwTooDeep(const char* format) {
  throw BatchFailure(std::string("InvalidBatch : Failed to parse ") + format +
                     ": nested deeper than " + std::to_string(kMaxBatchDepth) + " levels");
}

bool jsonDepthWithinLimit(const std::string& json) {
  int depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxBatchDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

bool xmlDepthWithinLimit(const pugi::xml_document& doc) {
  // Depth-first walk by sibling and parent links, without recursion.
  int depth = 0;
  pugi::xml_node node = doc.first_child();
  while (node) {
    if (node.type() == pugi::node_element && depth >= kMaxBatchDepth) return false;
    if (pugi::xml_node child = node.first_child()) {
      ++depth;
      node = child;
      continue;
    }
    while (!node.next_sibling()) {
      node = node.parent();
      if (!node || node == doc) return true;
      --depth;
    }
    node = node.next_sibling();
  }
  return true;
}

std::string localName(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? std::string(colon + 1) : std::string(name);
}

bool isNil(const pugi::xml_node& node) {
  for (const pugi::xml_attribute& attr : node.attributes()) {
    // Any prefix bound to the XMLSchema-instance namespace works; clients use `xsi`.
    if (localName(attr.name()) == "nil") {
      const std::string value = attr.value();
      return value == "true" || value == "1";
    }
  }
  return false;
}

pugi::xml_node firstElement(const pugi::xml_node& node) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) return child;
  }
  return {};
}

void decodeXmlRelationship(const std::string& relationship, const pugi::xml_node& sobject,
                           InputRecord& record) {
  std::string type;
  for (pugi::xml_node field : sobject.children()) {
    if (field.type() == pugi::node_element && localName(field.name()) == "type") {
      type = field.child_value();
    }
  }
  const std::string prefix = (type.empty() ? "" : type + ":") + relationship + ".";
  for (pugi::xml_node field : sobject.children()) {
    if (field.type() != pugi::node_element) continue;
    const std::string name = localName(field.name());
    if (name == "type") continue;
    record.fields.emplace_back(prefix + name,
                               isNil(field) ? Value{} : Value{std::string(field.child_value())});
  }
}

Value jsonScalar(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_number()) return value.dump();
  throw BatchFailure("InvalidBatch : Unsupported JSON value: " + value.dump());
}

}  // namespace

std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;       // inside a quoted cell
  bool cellStarted = false;  // the row has at least one character or delimiter
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto endRow = [&]() {
    row.push_back(std::move(cell));
    cell.clear();
    // A blank line (one empty cell) is not a record.
    if (!(row.size() == 1 && row[0].empty() && !cellStarted)) rows.push_back(std::move(row));
    row.clear();
    cellStarted = false;
  };
  while (i < n) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;  // CR and LF inside quotes belong to the value
      }
      ++i;
      continue;
    }
    if (c == '"') {
      quoted = true;
      cellStarted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      cellStarted = true;
    } else if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
      endRow();
      ++i;
    } else if (c == '\n' || c == '\r') {
      endRow();
    } else {
      cell += c;
      cellStarted = true;
    }
    ++i;
  }
  if (quoted) throw BatchFailure("InvalidBatch : Failed to parse CSV: unterminated quoted value");
  if (cellStarted || !cell.empty() || !row.empty()) endRow();
  return rows;
}

std::vector<InputRecord> decodeCsvBatch(const std::string& body) {
  const auto rows = parseCsv(body);
  if (rows.empty()) throw BatchFailure("InvalidBatch : Failed to parse CSV header");
  const auto& header = rows.front();
  for (const auto& name : header) {
    if (name.empty()) throw BatchFailure("InvalidBatch : Field name not found : ");
  }
  std::vector<InputRecord> records;
  records.reserve(rows.size() - 1);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() > header.size()) {
      throw BatchFailure("InvalidBatch : Record " + std::to_string(r) + " has " +
                         std::to_string(row.size()) + " values but the header has " +
                         std::to_string(header.size()) + " columns");
    }
    InputRecord record;
    for (std::size_t c = 0; c < row.size(); ++c) {
      // Empty = leave the field unchanged; #N/A = set it to null (§5.1).
      if (row[c].empty()) continue;
      if (row[c] == "#N/A") {
        record.fields.emplace_back(header[c], std::nullopt);
      } else {
        record.fields.emplace_back(header[c], row[c]);
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<InputRecord> decodeXmlBatch(const std::string& body) {
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) {
    throw BatchFailure(std::string("InvalidBatch : Failed to parse XML: ") + parsed.description());
  }
  if (!xmlDepthWithinLimit(doc)) throwTooDeep("XML");
  const pugi::xml_node root = doc.document_element();
  if (localName(root.name()) != "sObjects") {
    throw BatchFailure(std::string("InvalidBatch : Unexpected root element: ") + root.name());
  }
  std::vector<InputRecord> records;
  for (pugi::xml_node sobject : root.children()) {
    if (sobject.type() != pugi::node_element) continue;
    if (localName(sobject.name()) != "sObject") {
      throw BatchFailure(std::string("InvalidBatch : Unexpected element: ") + sobject.name());
    }
    InputRecord record;
    for (pugi::xml_node field : sobject.children()) {
      if (field.type() != pugi::node_element) continue;
      const std::string name = localName(field.name());
      const pugi::xml_node nested = firstElement(field);
      if (nested && localName(nested.name()) == "sObject") {
        decodeXmlRelationship(name, nested, record);
      } else if (isNil(field)) {
        record.fields.emplace_back(name, std::nullopt);
      } else {
        record.fields.emplace_back(name, std::string(field.child_value()));
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<InputRecord> decodeJsonBatch(const std::string& body) {
  if (!jsonDepthWithinLimit(body)) throwTooDeep("JSON");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw BatchFailure(std::string("InvalidBatch : Failed to parse JSON: ") + e.what());
  }
  if (!doc.is_array()) throw BatchFailure("InvalidBatch : The JSON batch must be an array");
  std::vector<InputRecord> records;
  records.reserve(doc.size());
  for (const auto& item : doc) {
    if (!item.is_object()) throw BatchFailure("InvalidBatch : Each JSON record must be an object");
    InputRecord record;
    for (const auto& [key, value] : item.items()) {
      if (key == "attributes") continue;
      if (!value.is_object()) {
        record.fields.emplace_back(key, jsonScalar(value));
        continue;
      }
      std::string type;
      if (auto attrs = value.find("attributes"); attrs != value.end() && attrs->is_object()) {
        type = attrs->value("type", std::string());
      }
      const std::string prefix = (type.empty() ? "" : type + ":") + key + ".";
      for (const auto& [field, fieldValue] : value.items()) {
        if (field == "attributes") continue;
        record.fields.emplace_back(prefix + field, jsonScalar(fieldValue));
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<InputRecord> decodeBatch(const std::string& body, const std::string& contentType) {
  if (contentType == "CSV") return decodeCsvBatch(body);
  if (contentType == "JSON") return decodeJsonBatch(body);
  if (contentType == "XML") return decodeXmlBatch(body);
  // ZIP_* bodies are opened by attachment_batch.hpp, which decodes their request.txt.
  throw BatchFailure("InvalidBatch : Unsupported content type: " + contentType);
}

}  // namespace sfdc::emulator::server
