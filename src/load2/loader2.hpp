#pragma once

// Client::load over Bulk API 2.0, written against Bulk2Connection so that unit tests
// run it over an in-memory fake.
//
// The source is cut into jobs of at most maxJobRecords rows and maxJobBytes bytes (the
// v1 batch splitter, writing CSV with LF row ends into the load's spool directory);
// `concurrency` jobs are in flight at once, each on a worker thread (job_runner.hpp),
// and the source is read no further than they need. The loading thread reads each
// finished job's result files, pairs them with the input rows (result_matcher.hpp) and
// hands the outcomes, in input order and in chunks, to the v1 result emitter.
//
// Progress: the batches* counters of LoadProgress count jobs (a 2.0 job is the unit the
// client sees; the service cuts its own batches): Open and UploadComplete jobs are
// queued, InProgress in progress, JobComplete completed, Failed failed, Aborted not
// processed. recordsProcessed/recordsFailed add up the jobs' numberRecords* counters.

#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string_view>

#include "job_runner.hpp"

namespace sfdc::bulk::detail::load2 {

/// Throws InvalidArgument for options a 2.0 load cannot honour (before any request).
void validateLoad2Options(Operation operation, std::string_view object, const LoadOptions& options);

LoadResult runLoad2(Bulk2Connection& api, Operation operation, std::string_view object,
                    const RecordSource& source, const LoadOptions& options,
                    const Load2Tuning& tuning = {});

}  // namespace sfdc::bulk::detail::load2
