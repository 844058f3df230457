#pragma once

// The service's own retries of Bulk API 1.0 batches (§8): a batch whose processing is cut
// short by a transient failure or by the processing time limit goes back to the queue,
// counted in the job's numberRetries, up to 10 times for uploads and 15 for queries; then
// it fails. Sforce-Disable-Batch-Retry: TRUE fails it at the first interruption.

#include <string>

namespace sfdc::emulator::server {

/// Retries of a DML batch before it fails [DOC Sforce-Disable-Batch-Retry header page].
inline constexpr int kUploadRetries = 10;
/// Retries of a query batch before it fails [same page].
inline constexpr int kQueryRetries = 15;

/// What an attempt meets with Faults::transientBatchFailures.
inline constexpr const char* kTransientFailure = "A transient error interrupted the batch";

/// The stateMessage of a batch whose `retries` retries are used up.
std::string retriedMoreThan(int retries);
/// The stateMessage of a batch interrupted for `why` in a job that turned retries off.
std::string failedWithoutRetry(const std::string& why);

}  // namespace sfdc::emulator::server
