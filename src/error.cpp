#include <sfdc/bulk/error.hpp>
#include <utility>

namespace sfdc::bulk {
namespace {

std::string apiErrorText(int status, const std::string& code, const std::string& message,
                         const std::string& jobId, const std::string& batchId) {
  std::string text = "Bulk API error";
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  text += " (HTTP " + std::to_string(status);
  if (!jobId.empty()) text += ", job " + jobId;
  if (!batchId.empty()) text += ", batch " + batchId;
  text += ")";
  return text;
}

}  // namespace

ApiError::ApiError(int httpStatus, std::string exceptionCode, std::string exceptionMessage,
                   std::string jobId, std::string batchId)
    : Error(apiErrorText(httpStatus, exceptionCode, exceptionMessage, jobId, batchId)),
      httpStatus_(httpStatus),
      exceptionCode_(std::move(exceptionCode)),
      exceptionMessage_(std::move(exceptionMessage)),
      jobId_(std::move(jobId)),
      batchId_(std::move(batchId)) {}

AuthError::AuthError(std::string message, int httpStatus, std::string oauthError)
    : Error(std::move(message)), httpStatus_(httpStatus), oauthError_(std::move(oauthError)) {}

TransportError::TransportError(std::string message, int curlCode, bool retryable, bool requestSent)
    : Error(std::move(message)),
      curlCode_(curlCode),
      retryable_(retryable),
      requestSent_(requestSent) {}

TimeoutError::TimeoutError(std::string message, std::string jobId, std::string batchId)
    : Error(std::move(message)), jobId_(std::move(jobId)), batchId_(std::move(batchId)) {}

}  // namespace sfdc::bulk
