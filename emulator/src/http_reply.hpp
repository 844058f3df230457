#pragma once

// What every endpoint handler produces: a status, a bare media type and a body. The
// router adds the charset suffix, gzip, faults and headers in one place.

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sfdc::emulator::server {

/// The two formats of control responses (jobInfo, batchInfo, errors); §1.4 picks one.
enum class Format { Xml, Json };

struct Reply {
  int status = 200;
  std::string contentType;  ///< bare media type: application/xml, application/json, text/csv
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// `body` gzipped ahead of time (a query result file, compressed while its batch ran),
  /// sent instead of compressing `body` when the client accepts gzip.
  std::shared_ptr<const std::string> gzippedBody;
};

/// A request-level failure reported as an `<error>` body (§7.1). Handlers throw it; the
/// router formats it in the format chosen for the request.
class ApiException : public std::runtime_error {
 public:
  ApiException(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

inline constexpr const char* kXmlType = "application/xml";
inline constexpr const char* kJsonType = "application/json";
inline constexpr const char* kCsvType = "text/csv";

inline const char* mediaType(Format format) {
  return format == Format::Json ? kJsonType : kXmlType;
}

}  // namespace sfdc::emulator::server
