#pragma once

// What a Bulk API 2.0 error answer means for the caller, added to the server's own
// message: the statuses 2.0 uses for specific situations (404 unknown job, 409 wrong API
// version, 410 retired version, 406 Accept refused, 412 results before completion) read
// as bare codes otherwise.

#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// The message of the ApiError for a 2.0 answer with `status`, error code `code` and the
/// server's `message`, for a call to `path` (relative to `/services/data/vXX.X/`, or a
/// server link).
std::string explainBulk2Error(int status, std::string_view code, const std::string& message,
                              std::string_view path);

}  // namespace sfdc::bulk::detail
