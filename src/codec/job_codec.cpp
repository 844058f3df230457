// jobInfo, batchInfo, batchInfoList and error documents (wire reference §3, §4, §7).

#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <unordered_map>

#include "codec/codec_util.hpp"
#include "codec/wire_codec.hpp"

namespace sfdc::bulk::detail {

namespace {

constexpr const char* kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr const char* kDataloadNs = "http://www.force.com/2009/06/asyncapi/dataload";

void appendXmlElement(std::string& out, const char* name, std::string_view value) {
  out.append("  <").append(name).append(">");
  appendXmlEscaped(out, value);
  out.append("</").append(name).append(">\n");
}

// Far above any API version there will be; a number beyond it is not a version.
constexpr double kMaxApiVersion = 10000;

// apiVersion is a string in XML and a number (36.0, sometimes 58) in JSON; keep "NN.N".
std::string apiVersionText(const nlohmann::json& value, std::string_view body) {
  if (!value.is_number()) return jsonText(value);
  // Compared as a double before any conversion to an integer, which would be undefined
  // for a value out of the integer's range.
  const double number = value.get<double>();
  if (!(number >= 0 && number < kMaxApiVersion)) {
    throwParseError("bad number", "apiVersion is out of range: " + value.dump(), body);
  }
  if (value.is_number_float()) return jsonText(value);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.0", static_cast<long long>(number));
  return buffer;
}

// One table per document type maps a field name to a setter taking the field's text, so
// that XML (text) and JSON (scalars rendered as text) share one assignment path.
template <typename T>
using Setter = std::function<void(T&, const std::string&, std::string_view body)>;

// Counters and durations: never negative, and within the member's type.
template <typename T, typename Int>
Setter<T> intField(Int T::*member, const char* name) {
  return [member, name](T& target, const std::string& text, std::string_view body) {
    const std::int64_t value = parseInteger(text, name, body);
    if (value < 0 || static_cast<std::uint64_t>(value) >
                         static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
      throwParseError("bad number",
                      std::string(name) + " is out of range (0 to " +
                          std::to_string(std::numeric_limits<Int>::max()) + "): " + text,
                      body);
    }
    target.*member = static_cast<Int>(value);
  };
}

template <typename T>
Setter<T> stringField(std::string T::*member) {
  return [member](T& target, const std::string& text, std::string_view) { target.*member = text; };
}

const std::unordered_map<std::string, Setter<JobInfo>>& jobSetters() {
  static const std::unordered_map<std::string, Setter<JobInfo>> setters = {
      {"id", stringField(&JobInfo::id)},
      {"operation",
       [](JobInfo& j, const std::string& t, std::string_view) { j.operation = parseOperation(t); }},
      {"object", stringField(&JobInfo::object)},
      {"createdById", stringField(&JobInfo::createdById)},
      {"createdDate", stringField(&JobInfo::createdDate)},
      {"systemModstamp", stringField(&JobInfo::systemModstamp)},
      {"state",
       [](JobInfo& j, const std::string& t, std::string_view) { j.state = parseJobState(t); }},
      {"externalIdFieldName", stringField(&JobInfo::externalIdFieldName)},
      {"concurrencyMode",
       [](JobInfo& j, const std::string& t, std::string_view) {
         // simple-salesforce sends the enum ordinal; accept it when echoed back.
         if (t == "0") {
           j.concurrencyMode = ConcurrencyMode::Parallel;
         } else if (t == "1") {
           j.concurrencyMode = ConcurrencyMode::Serial;
         } else if (!t.empty()) {
           j.concurrencyMode = parseConcurrencyMode(t);
         }
       }},
      {"contentType",
       [](JobInfo& j, const std::string& t, std::string_view) {
         if (!t.empty()) j.contentType = parseContentType(t);
       }},
      {"numberBatchesQueued", intField(&JobInfo::numberBatchesQueued, "numberBatchesQueued")},
      {"numberBatchesInProgress",
       intField(&JobInfo::numberBatchesInProgress, "numberBatchesInProgress")},
      {"numberBatchesCompleted",
       intField(&JobInfo::numberBatchesCompleted, "numberBatchesCompleted")},
      {"numberBatchesFailed", intField(&JobInfo::numberBatchesFailed, "numberBatchesFailed")},
      {"numberBatchesTotal", intField(&JobInfo::numberBatchesTotal, "numberBatchesTotal")},
      {"numberRecordsProcessed",
       intField(&JobInfo::numberRecordsProcessed, "numberRecordsProcessed")},
      {"numberRetries", intField(&JobInfo::numberRetries, "numberRetries")},
      {"apiVersion", stringField(&JobInfo::apiVersion)},
      {"assignmentRuleId", stringField(&JobInfo::assignmentRuleId)},
      {"numberRecordsFailed", intField(&JobInfo::numberRecordsFailed, "numberRecordsFailed")},
      {"totalProcessingTime", intField(&JobInfo::totalProcessingTime, "totalProcessingTime")},
      {"apiActiveProcessingTime",
       intField(&JobInfo::apiActiveProcessingTime, "apiActiveProcessingTime")},
      {"apexProcessingTime", intField(&JobInfo::apexProcessingTime, "apexProcessingTime")},
  };
  return setters;
}

const std::unordered_map<std::string, Setter<BatchInfo>>& batchSetters() {
  static const std::unordered_map<std::string, Setter<BatchInfo>> setters = {
      {"id", stringField(&BatchInfo::id)},
      {"jobId", stringField(&BatchInfo::jobId)},
      {"state",
       [](BatchInfo& b, const std::string& t, std::string_view) {
         // Older documentation prints "Not Processed"; the wire form has no space.
         b.state = parseBatchState(t == "Not Processed" ? std::string("NotProcessed") : t);
       }},
      {"stateMessage", stringField(&BatchInfo::stateMessage)},
      {"createdDate", stringField(&BatchInfo::createdDate)},
      {"systemModstamp", stringField(&BatchInfo::systemModstamp)},
      {"numberRecordsProcessed",
       intField(&BatchInfo::numberRecordsProcessed, "numberRecordsProcessed")},
      {"numberRecordsFailed", intField(&BatchInfo::numberRecordsFailed, "numberRecordsFailed")},
      {"totalProcessingTime", intField(&BatchInfo::totalProcessingTime, "totalProcessingTime")},
      {"apiActiveProcessingTime",
       intField(&BatchInfo::apiActiveProcessingTime, "apiActiveProcessingTime")},
      {"apexProcessingTime", intField(&BatchInfo::apexProcessingTime, "apexProcessingTime")},
  };
  return setters;
}

template <typename T>
void applySetter(const std::unordered_map<std::string, Setter<T>>& setters, T& target,
                 const std::string& key, const std::string& text, std::string_view body) {
  const auto it = setters.find(key);
  if (it == setters.end()) return;  // unknown elements/keys are ignored (newer servers add some)
  try {
    it->second(target, text, body);
  } catch (const ParseError&) {
    throw;
  } catch (const std::exception& e) {
    throwParseError("bad value", key + ": " + e.what(), body);
  }
}

template <typename T>
T fromXmlElement(pugi::xml_node node, const std::unordered_map<std::string, Setter<T>>& setters,
                 std::string_view body) {
  T result;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    applySetter(setters, result, std::string(localName(child.name())), child.child_value(), body);
  }
  return result;
}

template <typename T>
T fromJsonObject(const nlohmann::json& object,
                 const std::unordered_map<std::string, Setter<T>>& setters, std::string_view body,
                 std::string_view what) {
  if (!object.is_object()) throwParseError(what, "expected a JSON object", body);
  T result;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.value().is_null()) continue;  // newer servers send explicit nulls
    if (it.value().is_structured()) continue;
    const std::string text =
        it.key() == "apiVersion" ? apiVersionText(it.value(), body) : jsonText(it.value());
    applySetter(setters, result, it.key(), text, body);
  }
  return result;
}

