#include "bulk2_errors.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string_view jobKind(std::string_view path) {
  if (path.find("jobs/ingest") != std::string_view::npos) return "ingest";
  if (path.find("jobs/query") != std::string_view::npos) return "query";
  return "";
}

std::string withHint(const std::string& message, const std::string& hint) {
  return message.empty() ? hint : message + " (" + hint + ")";
}

}  // namespace

std::string explainBulk2Error(int status, std::string_view code, const std::string& message,
                              std::string_view path) {
  const std::string kind(jobKind(path));
  switch (status) {
    case 404:
      if (kind.empty()) return withHint(message, "no such Bulk API 2.0 resource");
      return withHint(message, "no " + kind +
                                   " job with this id: it does not exist, was deleted, or is " +
                                   (kind == "ingest" ? "a query" : "an ingest") +
                                   " job, which lives under the other path");
    case 406:
      return withHint(message,
                      "the server refused the Accept header; result downloads need "
                      "Accept: text/csv");
    case 409:
      return withHint(message,
                      "results must be fetched with the API version the job was created "
                      "with; set Config::apiVersion to the job's apiVersion");
    case 410:
      return withHint(message,
                      "this API version is retired; set Config::apiVersion to a supported "
                      "version (41.0 or later for ingest, 47.0 for query)");
    case 412:
      if (code == "JOB_NOT_COMPLETE" || message.empty()) {
        return withHint(message, "the job has not completed yet; poll its state until JobComplete");
      }
      return message;
    default:
      return message;
  }
}

}  // namespace sfdc::bulk::detail
