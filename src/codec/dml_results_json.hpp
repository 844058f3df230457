#pragma once

// A JSON DML result body read without building its document.
//
// A JSON job's batch of 10,000 records answers with 10,000 objects like
// `{"success":true,"created":true,"id":"003…","errors":[]}`. Parsing that into a
// nlohmann::json tree allocates a map node and several strings per result, then frees
// them, which costs more than the rest of the load's work on those records. The scanner
// here reads such results directly. Any result that is not exactly of that plain shape
// (errors to report, other fields, escapes in the id, numbers for booleans) is handed
// to `general` as its own text, so its meaning is decided in one place; a body that is
// not a well-formed array of objects makes the scan give up, so the caller's full parse
// reports it.

#include <functional>
#include <sfdc/bulk/types.hpp>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail {

/// Appends the results of `body` to `out` and returns true, or returns false (with `out`
/// unspecified) when the body needs the full parser.
bool scanJsonDmlResults(std::string_view body,
                        const std::function<RecordResult(std::string_view)>& general,
                        std::vector<RecordResult>& out);

}  // namespace sfdc::bulk::detail
