#include "job_request.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "wire_format.hpp"

namespace sfdc::emulator::server {

namespace {

// XSD sequence of jobInfo (§3.2).
const std::vector<std::string> kXsdOrder = {"id",
                                            "operation",
                                            "object",
                                            "createdById",
                                            "createdDate",
                                            "systemModstamp",
                                            "state",
                                            "externalIdFieldName",
                                            "concurrencyMode",
                                            "contentType",
                                            "numberBatchesQueued",
                                            "numberBatchesInProgress",
                                            "numberBatchesCompleted",
                                            "numberBatchesFailed",
                                            "numberBatchesTotal",
                                            "numberRecordsProcessed",
                                            "numberRetries",
                                            "apiVersion",
                                            "assignmentRuleId",
                                            "numberRecordsFailed",
                                            "totalProcessingTime",
                                            "apiActiveProcessingTime",
                                            "apexProcessingTime"};

// Fields a client may set on create; the rest of the XSD is system-maintained.
const std::vector<std::string> kWritableOnCreate = {
    "operation",       "object",      "state",           "externalIdFieldName",
    "concurrencyMode", "contentType", "assignmentRuleId"};

const std::vector<std::string> kOperations = {"insert",     "update", "upsert",  "delete",
                                              "hardDelete", "query",  "queryAll"};
const std::vector<std::string> kContentTypes = {"XML",     "CSV",     "JSON",
                                                "ZIP_XML", "ZIP_CSV", "ZIP_JSON"};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string localName(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? std::string(colon + 1) : std::string(name);
}

std::string capitalized(std::string name) {
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

ApiException invalidJob(const std::string& message) {
  return ApiException(400, "InvalidJob", message);
}

// wsc's AsyncExceptionCode (generated from the server's enum) spells it InvalidXml; the
// docs print InvalidXML. wsc would fail to parse the upper-case form, so use wsc's.
ApiException invalidXml(const std::string& message) {
  return ApiException(400, "InvalidXml", message);
}

JobInfoRequest parseXml(const std::string& body, bool strictOrder) {
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) throw invalidXml(std::string("Failed to parse XML: ") + parsed.description());
  const pugi::xml_node root = doc.document_element();
  if (localName(root.name()) != "jobInfo") {
    throw invalidXml(std::string("Unexpected root element: ") + root.name());
  }
  JobInfoRequest request;
  std::ptrdiff_t lastIndex = -1;
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string name = localName(child.name());
    const auto it = std::find(kXsdOrder.begin(), kXsdOrder.end(), name);
    if (it == kXsdOrder.end()) {
      // §3.1: live behaviour for unknown elements (e.g. 2.0's columnDelimiter) is
      // unverified; ignore them unless the strict mode is on.
      if (strictOrder)
        throw invalidXml("Unexpected element {" + std::string(kNamespace) + "}" + name);
      continue;
    }
    const std::ptrdiff_t index = it - kXsdOrder.begin();
    if (strictOrder && index <= lastIndex) {
      // §3.2: the real parser reads the XSD sequence strictly [INF for the exact error].
      throw invalidXml("Element {" + std::string(kNamespace) + "}" + name +
                       " is out of the XSD sequence order");
    }
    lastIndex = index;
    const std::string value = trim(child.child_value());
    if (!value.empty()) request.fields.emplace_back(name, value);
  }
  return request;
}

JobInfoRequest parseJson(const std::string& body) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw invalidJob(std::string("Unable to parse the jobInfo JSON: ") + e.what());
  }
  if (!j.is_object()) throw invalidJob("The jobInfo JSON must be an object");
  JobInfoRequest request;
  for (const auto& [key, value] : j.items()) {
    if (value.is_null()) continue;
    if (key == "concurrencyMode" && value.is_number_integer()) {
      // simple-salesforce sends the enum ordinal 0/1 (§3.3).
      const auto ordinal = value.get<long long>();
      if (ordinal != 0 && ordinal != 1)
        throw invalidJob("Invalid concurrencyMode: " + value.dump());
      request.fields.emplace_back(key, ordinal == 0 ? "Parallel" : "Serial");
    } else if (value.is_string()) {
      request.fields.emplace_back(key, value.get<std::string>());
    } else if (contains(kXsdOrder, key)) {
      request.fields.emplace_back(key, value.dump());
    }
    // Other keys (fastPathEnabled, …) are ignored, as tolerant servers do.
  }
  return request;
}

}  // namespace

std::optional<std::string> JobInfoRequest::get(const std::string& name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return std::nullopt;
}

JobInfoRequest parseJobInfoRequest(const std::string& body, Format format, bool strictOrder) {
  return format == Format::Json ? parseJson(body) : parseXml(body, strictOrder);
}

