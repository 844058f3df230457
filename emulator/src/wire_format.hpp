#pragma once

// Response bodies exactly as the server lays them out: jobInfo, batchInfo, batchInfoList
// and errors in XML (§3.4 layout) or JSON (keys alphabetical), DML results in CSV, XML or
// JSON (§6.1) and the query result-list (§6.3).

#include <string>
#include <vector>

#include "http_reply.hpp"
#include "job_store.hpp"

namespace sfdc::emulator::server {

inline constexpr const char* kNamespace = "http://www.force.com/2009/06/asyncapi/dataload";

/// `2015-12-15T21:41:45.000Z` (XML) or `2015-12-15T21:41:45.000+0000` (JSON).
std::string formatDate(TimePoint time, Format format);

std::string formatJobInfo(const JobView& view, Format format);
std::string formatBatchInfo(const Batch& batch, Format format);
std::string formatBatchInfoList(const std::vector<Batch>& batches, Format format);
std::string formatError(const std::string& code, const std::string& message, Format format);

/// DML results in the job's content type: CSV, XML or JSON.
std::string formatDmlResults(const std::vector<DmlResult>& results, const std::string& contentType);
std::string formatResultList(const std::vector<ResultFile>& files, Format format);

/// XML character escaping for text content and attribute values.
std::string xmlEscape(const std::string& text);
/// One CSV cell, always double-quoted, inner quotes doubled.
std::string csvQuote(const std::string& text);

/// JSON for JSON and ZIP_JSON jobs, XML for everything else (§1.4).
Format formatOfJob(const std::string& contentType);

}  // namespace sfdc::emulator::server
