#pragma once

// Reading the jobInfo a client sends (create, close, abort) in XML or JSON, and the
// create-job headers, into a validated Job (§3.1–§3.3, §9.1, §11 items 3–4).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_reply.hpp"
#include "job_store.hpp"

namespace sfdc::emulator::server {

/// The elements of a jobInfo request body, by local name, in document order.
struct JobInfoRequest {
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<std::string> get(const std::string& name) const;
};

/// Parses an XML (namespace prefixes allowed; any element order unless `strictOrder`) or
/// JSON (concurrencyMode as a string or 0/1) jobInfo. Throws ApiException.
JobInfoRequest parseJobInfoRequest(const std::string& body, Format format, bool strictOrder);

/// `TRUE`, `true`, `FALSE`, `chunkSize=N; parent=X; startRow=Y;` (§9.1). Throws
/// ApiException(InvalidJob) for values it cannot read.
PkChunking parsePkChunking(const std::string& header);

struct CreateJobHeaders {
  std::string pkChunking;
  std::string lineEnding;
  std::string disableBatchRetry;
};

/// Validates a create request against the org and builds the job to store.
Job buildJob(const JobInfoRequest& request, const Org& org, const std::string& apiVersion,
             const CreateJobHeaders& headers);

/// Validates a close/abort request for `job`; returns the requested state.
std::string requestedState(const JobInfoRequest& request, const Job& job);

}  // namespace sfdc::emulator::server
