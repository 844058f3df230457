#include "bulk2_codec.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>

#include "codec/codec_util.hpp"

namespace sfdc::bulk::detail {
namespace {

using nlohmann::json;

const json* find(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string text(const json& object, const char* key) {
  const json* value = find(object, key);
  return value ? jsonText(*value) : std::string();
}

// Counters are numbers, but accept them quoted too; absent or null reads 0.
std::int64_t counter(const json& object, const char* key, std::string_view body) {
  const json* value = find(object, key);
  if (value == nullptr) return 0;
  if (value->is_number_integer()) return value->get<std::int64_t>();
  if (value->is_number_float()) {
    // 12.0 is a count; 1.5, 1e95 or inf are not (and converting them would be undefined).
    const double number = value->get<double>();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 9.0e18) {
      return static_cast<std::int64_t>(number);
    }
  }
  return parseInteger(jsonText(*value), key, body);
}

// `apiVersion` is a JSON number: 66.0, or 59 in some live answers. Keep the "NN.N"
// spelling Config::apiVersion uses.
std::string apiVersionText(const json& object) {
  const json* value = find(object, "apiVersion");
  if (value == nullptr) return {};
  if (value->is_number_integer()) return std::to_string(value->get<std::int64_t>()) + ".0";
  return jsonText(*value);
}

template <typename Parse>
auto parseField(const json& object, const char* key, std::string_view body, Parse parse)
    -> std::optional<decltype(parse(std::string_view()))> {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  try {
    return parse(jsonText(*value));
  } catch (const ParseError& e) {
    throwParseError("Bulk API 2.0 jobInfo", e.what(), body);
  }
}

Bulk2JobInfo jobInfoFrom(const json& object, std::string_view body) {
  if (!object.is_object()) throwParseError("Bulk API 2.0 jobInfo", "not a JSON object", body);
  Bulk2JobInfo info;
  info.id = text(object, "id");
  if (info.id.empty()) throwParseError("Bulk API 2.0 jobInfo", "no job id", body);
  if (auto op = parseField(object, "operation", body, parseOperation)) info.operation = *op;
  info.object = text(object, "object");
  info.createdById = text(object, "createdById");
  info.createdDate = text(object, "createdDate");
  info.systemModstamp = text(object, "systemModstamp");
  if (auto state = parseField(object, "state", body, parseBulk2JobState)) info.state = *state;
  info.externalIdFieldName = text(object, "externalIdFieldName");
  info.assignmentRuleId = text(object, "assignmentRuleId");
  info.concurrencyMode = text(object, "concurrencyMode");
  info.contentType = text(object, "contentType");
  info.apiVersion = apiVersionText(object);
  info.jobType = text(object, "jobType");
  info.contentUrl = text(object, "contentUrl");
  if (auto ending = parseField(object, "lineEnding", body, parseLineEnding)) {
    info.lineEnding = *ending;
  }
  if (auto delimiter = parseField(object, "columnDelimiter", body, parseColumnDelimiter)) {
    info.columnDelimiter = *delimiter;
  }
  info.numberRecordsProcessed = counter(object, "numberRecordsProcessed", body);
  info.numberRecordsFailed = counter(object, "numberRecordsFailed", body);
  info.retries = static_cast<int>(counter(object, "retries", body));
  info.totalProcessingTime = counter(object, "totalProcessingTime", body);
  info.apiActiveProcessingTime = counter(object, "apiActiveProcessingTime", body);
  info.apexProcessingTime = counter(object, "apexProcessingTime", body);
  info.errorMessage = text(object, "errorMessage");
  if (const json* chunking = find(object, "isPkChunkingSupported")) {
    info.isPkChunkingSupported =
        chunking->is_boolean() ? chunking->get<bool>() : parseBool(jsonText(*chunking));
  }
  return info;
}

bool doneFlag(const json& object) {
  const json* done = find(object, "done");
  if (done == nullptr) return true;
  return done->is_boolean() ? done->get<bool>() : parseBool(jsonText(*done));
}

json loadObject(std::string_view body, const char* what) {
  json document = loadJson(body, what);
  if (!document.is_object()) throwParseError(what, "not a JSON object", body);
  return document;
}

}  // namespace

std::string encodeIngestJobCreate(Operation operation, std::string_view object,
                                  const IngestJobOptions& options) {
  json body = json::object();
  body["object"] = std::string(object);
  body["operation"] = std::string(toString(operation));
  if (!options.externalIdFieldName.empty()) {
    body["externalIdFieldName"] = options.externalIdFieldName;
  }
  body["contentType"] = "CSV";
  body["columnDelimiter"] = std::string(toString(options.columnDelimiter));
  body["lineEnding"] = std::string(toString(options.lineEnding));
  if (!options.assignmentRuleId.empty()) body["assignmentRuleId"] = options.assignmentRuleId;
  return body.dump();
}

std::string encodeQueryJobCreate(std::string_view soql, const QueryJobOptions& options) {
  json body = json::object();
  body["operation"] = options.all ? "queryAll" : "query";
  body["query"] = std::string(soql);
  body["contentType"] = "CSV";
  body["columnDelimiter"] = std::string(toString(options.columnDelimiter));
  body["lineEnding"] = std::string(toString(options.lineEnding));
  return body.dump();
}

std::string encodeBulk2StateChange(Bulk2JobState state) {
  json body = json::object();
  body["state"] = std::string(toString(state));
  return body.dump();
}

Bulk2JobInfo parseBulk2JobInfo(std::string_view body) {
  return jobInfoFrom(loadObject(body, "Bulk API 2.0 jobInfo"), body);
}

Bulk2JobPage parseBulk2JobPage(std::string_view body) {
  const json document = loadObject(body, "Bulk API 2.0 job list");
  Bulk2JobPage page;
  if (const json* records = find(document, "records")) {
    if (!records->is_array()) {
      throwParseError("Bulk API 2.0 job list", "'records' is not an array", body);
    }
    for (const auto& record : *records) page.records.push_back(jobInfoFrom(record, body));
  }
  page.nextRecordsUrl = text(document, "nextRecordsUrl");
  // A page without a link to follow is the last one, whatever `done` says.
  page.done = doneFlag(document) || page.nextRecordsUrl.empty();
  if (page.done) page.nextRecordsUrl.clear();
  return page;
}

QueryResultPageLinks parseQueryResultPageLinks(std::string_view body) {
  const json document = loadObject(body, "Bulk API 2.0 resultPages");
  QueryResultPageLinks links;
  if (const json* pages = find(document, "resultPages")) {
    if (!pages->is_array()) {
      throwParseError("Bulk API 2.0 resultPages", "'resultPages' is not an array", body);
    }
    for (const auto& page : *pages) {
      std::string url;
      if (page.is_string()) {
        url = page.get<std::string>();
      } else if (page.is_object()) {
        url = text(page, "resultUrl");
        if (url.empty()) url = text(page, "resultLink");
      }
      if (url.empty()) {
        throwParseError("Bulk API 2.0 resultPages", "a result page without a resultUrl", body);
      }
      links.resultUrls.push_back(std::move(url));
    }
  }
  links.nextRecordsUrl = text(document, "nextRecordsUrl");
  if (links.nextRecordsUrl.empty()) links.nextRecordsUrl = text(document, "nextRecordUrl");
  links.done = doneFlag(document) || links.nextRecordsUrl.empty();
  if (links.done) links.nextRecordsUrl.clear();
  return links;
}

}  // namespace sfdc::bulk::detail
