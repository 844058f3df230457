#pragma once

// The job side of a query over Bulk API 2.0: create the query job and wait until its
// results can be read. Errors of the job as a whole surface here, from Client::query.

#include <sfdc/bulk/bulk2_connection.hpp>
#include <string_view>

#include "query/batch_tracker.hpp"

namespace sfdc::bulk::detail::query {

/// `POST /jobs/query` (query or queryAll), tried again within createQueryJobWithRetry's
/// rules, then `GET /jobs/query/{id}` with backoff until the job is JobComplete.
/// Throws ApiError for a Failed job (its errorMessage split into code and message),
/// Error for an Aborted one or a cancellation, TimeoutError past `settings.deadline`;
/// the job is aborted on a timeout or a cancellation.
QueryJob runBulk2QueryJob(Bulk2Connection& api, std::string_view soql, bool all,
                          const PollSettings& settings);

/// The `POST /jobs/query` part of runBulk2QueryJob: the new job's info.
Bulk2JobInfo createBulk2QueryJob(Bulk2Connection& api, std::string_view soql, bool all,
                                 const PollSettings& settings);

/// The waiting part of runBulk2QueryJob, for a job that exists (`info` as last read).
QueryJob waitForBulk2QueryJob(Bulk2Connection& api, Bulk2JobInfo info,
                              const PollSettings& settings);

/// Abort the query job and throw Error when `settings.cancel` is set; otherwise
/// nothing. A failed abort is logged, not thrown.
void abortIfCancelled(Bulk2Connection& api, const std::string& jobId, const PollSettings& settings);

}  // namespace sfdc::bulk::detail::query
