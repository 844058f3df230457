#pragma once

// The ids of records a load created twice, in a CSV file that `sfbulk load --operation
// delete` takes as it is.

#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

namespace sfbulk {

/// The ids of the duplicate records still in the org (those not deleted again).
std::vector<std::string> undeletedDuplicateIds(const sfdc::bulk::LoadResult& result);

/**
 * Writes `Id` and one id per line to a new file `<jobId>-duplicates.csv` in `directory`
 * (`-1`, `-2`… before `.csv` when that name is taken: an existing file is never
 * replaced) and returns its path. Throws LocalIoError.
 */
std::string writeDuplicatesFile(const std::string& directory, const std::string& jobId,
                                const std::vector<std::string>& ids);

/// The directory of `path` ("." for a bare file name).
std::string directoryOf(const std::string& path);

/// Where the duplicates file goes: next to the result files the user has, else here.
std::string duplicatesDirectory(const std::string& errorFile, const std::string& successFile);

}  // namespace sfbulk