pugi::xml_node expectXmlRoot(const pugi::xml_document& doc, std::string_view name,
                             std::string_view body) {
  const pugi::xml_node root = doc.document_element();
  if (!root || localName(root.name()) != name) {
    throwParseError(std::string("expected <") + std::string(name) + ">",
                    std::string("root element is <") + (root ? root.name() : "") + ">", body);
  }
  return root;
}

}  // namespace

WireFormat statusFormat(ContentType type) noexcept {
  return (type == ContentType::JSON || type == ContentType::ZIP_JSON) ? WireFormat::Json
                                                                      : WireFormat::Xml;
}

std::string encodeJobCreate(const JobCreateRequest& request, WireFormat format) {
  if (format == WireFormat::Json) {
    nlohmann::ordered_json body;
    body["operation"] = std::string(toString(request.operation));
    body["object"] = request.object;
    if (!request.externalIdFieldName.empty()) {
      body["externalIdFieldName"] = request.externalIdFieldName;
    }
    if (request.concurrencyMode) {
      body["concurrencyMode"] = std::string(toString(*request.concurrencyMode));
    }
    body["contentType"] = std::string(toString(request.contentType));
    if (!request.assignmentRuleId.empty()) body["assignmentRuleId"] = request.assignmentRuleId;
    return body.dump();
  }
  // XSD sequence order (§3.2): the server's XML reader is order-sensitive.
  std::string out = kXmlDeclaration;
  out.append("<jobInfo xmlns=\"").append(kDataloadNs).append("\">\n");
  appendXmlElement(out, "operation", toString(request.operation));
  appendXmlElement(out, "object", request.object);
  if (!request.externalIdFieldName.empty()) {
    appendXmlElement(out, "externalIdFieldName", request.externalIdFieldName);
  }
  if (request.concurrencyMode) {
    appendXmlElement(out, "concurrencyMode", toString(*request.concurrencyMode));
  }
  appendXmlElement(out, "contentType", toString(request.contentType));
  if (!request.assignmentRuleId.empty()) {
    appendXmlElement(out, "assignmentRuleId", request.assignmentRuleId);
  }
  out.append("</jobInfo>\n");
  return out;
}

