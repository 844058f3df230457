#pragma once

#include <sfdc/bulk/export.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace sfdc::bulk {

/**
 * Root of every exception the SDK throws. Messages never contain access tokens,
 * refresh tokens, client secrets or passwords.
 */
class SFDC_BULK_EXPORT Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/**
 * The Bulk API answered with an `<error>` document (or an HTTP error status).
 * Carries what the server said and which job/batch the call was about.
 */
class SFDC_BULK_EXPORT ApiError : public Error {
 public:
  /// The message (`what()`) is built from all the parts.
  ApiError(int httpStatus, std::string exceptionCode, std::string exceptionMessage,
           std::string jobId = {}, std::string batchId = {});

  /// HTTP status of the response (400 for most Bulk API errors).
  int httpStatus() const noexcept { return httpStatus_; }
  /// Salesforce exception code, e.g. `InvalidBatch`, `InvalidSessionId`; may be empty.
  const std::string& exceptionCode() const noexcept { return exceptionCode_; }
  /// Salesforce exception message, e.g. `Records not processed`.
  const std::string& exceptionMessage() const noexcept { return exceptionMessage_; }
  /// Job the failed call was about, when known.
  const std::string& jobId() const noexcept { return jobId_; }
  /// Batch the failed call was about, when known.
  const std::string& batchId() const noexcept { return batchId_; }

 private:
  int httpStatus_;
  std::string exceptionCode_;
  std::string exceptionMessage_;
  std::string jobId_;
  std::string batchId_;
};

/// Authentication failed: the token endpoint refused the credentials, or a refreshed
/// session was rejected again.
class SFDC_BULK_EXPORT AuthError : public Error {
 public:
  /// `httpStatus` and `oauthError` come from the token endpoint, when it answered.
  AuthError(std::string message, int httpStatus = 0, std::string oauthError = {});
  /// HTTP status of the token endpoint's answer (0 when no answer came).
  int httpStatus() const noexcept { return httpStatus_; }
  /// OAuth2 `error` field, e.g. `invalid_grant`.
  const std::string& oauthError() const noexcept { return oauthError_; }

 private:
  int httpStatus_;
  std::string oauthError_;
};

/// The request never got an HTTP answer: DNS, connect, TLS, timeout, connection reset.
class SFDC_BULK_EXPORT TransportError : public Error {
 public:
  /// See the accessors for the meaning of each part.
  TransportError(std::string message, int curlCode, bool retryable, bool requestSent = false);
  /// libcurl's CURLcode (0 when the error did not come from libcurl).
  int curlCode() const noexcept { return curlCode_; }
  /// True for failures worth retrying (connect failures, timeouts, resets).
  bool retryable() const noexcept { return retryable_; }
  /// True when the request body may have reached the server before the failure,
  /// i.e. the outcome of a non-idempotent request is unknown.
  bool requestSent() const noexcept { return requestSent_; }

 private:
  int curlCode_;
  bool retryable_;
  bool requestSent_;
};

/// A wait (polling a job, a batch) ran past its deadline. The job is left open.
class SFDC_BULK_EXPORT TimeoutError : public Error {
 public:
  /// `jobId` names the job left open; `batchId` the batch waited for, if any.
  TimeoutError(std::string message, std::string jobId, std::string batchId = {});
  /// The job that was waited for; it is still open.
  const std::string& jobId() const noexcept { return jobId_; }
  /// The batch that was waited for; empty when the wait was for the whole job.
  const std::string& batchId() const noexcept { return batchId_; }

 private:
  std::string jobId_;
  std::string batchId_;
};

/// Client-side validation failed; raised before any network call.
class SFDC_BULK_EXPORT InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A server response could not be parsed (malformed XML/JSON/CSV).
class SFDC_BULK_EXPORT ParseError : public Error {
 public:
  using Error::Error;
};

/// A local file could not be read or written (an input, a result file, a spool file).
class SFDC_BULK_EXPORT FileError : public Error {
 public:
  /// `message` for what(); `path` the file concerned.
  FileError(std::string message, std::string path)
      : Error(std::move(message)), path_(std::move(path)) {}
  /// The file concerned.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace sfdc::bulk
