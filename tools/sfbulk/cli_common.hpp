#pragma once

// What every sfbulk command shares: the common flags, building a Client from the
// credentials, mapping SDK exceptions to exit codes with a hint on what to do, SIGINT
// handling, and output files that appear only once complete.

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/load.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "credentials.hpp"
#include "exit_codes.hpp"
#include "progress.hpp"

namespace CLI {
class App;
}

namespace sfbulk {

/// Bad arguments or input found by sfbulk itself (exit 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A local file could not be read or written (exit 7).
class LocalIoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// stdout's reader went away (`sfbulk query ... | head`): writing stops, quietly (exit 12).
class OutputClosed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The user pressed Ctrl-C or the process got SIGTERM (exit 8).
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The range --timeout accepts: past 30 days a job has long been timed out by Salesforce.
inline constexpr double kMinTimeoutSeconds = 0.1;
inline constexpr double kMaxTimeoutSeconds = 30.0 * 24 * 3600;

struct CommonOptions {
  CredentialFlags credentials;
  bool quiet = false;
  bool verbose = false;
  double progressInterval = 5.0;
  double timeoutSeconds = 7200.0;
};

/// --quiet, --verbose and --progress-interval on any command.
void addOutputOptions(CLI::App& command, CommonOptions& options);
/// Credentials and --timeout on commands that talk to Salesforce.
void addConnectionOptions(CLI::App& command, CommonOptions& options, bool withTimeout);

/**
 * Where diagnostics go: stderr, or above the progress bar while one is shown. The SDK's
 * log lines (already redacted by the SDK) come here with --verbose.
 */
class Console {
 public:
  void attach(Progress* progress);
  void line(std::string_view text);

 private:
  std::mutex mutex_;
  Progress* progress_ = nullptr;
};

/// The console shared by the process (the SDK may log from its worker threads).
Console& console();

/// Shows a progress display on the console for a scope.
struct ConsoleAttachment {
  explicit ConsoleAttachment(Progress& progress) { console().attach(&progress); }
  ~ConsoleAttachment() { console().attach(nullptr); }
  ConsoleAttachment(const ConsoleAttachment&) = delete;
  ConsoleAttachment& operator=(const ConsoleAttachment&) = delete;
};

/// A client for the resolved credentials; with --verbose the SDK's log goes to console().
std::unique_ptr<sfdc::bulk::Client> makeClient(const CommonOptions& options);

std::chrono::milliseconds timeoutOf(const CommonOptions& options);

/// The exit code runGuarded() would give `error` (the cause of an incomplete load).
int exitCodeOf(const std::exception_ptr& error);

/// Runs a command body, turning every exception into an exit code and a message on
/// stderr, or with --json a JSON document on stdout (error_report.hpp).
int runGuarded(const std::function<int()>& body);

/**
 * Installs SIGINT/SIGTERM handlers for the scope: the first signal cancels `token` (a
 * load then aborts its job), a second one kills the process as usual.
 */
class InterruptScope {
 public:
  explicit InterruptScope(std::shared_ptr<sfdc::bulk::CancellationToken> token);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
  static bool interrupted() noexcept;

 private:
  // Kept for the scope: the signal handler holds only a raw pointer to it.
  std::shared_ptr<sfdc::bulk::CancellationToken> token_;
};

/**
 * Output to stdout ("-" or empty path) or to a file written under a temporary name and
 * renamed on commit(), so that a failed run never leaves a plausible-looking partial file.
 */
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  /// Flush and move into place; throws LocalIoError.
  void commit();
  bool toStdout() const noexcept { return path_.empty(); }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

/// Throws UsageError for a directory, LocalIoError unless `path` can be opened for reading.
void checkReadable(const std::string& path);
/// Throws LocalIoError, naming the OS error, unless `path` can be written: an existing
/// file must be writable (a directory never is), a new one needs a writable directory.
void checkWritable(const std::string& path);

}  // namespace sfbulk