std::string encodeJobState(JobState state, WireFormat format) {
  if (format == WireFormat::Json) {
    return std::string("{\"state\":\"").append(toString(state)).append("\"}");
  }
  std::string out = kXmlDeclaration;
  out.append("<jobInfo xmlns=\"").append(kDataloadNs).append("\">\n");
  appendXmlElement(out, "state", toString(state));
  out.append("</jobInfo>\n");
  return out;
}

JobInfo parseJobInfo(std::string_view body) {
  switch (sniffBody(body)) {
    case BodyKind::Xml: {
      pugi::xml_document doc;
      loadXml(doc, body, "jobInfo");
      return fromXmlElement(expectXmlRoot(doc, "jobInfo", body), jobSetters(), body);
    }
    case BodyKind::Json:
      return fromJsonObject(loadJson(body, "jobInfo"), jobSetters(), body, "jobInfo");
    default:
      throwParseError("jobInfo", "neither XML nor JSON", body);
  }
}

BatchInfo parseBatchInfo(std::string_view body) {
  switch (sniffBody(body)) {
    case BodyKind::Xml: {
      pugi::xml_document doc;
      loadXml(doc, body, "batchInfo");
      return fromXmlElement(expectXmlRoot(doc, "batchInfo", body), batchSetters(), body);
    }
    case BodyKind::Json:
      return fromJsonObject(loadJson(body, "batchInfo"), batchSetters(), body, "batchInfo");
    default:
      throwParseError("batchInfo", "neither XML nor JSON", body);
  }
}

std::vector<BatchInfo> parseBatchInfoList(std::string_view body) {
  std::vector<BatchInfo> batches;
  switch (sniffBody(body)) {
    case BodyKind::Xml: {
      pugi::xml_document doc;
      loadXml(doc, body, "batchInfoList");
      const pugi::xml_node root = doc.document_element();
      // A lone batchInfo document is accepted as a list of one.
      if (root && localName(root.name()) == "batchInfo") {
        batches.push_back(fromXmlElement(root, batchSetters(), body));
        return batches;
      }
      for (pugi::xml_node child = expectXmlRoot(doc, "batchInfoList", body).first_child(); child;
           child = child.next_sibling()) {
        if (child.type() == pugi::node_element && localName(child.name()) == "batchInfo") {
          batches.push_back(fromXmlElement(child, batchSetters(), body));
        }
      }
      return batches;
    }
    case BodyKind::Json: {
      const nlohmann::json json = loadJson(body, "batchInfoList");
      const nlohmann::json* list = &json;
      if (json.is_object()) {
        const auto it = json.find("batchInfo");
        if (it == json.end() || it->is_null()) return batches;
        list = &*it;
      }
      if (list->is_object()) {  // one batch where an array was expected
        batches.push_back(fromJsonObject(*list, batchSetters(), body, "batchInfoList"));
      } else if (list->is_array()) {
        for (const auto& item : *list) {
          batches.push_back(fromJsonObject(item, batchSetters(), body, "batchInfoList"));
        }
      } else {
        throwParseError("batchInfoList", "batchInfo is neither an array nor an object", body);
      }
      return batches;
    }
    default:
      throwParseError("batchInfoList", "neither XML nor JSON", body);
  }
}

std::optional<ErrorBody> parseErrorBody(std::string_view body) {
  switch (sniffBody(body)) {
    case BodyKind::Xml: {
      pugi::xml_document doc;
      // A document too deep to be read safely is no error document either.
      if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8) ||
          !xmlDepthWithinLimit(doc)) {
        return std::nullopt;
      }
      const pugi::xml_node root = doc.document_element();
      if (localName(root.name()) != "error") return std::nullopt;
      ErrorBody error;
      error.exceptionCode = childByLocalName(root, "exceptionCode").child_value();
      error.exceptionMessage = childByLocalName(root, "exceptionMessage").child_value();
      return error;
    }
    case BodyKind::Json: {
      if (!jsonDepthWithinLimit(body)) return std::nullopt;
      const nlohmann::json json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
      // The REST API's form, `[{"errorCode":…,"message":…}]`, shows up from gateways and
      // for some auth failures; accept it too.
      const nlohmann::json* object = &json;
      if (json.is_array() && !json.empty()) object = &json.front();
      if (!object->is_object()) return std::nullopt;
      const auto code = object->find("exceptionCode");
      if (code != object->end()) {
        ErrorBody error;
        error.exceptionCode = jsonText(*code);
        const auto message = object->find("exceptionMessage");
        if (message != object->end()) error.exceptionMessage = jsonText(*message);
        return error;
      }
      const auto restCode = object->find("errorCode");
      if (restCode != object->end()) {
        ErrorBody error;
        error.exceptionCode = jsonText(*restCode);
        const auto message = object->find("message");
        if (message != object->end()) error.exceptionMessage = jsonText(*message);
        return error;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace sfdc::bulk::detail
