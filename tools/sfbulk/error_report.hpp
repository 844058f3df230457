#pragma once

// What an error means to a user of sfbulk: the exit code, its class (a stable name per
// exit code), the message, hints on what to do and the job and batch it was about. One
// place decides this for every command; it is printed as `sfbulk: error: ...` lines on
// stderr or, with --json, as one JSON document on stdout.

#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sfbulk {

struct ErrorReport {
  int exitCode = 0;
  /// "usage", "auth", "api", ... (errorClassOf(exitCode)).
  std::string errorClass;
  std::string message;
  /// What to do about it, one line each.
  std::vector<std::string> hints;
  /// Salesforce's exceptionCode (e.g. InvalidJob) or the token endpoint's OAuth error
  /// (e.g. invalid_grant); empty when there is none.
  std::string exceptionCode;
  /// The HTTP status of the answer, when one came (0: none).
  int httpStatus = 0;
  std::string jobId;
  std::string batchId;
  /// Nothing to print: stdout's reader went away (exit 12).
  bool quiet = false;
};

/// The stable name of an exit code's class, e.g. "localIo" for 7.
const char* errorClassOf(int exitCode);

/// Classifies `error` (an exception thrown by a command): one place for every command.
ErrorReport describeError(const std::exception_ptr& error);

/// `sfbulk: error: MESSAGE` with the hints on the lines below, indented.
std::string errorText(const ErrorReport& report);

/// The --json error document: errorClass, message, hints, exceptionCode, httpStatus,
/// jobId, batchId (null when unknown) and exitCode.
nlohmann::ordered_json errorDocument(const ErrorReport& report);

/// How errors reach the user; main() sets it from the command line before a command runs.
struct ErrorOutput {
  /// --json: errors as one JSON document on stdout.
  bool json = false;
  /// The command line's JOB_ID and BATCH_ID, named in the document when the error
  /// itself does not say.
  std::string jobId;
  std::string batchId;
  /// Set by a command whose own JSON document already carries the error (a load's
  /// summary), so that stdout still holds one document.
  bool documentWritten = false;
};

ErrorOutput& errorOutput();

/// Prints `report` as errorOutput() says and returns its exit code.
int reportError(ErrorReport report);

}  // namespace sfbulk
