#pragma once

// `sfbulk job wait JOB_ID --input FILE` and `sfbulk job results JOB_ID --input FILE`: the
// outcome of every row of a Bulk API 1.0 load job, paired with the input the load read
// (Client::collectLoad), reported as `sfbulk load` reports it: the same result files, the
// same summary and exit codes. `wait` first waits for the job's batches with the load's
// progress display; `results` refuses a job whose batches still run.

#include <string>

#include "cli_common.hpp"

namespace CLI {
class App;
}

namespace sfbulk {

struct CollectArgs {
  std::string input;
  std::string successFile;
  std::string errorFile;
  std::string resultsDir = "sfbulk-results";
  bool noResults = false;
  bool deleteDuplicates = false;
  std::string spoolDir;
};

/// --input, --success, --errors, --results-dir, --no-results, --delete-duplicates and
/// --spool-dir on `command`.
void addCollectOptions(CLI::App& command, CollectArgs& args);

/// Collects the results of job `jobId`; `wait`: wait for its batches first.
int runCollect(const CommonOptions& common, const std::string& jobId, const CollectArgs& args,
               bool json, bool wait);

}  // namespace sfbulk