PkChunking parsePkChunking(const std::string& header) {
  PkChunking pk;
  const std::string value = trim(header);
  if (value.empty() || lower(value) == "false") return pk;
  pk.enabled = true;
  if (lower(value) == "true") return pk;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(';', start);
    if (end == std::string::npos) end = value.size();
    const std::string part = trim(value.substr(start, end - start));
    start = end + 1;
    if (part.empty()) continue;  // tolerate `;;` and a trailing `;`
    const auto eq = part.find('=');
    if (eq == std::string::npos) {
      if (lower(part) == "true") continue;
      throw invalidJob("Invalid Sforce-Enable-PKChunking option: " + part);
    }
    const std::string key = lower(trim(part.substr(0, eq)));
    const std::string val = trim(part.substr(eq + 1));
    if (key == "chunksize") {
      int size = 0;
      try {
        size = std::stoi(val);
      } catch (const std::exception&) {
        size = 0;
      }
      if (size < 1 || size > 250000) {
        throw invalidJob("Invalid chunkSize in Sforce-Enable-PKChunking: " + val +
                         " (must be between 1 and 250000)");
      }
      pk.chunkSize = size;
    } else if (key == "parent") {
      pk.parent = val;
    } else if (key == "startrow") {
      pk.startRow = val;
    } else {
      throw invalidJob("Invalid Sforce-Enable-PKChunking option: " + part);
    }
  }
  return pk;
}

Job buildJob(const JobInfoRequest& request, const Org& org, const std::string& apiVersion,
             const CreateJobHeaders& headers) {
  for (const auto& [name, value] : request.fields) {
    if (!contains(kWritableOnCreate, name))
      throw invalidJob(capitalized(name) + " cannot be specified");
  }
  Job job;
  job.apiVersion = apiVersion;
  const auto operation = request.get("operation");
  if (!operation) throw invalidJob("Operation must be specified");
  // Operation names are case-sensitive: `INSERT` is rejected (§3.1).
  if (!contains(kOperations, *operation)) throw invalidJob("Invalid operation: " + *operation);
  job.operation = *operation;
  const auto object = request.get("object");
  if (!object) throw invalidJob("Object must be specified");
  const ObjectDef* def = org.object(*object);
  if (def == nullptr) {
    throw ApiException(400, "InvalidEntity",
                       "Entity '" + *object + "' is not supported by the Bulk API.");
  }
  job.object = def->name;
  if (const auto state = request.get("state"); state && *state != "Open") {
    throw invalidJob("State must be Open when creating a job");
  }
  const auto externalId = request.get("externalIdFieldName");
  if (job.operation == "upsert" && !externalId) {
    throw invalidJob("External ID was blank for " + job.object +
                     ". An External ID must be specified for upsert.");
  }
  if (job.operation != "upsert" && externalId) {
    throw invalidJob("External ID field name is only valid for upsert operations");
  }
  if (externalId) job.externalIdFieldName = *externalId;
  if (const auto mode = request.get("concurrencyMode")) {
    if (*mode != "Parallel" && *mode != "Serial")
      throw invalidJob("Invalid concurrencyMode: " + *mode);
    job.concurrencyMode = *mode;
  }
  // Bulk API 1.0 defaults to XML (§3.1).
  if (const auto type = request.get("contentType")) {
    if (!contains(kContentTypes, *type)) throw invalidJob("Invalid contentType: " + *type);
    job.contentType = *type;
  }
  // Version gates [OBS salesforcer #48, heroku/salesforce-bulk PR #30; ForceCLI PR #480];
  // the exception code is not confirmed, InvalidJob is assumed.
  const double version = std::strtod(apiVersion.c_str(), nullptr);
  if (job.contentType == "JSON" && version < 36.0) {
    throw invalidJob("JSON content type is not supported");
  }
  if (job.isQuery() && version < 21.0) {
    throw invalidJob("Bulk API query is only available in version 21.0 and above");
  }
  if (const auto rule = request.get("assignmentRuleId")) job.assignmentRuleId = *rule;
  job.pkChunking = parsePkChunking(headers.pkChunking);
  if (job.pkChunking.enabled && !job.isQuery()) {
    // §9.1: PK chunking applies to query/queryAll only.
    job.pkChunking = PkChunking{};
  }
  const std::string lineEnding = trim(headers.lineEnding);
  if (!lineEnding.empty()) {
    if (lineEnding != "LF" && lineEnding != "CRLF") {
      throw invalidJob("Invalid Sforce-Line-Ending: " + lineEnding);
    }
    job.lineEnding = lineEnding;
  }
  job.disableBatchRetry = lower(trim(headers.disableBatchRetry)) == "true";
  return job;
}

std::string requestedState(const JobInfoRequest& request, const Job& job) {
  for (const auto& [name, value] : request.fields) {
    if (name == "state") continue;
    // A full jobInfo posted back is rejected at its first system field (forceworkbench
    // #675: "CreatedById cannot be specified"); the identifying fields may be echoed.
    if ((name == "id" && value == job.id) || (name == "operation" && value == job.operation) ||
        (name == "object" && value == job.object)) {
      continue;
    }
    throw invalidJob(capitalized(name) + " cannot be specified");
  }
  const auto state = request.get("state");
  if (!state) throw invalidJob("State must be specified");
  if (*state != "Closed" && *state != "Aborted") {
    throw ApiException(400, "InvalidJobState", "Invalid state for a job update: " + *state);
  }
  return *state;
}

}  // namespace sfdc::emulator::server
