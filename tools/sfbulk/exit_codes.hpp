#pragma once

// sfbulk's exit codes. Scripts depend on these numbers: never renumber one, only add.
// The same table is printed by `sfbulk --help` and documented in the README.

namespace sfbulk {

enum ExitCode : int {
  /// The command did everything it was asked; for `load`, every row succeeded.
  kExitOk = 0,
  /// `load` ran to the end but one or more rows failed or were not processed (see the
  /// --errors file).
  kExitPartialFailure = 1,
  /// Bad arguments or invalid input data; nothing was sent for the offending part.
  kExitUsage = 2,
  /// Missing or rejected credentials, an unreadable or malformed config file, or a
  /// session that could not be renewed.
  kExitAuth = 3,
  /// Salesforce (or the emulator) answered with an error, e.g. InvalidJob, or a
  /// response that could not be understood.
  kExitApi = 4,
  /// The job did not finish within --timeout; it is left open.
  kExitTimeout = 5,
  /// No HTTP answer: DNS, connect, TLS, connection reset.
  kExitNetwork = 6,
  /// A local file could not be read or written.
  kExitLocalIo = 7,
  /// Interrupted by SIGINT/SIGTERM; a running load's job was aborted.
  kExitInterrupted = 8,
  /// An unexpected internal error (a bug: please report it with the message).
  kExitInternal = 9,
  /// `load` found rows loaded twice (a batch the server created twice); their ids are in
  /// the duplicates file printed, with the command that deletes them.
  kExitDuplicates = 10,
  /// `load` failed as a whole: every batch (Bulk API 2.0: every job) failed for the same
  /// reason, e.g. an unknown column, and no row was loaded; the message says why.
  kExitLoadFailed = 11,
  /// stdout was closed by its reader (e.g. piped into `head`): sfbulk stopped writing and
  /// ended without a message. A load still runs to its end and keeps its own exit code.
  kExitOutputClosed = 12,
};

/// The table above as shown in `--help`.
inline constexpr const char* kExitCodeHelp = R"(Exit codes:
  0  success (load: every row succeeded)
  1  partial failure: some rows failed or were not processed
  2  usage error: bad arguments or invalid input data
  3  credentials/auth error: missing, rejected or unrenewable credentials, bad config file
  4  API error: Salesforce refused the request or sent an unreadable response
  5  timeout: the job did not finish within --timeout (it is left open)
  6  network error: no HTTP answer (DNS, connect, TLS, reset)
  7  local I/O error: an input or output file could not be read or written
  8  interrupted (SIGINT/SIGTERM); a running load's job was aborted
  9  internal error (a bug; please report it)
  10 duplicates: some rows were loaded twice (load prints the ids' file and the command
     that deletes them; --delete-duplicates deletes them itself)
  11 load failed as a whole: every batch (or job) failed for the same reason, e.g. an
     unknown column; no row was loaded
  12 stdout closed by its reader (e.g. `| head`): output stopped quietly)";

}  // namespace sfbulk
