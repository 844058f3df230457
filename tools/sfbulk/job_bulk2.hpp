#pragma once

// sfbulk job on Bulk API 2.0 jobs: which API a job id belongs to, and the 2.0 versions of
// info, close, abort, delete and results.

#include <sfdc/bulk/bulk2_client.hpp>
#include <sfdc/bulk/client.hpp>
#include <string>

#include "cli_common.hpp"

namespace sfbulk {

/// Where a job id lives.
struct JobLocation {
  enum class Kind { V1, Ingest, Query };
  Kind kind = Kind::V1;
  /// The 2.0 jobInfo read while finding out (Ingest and Query).
  sfdc::bulk::Bulk2JobInfo info;
};

/// `api` is 1, 2 or 0 (find out): a 2.0 ingest job, then a 2.0 query job, then a v1 job.
/// With 2, a job that is neither kind of 2.0 job is an error naming the id.
JobLocation locateJob(sfdc::bulk::Client& client, const std::string& jobId, int api);

/// `name  value` lines (or JSON) of every field of a 2.0 jobInfo.
void printBulk2Info(const sfdc::bulk::Bulk2JobInfo& info, bool json);
/// One line saying the job's new state after close or abort.
void printBulk2State(const sfdc::bulk::Bulk2JobInfo& info);

/// A 2.0 job's results: an ingest job's result file of `kind` (successful, failed,
/// unprocessed), or every page of a query job's results, as CSV (header once) or a JSON
/// array of objects. Returns the rows written.
std::uint64_t writeBulk2Results(sfdc::bulk::Bulk2Client& client, const JobLocation& job,
                                const std::string& kind, bool json, OutputFile& out);

}  // namespace sfbulk
