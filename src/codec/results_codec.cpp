// DML batch results and query result-lists (wire reference §6.1, §6.3).

#include <array>
#include <cctype>
#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>

#include "codec/codec_util.hpp"
#include "codec/dml_results_json.hpp"
#include "codec/error_cell.hpp"
#include "codec/wire_codec.hpp"

namespace sfdc::bulk::detail {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Rows in a CSV body, at most one over (a quoted field may hold a newline): enough to
// size the result vector once, since growing it moves every result several times over.
std::size_t lineCount(std::string_view body) noexcept {
  std::size_t lines = 0;
  const char* p = body.data();
  const char* end = p + body.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) !=
         nullptr) {
    ++lines;
    ++p;
  }
  return lines;
}

std::vector<RecordResult> dmlResultsFromCsv(std::string_view body) {
  std::vector<RecordResult> results;
  results.reserve(lineCount(body));
  CsvReader reader = CsvReader::fromString(body);
  std::vector<std::string> row;
  try {
    if (!reader.next(row)) return results;
    // Locate columns by name rather than position; the header is documented as exactly
    // "Id","Success","Created","Error" but nothing is lost by being tolerant.
    constexpr std::array<const char*, 4> kNames = {"Id", "Success", "Created", "Error"};
    std::array<std::size_t, 4> column{};
    for (std::size_t k = 0; k < kNames.size(); ++k) {
      column[k] = row.size();
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (equalsIgnoreCase(row[c], kNames[k])) {
          column[k] = c;
          break;
        }
      }
    }
    if (column[1] == row.size()) {
      throwParseError("DML results", "CSV header has no Success column", body);
    }
    const auto cell = [&](std::size_t k) -> std::string_view {
      return column[k] < row.size() ? std::string_view(row[column[k]]) : std::string_view();
    };
    while (reader.next(row)) {
      RecordResult result;
      result.id = std::string(cell(0));
      result.success = parseBool(cell(1));
      result.created = parseBool(cell(2));
      result.errors = parseCsvErrorCell(cell(3));
      results.push_back(std::move(result));
    }
  } catch (const ParseError& e) {
    throwParseError("DML results", e.what(), body);
  }
  return results;
}

