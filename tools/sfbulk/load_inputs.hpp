#pragma once

// The record sources of `sfbulk load`: CSV (a file or stdin), a JSON array file, JSON
// Lines. Errors in the input name the input and are usage errors (exit 2), whatever
// part of the SDK detects them.

#include <sfdc/bulk/load.hpp>
#include <string>

namespace sfbulk {

/// "csv", "json" or "jsonl": --input-format, else the file's extension (CSV by default).
std::string inputKind(const std::string& path, const std::string& inputFormat);

/// The source for `path` (`-`: CSV on stdin) of the given kind; CSV fields are separated
/// by `delimiter` (rows are then re-encoded with commas for the batches).
sfdc::bulk::RecordSource openInput(const std::string& path, const std::string& kind,
                                   char delimiter = ',');

}  // namespace sfbulk
