#pragma once

// Where a load's result files go when the user named none: Data Loader's convention, a
// results folder with the object, operation and time in the names, so that no load's
// results are ever lost or overwritten. Shared by `load`, `job wait` and `job results`.

#include <string>

namespace sfbulk {

/// Fills the empty ones of `successFile` and `errorFile` with
/// DIR/OBJECT-OPERATION-yyyyMMdd-HHmmss-success.csv and ...-error.csv (local time; -2,
/// -3, ... added when files of the same second exist), creating DIR. Throws LocalIoError
/// when DIR cannot be created.
void defaultResultFiles(const std::string& object, const std::string& operation,
                        const std::string& dir, std::string& successFile, std::string& errorFile);

}  // namespace sfbulk