std::vector<RecordResult> dmlResultsFromXml(std::string_view body) {
  pugi::xml_document doc;
  loadXml(doc, body, "DML results");
  const pugi::xml_node root = doc.document_element();
  if (localName(root.name()) != "results") {
    throwParseError("DML results", std::string("root element is <") + root.name() + ">", body);
  }
  std::vector<RecordResult> results;
  for (pugi::xml_node node = root.first_child(); node; node = node.next_sibling()) {
    if (node.type() != pugi::node_element || localName(node.name()) != "result") continue;
    RecordResult result;
    for (pugi::xml_node field = node.first_child(); field; field = field.next_sibling()) {
      if (field.type() != pugi::node_element) continue;
      const std::string_view name = localName(field.name());
      if (name == "id") {
        result.id = field.child_value();
      } else if (name == "success") {
        result.success = parseBool(field.child_value());
      } else if (name == "created") {
        result.created = parseBool(field.child_value());
      } else if (name == "errors") {
        RecordError error;
        for (pugi::xml_node part = field.first_child(); part; part = part.next_sibling()) {
          if (part.type() != pugi::node_element) continue;
          const std::string_view partName = localName(part.name());
          if (partName == "statusCode") {
            error.statusCode = part.child_value();
          } else if (partName == "message") {
            error.message = part.child_value();
          } else if (partName == "fields") {
            error.fields.emplace_back(part.child_value());
          }
        }
        result.errors.push_back(std::move(error));
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

bool jsonBool(const nlohmann::json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return parseBool(value.get_ref<const std::string&>());
  if (value.is_number()) return value.get<double>() != 0;
  return false;
}

RecordError jsonRecordError(const nlohmann::json& object, std::string_view body) {
  if (!object.is_object()) throwParseError("DML results", "error is not an object", body);
  RecordError error;
  if (const auto it = object.find("statusCode"); it != object.end())
    error.statusCode = jsonText(*it);
  if (const auto it = object.find("message"); it != object.end()) error.message = jsonText(*it);
  if (const auto it = object.find("fields"); it != object.end()) {
    if (it->is_array()) {
      for (const auto& field : *it) error.fields.push_back(jsonText(field));
    } else if (!it->is_null()) {
      error.fields.push_back(jsonText(*it));
    }
  }
  return error;
}

RecordResult dmlResultFromJson(const nlohmann::json& item, std::string_view body) {
  if (!item.is_object()) throwParseError("DML results", "result is not an object", body);
  RecordResult result;
  if (const auto it = item.find("id"); it != item.end()) result.id = jsonText(*it);
  if (const auto it = item.find("success"); it != item.end()) result.success = jsonBool(*it);
  if (const auto it = item.find("created"); it != item.end()) result.created = jsonBool(*it);
  if (const auto it = item.find("errors"); it != item.end()) {
    if (it->is_array()) {
      for (const auto& error : *it) result.errors.push_back(jsonRecordError(error, body));
    } else if (it->is_object()) {
      result.errors.push_back(jsonRecordError(*it, body));
    }
  }
  return result;
}

std::vector<RecordResult> dmlResultsFromJson(std::string_view body) {
  std::vector<RecordResult> results;
  // Results of the plain shape without a document; the rest one by one through it.
  const auto general = [body](std::string_view item) {
    return dmlResultFromJson(loadJson(item, "DML results"), body);
  };
  if (scanJsonDmlResults(body, general, results)) return results;
  results.clear();
  const nlohmann::json json = loadJson(body, "DML results");
  if (!json.is_array()) throwParseError("DML results", "expected a JSON array", body);
  results.reserve(json.size());
  for (const auto& item : json) results.push_back(dmlResultFromJson(item, body));
  return results;
}

}  // namespace

std::vector<RecordResult> parseDmlResults(std::string_view body) {
  switch (sniffBody(body)) {
    case BodyKind::Xml:
      return dmlResultsFromXml(body);
    case BodyKind::Json:
      return dmlResultsFromJson(body);
    case BodyKind::Csv:
      return dmlResultsFromCsv(body);
    case BodyKind::Empty:
      break;
  }
  return {};
}

std::vector<std::string> parseResultList(std::string_view body) {
  std::vector<std::string> ids;
  switch (sniffBody(body)) {
    case BodyKind::Xml: {
      pugi::xml_document doc;
      loadXml(doc, body, "result-list");
      const pugi::xml_node root = doc.document_element();
      if (localName(root.name()) != "result-list") {
        throwParseError("result-list", std::string("root element is <") + root.name() + ">", body);
      }
      for (pugi::xml_node node = root.first_child(); node; node = node.next_sibling()) {
        if (node.type() == pugi::node_element && localName(node.name()) == "result") {
          ids.emplace_back(node.child_value());
        }
      }
      return ids;
    }
    case BodyKind::Json: {
      const nlohmann::json json = loadJson(body, "result-list");
      const nlohmann::json* list = &json;
      // Tolerate an object wrapper such as {"result":[…]}.
      if (json.is_object()) {
        const auto it = json.find("result");
        if (it == json.end()) throwParseError("result-list", "no result ids", body);
        list = &*it;
      }
      if (list->is_string()) {
        ids.push_back(list->get<std::string>());
      } else if (list->is_array()) {
        for (const auto& id : *list) {
          if (!id.is_string()) throwParseError("result-list", "result id is not a string", body);
          ids.push_back(id.get<std::string>());
        }
      } else if (!list->is_null()) {
        throwParseError("result-list", "expected an array of ids", body);
      }
      return ids;
    }
    case BodyKind::Empty:
      return ids;
    case BodyKind::Csv:
      break;
  }
  throwParseError("result-list", "neither XML nor JSON", body);
}

}  // namespace sfdc::bulk::detail
