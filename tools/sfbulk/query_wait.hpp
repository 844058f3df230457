#pragma once

// `sfbulk job wait JOB_ID` for a query job (one started by `sfbulk query --no-wait`):
// waits for the job and writes its records as `sfbulk query` does.

#include <sfdc/bulk/client.hpp>
#include <string>

#include "cli_common.hpp"

namespace sfbulk {

/// Streams query job `jobId` (Bulk API `api`: 1 or 2) to `output` as `format` (csv,
/// json or jsonl; empty: the job's own, csv or json); `json`: the summary and errors as
/// JSON documents; `parallel`: result files or pages downloaded at once.
int runQueryWait(const CommonOptions& common, sfdc::bulk::Client& client, const std::string& jobId,
                 int api, std::string format, const std::string& output, bool json,
                 int parallel = 1);

}  // namespace sfbulk
