#include "wire_format.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace sfdc::emulator::server {

namespace {

// The server's XML layout (§3.4): the declaration runs straight into the root start
// tag, `xmlns` sits on the next line indented three spaces, and each nesting level is
// indented by one more space.
std::string xmlOpen(const char* root) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><") + root + "\n   xmlns=\"" +
         kNamespace + "\">\n";
}

void element(std::string& out, int depth, const char* name, const std::string& value) {
  out.append(static_cast<std::size_t>(depth), ' ');
  out += '<';
  out += name;
  out += '>';
  out += xmlEscape(value);
  out += "</";
  out += name;
  out += ">\n";
}

void element(std::string& out, int depth, const char* name, long long value) {
  element(out, depth, name, std::to_string(value));
}

void batchInfoXml(std::string& out, int depth, const Batch& b) {
  // XSD sequence (§4.1); stateMessage only when there is one.
  element(out, depth, "id", b.id);
  element(out, depth, "jobId", b.jobId);
  element(out, depth, "state", toString(b.state));
  if (!b.stateMessage.empty()) element(out, depth, "stateMessage", b.stateMessage);
  element(out, depth, "createdDate", formatDate(b.createdDate, Format::Xml));
  element(out, depth, "systemModstamp", formatDate(b.systemModstamp, Format::Xml));
  element(out, depth, "numberRecordsProcessed", b.numberRecordsProcessed);
  element(out, depth, "numberRecordsFailed", b.numberRecordsFailed);
  element(out, depth, "totalProcessingTime", b.totalProcessingTime);
  element(out, depth, "apiActiveProcessingTime", b.apiActiveProcessingTime);
  element(out, depth, "apexProcessingTime", b.apexProcessingTime);
}

nlohmann::json batchInfoJson(const Batch& b) {
  nlohmann::json j;  // std::map underneath: keys come out alphabetical, as the server's
  j["apexProcessingTime"] = b.apexProcessingTime;
  j["apiActiveProcessingTime"] = b.apiActiveProcessingTime;
  j["createdDate"] = formatDate(b.createdDate, Format::Json);
  j["id"] = b.id;
  j["jobId"] = b.jobId;
  j["numberRecordsFailed"] = b.numberRecordsFailed;
  j["numberRecordsProcessed"] = b.numberRecordsProcessed;
  j["state"] = toString(b.state);
  if (!b.stateMessage.empty()) j["stateMessage"] = b.stateMessage;
  j["systemModstamp"] = formatDate(b.systemModstamp, Format::Json);
  j["totalProcessingTime"] = b.totalProcessingTime;
  return j;
}

double apiVersionNumber(const std::string& version) {
  try {
    return std::stod(version);
  } catch (const std::exception&) {
    return 0.0;
  }
}

std::string csvErrorCell(const DmlResult& r) {
  // `STATUS_CODE:message:fields --` (§6.1); several errors are separated by a space [INF].
  std::string cell;
  for (const auto& e : r.errors) {
    if (!cell.empty()) cell += ' ';
    cell += e.statusCode + ':' + e.message + ':';
    for (std::size_t i = 0; i < e.fields.size(); ++i) {
      if (i > 0) cell += ',';
      cell += e.fields[i];
    }
    cell += " --";
  }
  return cell;
}

}  // namespace

std::string xmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string csvQuote(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Format formatOfJob(const std::string& contentType) {
  return contentType == "JSON" || contentType == "ZIP_JSON" ? Format::Json : Format::Xml;
}

std::string formatDate(TimePoint time, Format format) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%s", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000), format == Format::Xml ? "Z" : "+0000");
  return buffer;
}

std::string formatJobInfo(const JobView& view, Format format) {
  const Job& job = view.job;
  const JobCounters& c = view.counters;
  if (format == Format::Json) {
    nlohmann::json j;
    j["apexProcessingTime"] = c.apexProcessingTime;
    j["apiActiveProcessingTime"] = c.apiActiveProcessingTime;
    j["apiVersion"] = apiVersionNumber(job.apiVersion);  // a JSON number (§3.4)
    if (!job.assignmentRuleId.empty()) j["assignmentRuleId"] = job.assignmentRuleId;
    j["concurrencyMode"] = job.concurrencyMode;
    j["contentType"] = job.contentType;
    j["createdById"] = job.createdById;
    j["createdDate"] = formatDate(job.createdDate, Format::Json);
    if (!job.externalIdFieldName.empty()) j["externalIdFieldName"] = job.externalIdFieldName;
    j["id"] = job.id;
    j["numberBatchesCompleted"] = c.completed;
    j["numberBatchesFailed"] = c.failed;
    j["numberBatchesInProgress"] = c.inProgress;
    j["numberBatchesQueued"] = c.queued;
    j["numberBatchesTotal"] = c.total;
    j["numberRecordsFailed"] = c.recordsFailed;
    j["numberRecordsProcessed"] = c.recordsProcessed;
    j["numberRetries"] = job.numberRetries;
    j["object"] = job.object;
    j["operation"] = job.operation;
    j["state"] = job.state;
    j["systemModstamp"] = formatDate(job.systemModstamp, Format::Json);
    j["totalProcessingTime"] = c.totalProcessingTime;
    return j.dump();
  }
  // XSD sequence (§3.2); externalIdFieldName and assignmentRuleId only when set (§3.4).
  std::string out = xmlOpen("jobInfo");
  element(out, 1, "id", job.id);
  element(out, 1, "operation", job.operation);
  element(out, 1, "object", job.object);
  element(out, 1, "createdById", job.createdById);
  element(out, 1, "createdDate", formatDate(job.createdDate, Format::Xml));
  element(out, 1, "systemModstamp", formatDate(job.systemModstamp, Format::Xml));
  element(out, 1, "state", job.state);
  if (!job.externalIdFieldName.empty()) {
    element(out, 1, "externalIdFieldName", job.externalIdFieldName);
  }
  element(out, 1, "concurrencyMode", job.concurrencyMode);
  element(out, 1, "contentType", job.contentType);
  element(out, 1, "numberBatchesQueued", c.queued);
  element(out, 1, "numberBatchesInProgress", c.inProgress);
  element(out, 1, "numberBatchesCompleted", c.completed);
  element(out, 1, "numberBatchesFailed", c.failed);
  element(out, 1, "numberBatchesTotal", c.total);
  element(out, 1, "numberRecordsProcessed", c.recordsProcessed);
  element(out, 1, "numberRetries", job.numberRetries);
  element(out, 1, "apiVersion", job.apiVersion);
  if (!job.assignmentRuleId.empty()) element(out, 1, "assignmentRuleId", job.assignmentRuleId);
  element(out, 1, "numberRecordsFailed", c.recordsFailed);
  element(out, 1, "totalProcessingTime", c.totalProcessingTime);
  element(out, 1, "apiActiveProcessingTime", c.apiActiveProcessingTime);
  element(out, 1, "apexProcessingTime", c.apexProcessingTime);
  out += "</jobInfo>";
  return out;
}

