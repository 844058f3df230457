#pragma once

#include <functional>
#include <sfdc/bulk/export.hpp>
#include <string_view>

namespace sfdc::bulk {

/// Severity of a log line.
enum class LogLevel { Debug, Info, Warning, Error };

/// Lower-case name of a level, e.g. `warning`.
SFDC_BULK_EXPORT std::string_view toString(LogLevel level) noexcept;

/**
 * Receives the SDK's log lines: one per request and response (method, URL, status,
 * bytes, milliseconds), retries and session refreshes. Tokens and secrets are redacted
 * before the handler sees a line. Called from whichever thread made the request.
 */
using LogHandler = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace sfdc::bulk
