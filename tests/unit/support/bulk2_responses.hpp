#pragma once

// Bulk API 2.0 answers as the wire reference quotes them, for the 2.0 unit tests.

#include <string>

namespace sfdc::bulk::testing {

inline constexpr const char* kIngestJobId = "7505fEXAMPLE4C2AAM";
inline constexpr const char* kQueryJobId = "750R0000000zlh9IAA";

/// The answer to POST /jobs/ingest (state Open, no counters, no jobType).
inline std::string ingestCreateJson(const std::string& id = kIngestJobId) {
  return R"({ "id" : ")" + id + R"(", "operation" : "insert", "object" : "Account",
  "createdById" : "0055fEXAMPLEtG4AAM", "createdDate" : "2022-01-02T21:33:43.000+0000",
  "systemModstamp" : "2022-01-02T21:33:43.000+0000", "state" : "Open",
  "concurrencyMode" : "Parallel", "contentType" : "CSV", "apiVersion" : 66.0,
  "contentUrl" : "services/data/v66.0/jobs/ingest/)" +
         id + R"(/batches",
  "lineEnding" : "LF", "columnDelimiter" : "COMMA" })";
}

/// The abbreviated answer to a PATCH (no contentUrl, lineEnding, columnDelimiter).
inline std::string patchAnswerJson(const std::string& state, const std::string& id = kIngestJobId,
                                   const std::string& operation = "insert") {
  return R"({"id":")" + id + R"(","operation":")" + operation +
         R"(","object":"Account","createdById":"0055fEXAMPLEtG4AAM",)"
         R"("createdDate":"2022-01-02T21:33:43.000+0000","systemModstamp":"2022-01-02T21:33:43.000+0000",)"
         R"("state":")" +
         state + R"(","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":66.0})";
}

/// GET /jobs/ingest/{id} of a finished job.
inline std::string ingestInfoJson(const std::string& state = "JobComplete",
                                  const std::string& id = kIngestJobId) {
  return R"({ "id":")" + id + R"(", "operation":"insert", "object":"Account",
  "createdById":"0055fEXAMPLEtG4AAM", "createdDate":"2022-01-02T21:33:43.000+0000",
  "systemModstamp":"2022-01-02T21:38:31.000+0000", "state":")" +
         state + R"(", "concurrencyMode":"Parallel", "contentType":"CSV", "apiVersion":66.0,
  "jobType":"V2Ingest", "lineEnding":"LF", "columnDelimiter":"COMMA", "numberRecordsProcessed":7,
  "numberRecordsFailed":0, "retries":0, "totalProcessingTime":886, "apiActiveProcessingTime":813,
  "apexProcessingTime":619 })";
}

/// A live capture of a Failed ingest job.
inline std::string failedIngestInfoJson() {
  return R"({"id":"7505fEXAMPLE4C2AAM","operation":"insert","object":"Contact",)"
         R"("createdById":"0055fEXAMPLEtG4AAM","createdDate":"2022-01-02T21:33:43.000+0000",)"
         R"("systemModstamp":"2022-01-02T21:34:01.000+0000","state":"Failed",)"
         R"("concurrencyMode":"Parallel","contentType":"CSV","apiVersion":59,)"
         R"("jobType":"V2Ingest","lineEnding":"LF","columnDelimiter":"COMMA",)"
         R"("numberRecordsProcessed":0,"numberRecordsFailed":0,"retries":0,)"
         R"("totalProcessingTime":0,"apiActiveProcessingTime":0,"apexProcessingTime":0,)"
         R"("errorMessage":"InvalidBatch : Field name not found : ContactId__c"})";
}

/// The answer to POST /jobs/query.
inline std::string queryCreateJson(const std::string& id = kQueryJobId) {
  return R"({"id":")" + id +
         R"(","operation":"query","object":"Account",)"
         R"("createdById":"005R0000000GiwjIAC","createdDate":"2018-12-10T17:50:19.000+0000",)"
         R"("systemModstamp":"2018-12-10T17:50:19.000+0000","state":"UploadComplete",)"
         R"("concurrencyMode":"Parallel","contentType":"CSV","apiVersion":46.0,)"
         R"("lineEnding":"LF","columnDelimiter":"COMMA"})";
}

/// GET /jobs/query/{id} of a finished query.
inline std::string queryInfoJson(const std::string& state = "JobComplete",
                                 const std::string& delimiter = "COMMA") {
  return R"({"id":"750R0000000zlh9IAA","operation":"queryAll","object":"Account",)"
         R"("createdById":"005R0000000GiwjIAC","createdDate":"2018-12-10T17:50:19.000+0000",)"
         R"("systemModstamp":"2018-12-10T17:51:27.000+0000","state":")" +
         state +
         R"(","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":46.0,)"
         R"("jobType":"V2Query","lineEnding":"CRLF","columnDelimiter":")" +
         delimiter +
         R"(","numberRecordsProcessed":740003,"retries":0,"totalProcessingTime":21046,)"
         R"("isPkChunkingSupported":true})";
}

/// One page of GET /jobs/ingest.
inline std::string jobListPageJson() {
  return R"({"done":false,"records":[)" + ingestInfoJson() +
         R"(,{"id":"750R0000000zhfdIAA","operation":"insert","object":"Account",)"
         R"("createdById":"005R0000000GiwjIAC","createdDate":"2018-12-07T19:58:09.000+0000",)"
         R"("systemModstamp":"2018-12-07T19:59:14.000+0000","state":"JobComplete",)"
         R"("concurrencyMode":"Parallel","contentType":"CSV","apiVersion":44.0,)"
         R"("jobType":"Classic","lineEnding":"LF","columnDelimiter":"COMMA"}],)"
         R"("nextRecordsUrl":"/services/data/v66.0/jobs/ingest?queryLocator=01gR0000000opRTIAY-2000"})";
}

/// The answer to GET /jobs/query/{id}/resultPages.
inline std::string resultPagesJson() {
  return R"({ "resultPages": [
    {"resultUrl":"/services/data/v66.0/jobs/query/750R0000000zxr8IAA/results?locator=aBcDeFg4N"},
    {"resultUrl":"/services/data/v66.0/jobs/query/750R0000000zxr8IAA/results?locator=HiJkLmN4N"} ],
  "nextRecordsUrl": "/services/data/v66.0/jobs/query/750R0000000zxr8IAA/resultpages?locator=YcApWm4N",
  "done": false })";
}

/// A 2.0 error body.
inline std::string errorArrayJson(const std::string& code, const std::string& message) {
  return R"([{"errorCode":")" + code + R"(","message":")" + message + R"("}])";
}

}  // namespace sfdc::bulk::testing