std::string formatBatchInfo(const Batch& batch, Format format) {
  if (format == Format::Json) return batchInfoJson(batch).dump();
  std::string out = xmlOpen("batchInfo");
  batchInfoXml(out, 1, batch);
  out += "</batchInfo>";
  return out;
}

std::string formatBatchInfoList(const std::vector<Batch>& batches, Format format) {
  if (format == Format::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& b : batches) list.push_back(batchInfoJson(b));
    return nlohmann::json{{"batchInfo", list}}.dump();
  }
  std::string out = xmlOpen("batchInfoList");
  for (const auto& b : batches) {
    out += " <batchInfo>\n";
    batchInfoXml(out, 2, b);
    out += " </batchInfo>\n";
  }
  out += "</batchInfoList>";
  return out;
}

std::string formatError(const std::string& code, const std::string& message, Format format) {
  if (format == Format::Json) {
    // exceptionCode before exceptionMessage, as wsc reads them (§7.1).
    nlohmann::ordered_json j;
    j["exceptionCode"] = code;
    j["exceptionMessage"] = message;
    return j.dump();
  }
  std::string out = xmlOpen("error");
  element(out, 1, "exceptionCode", code);
  element(out, 1, "exceptionMessage", message);
  out += "</error>";
  return out;
}

std::string formatDmlResults(const std::vector<DmlResult>& results,
                             const std::string& contentType) {
  if (contentType == "CSV" || contentType == "ZIP_CSV") {
    // Every cell quoted; the header exactly as §6.1 shows it.
    std::string out = "\"Id\",\"Success\",\"Created\",\"Error\"\n";
    for (const auto& r : results) {
      out += csvQuote(r.success ? r.id : std::string()) + ',' +
             csvQuote(r.success ? "true" : "false") + ',' + csvQuote(r.created ? "true" : "false") +
             ',' + csvQuote(csvErrorCell(r)) + '\n';
    }
    return out;
  }
  if (contentType == "JSON" || contentType == "ZIP_JSON") {
    // Key order of the documentation sample: success, created, id, errors (§6.1).
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : results) {
      nlohmann::ordered_json item;
      item["success"] = r.success;
      item["created"] = r.created;
      item["id"] = r.success ? nlohmann::ordered_json(r.id) : nlohmann::ordered_json(nullptr);
      item["errors"] = nlohmann::ordered_json::array();
      for (const auto& e : r.errors) {
        nlohmann::ordered_json err;
        err["statusCode"] = e.statusCode;
        err["message"] = e.message;
        err["fields"] = e.fields;
        item["errors"].push_back(err);
      }
      list.push_back(item);
    }
    return list.dump();
  }
  // XML: one <result> per line, children in XSD order errors*, id?, success, created.
  std::string out = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><results xmlns=\"") +
                    kNamespace + "\">\n";
  for (const auto& r : results) {
    out += "<result>";
    for (const auto& e : r.errors) {
      out += "<errors>";
      for (const auto& f : e.fields) out += "<fields>" + xmlEscape(f) + "</fields>";
      out += "<message>" + xmlEscape(e.message) + "</message>";
      out += "<statusCode>" + xmlEscape(e.statusCode) + "</statusCode></errors>";
    }
    if (r.success) out += "<id>" + xmlEscape(r.id) + "</id>";
    out += std::string("<success>") + (r.success ? "true" : "false") + "</success>";
    out += std::string("<created>") + (r.created ? "true" : "false") + "</created>";
    out += "</result>\n";
  }
  out += "</results>";
  return out;
}

std::string formatResultList(const std::vector<ResultFile>& files, Format format) {
  if (format == Format::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : files) list.push_back(f.id);
    return list.dump();
  }
  // The one-line layout of the documentation's walkthrough (§6.3).
  std::string out = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><result-list xmlns=\"") +
                    kNamespace + "\">";
  for (const auto& f : files) out += "<result>" + f.id + "</result>";
  out += "</result-list>";
  return out;
}

}  // namespace sfdc::emulator::server
