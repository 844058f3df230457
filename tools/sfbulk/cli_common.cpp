#include "cli_common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/logging.hpp>
#include <string_view>

#include "error_report.hpp"

namespace sfbulk {

namespace {

std::atomic<sfdc::bulk::CancellationToken*> g_cancel{nullptr};
volatile std::sig_atomic_t g_interrupted = 0;
struct sigaction g_previousInt {};
struct sigaction g_previousTerm {};

extern "C" void onStopSignal(int) {
  // Only async-signal-safe work here: an atomic store and write(2).
  g_interrupted = 1;
  if (auto* token = g_cancel.load()) token->cancel();
  static const char kNote[] = "\nsfbulk: interrupted; stopping (press Ctrl-C again to kill)\n";
  const ssize_t ignored = ::write(STDERR_FILENO, kNote, sizeof kNote - 1);
  (void)ignored;
}

// A huge, infinite or NaN value would overflow the clock arithmetic and expire at once.
CLI::Validator timeoutValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double seconds = 0;
        std::size_t used = 0;
        try {
          seconds = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || !std::isfinite(seconds) || seconds < kMinTimeoutSeconds ||
            seconds > kMaxTimeoutSeconds) {
          return "--timeout must be a number of seconds from 0.1 to " +
                 std::to_string(static_cast<long>(kMaxTimeoutSeconds)) + " (30 days), got '" +
                 text + "'";
        }
        return {};
      },
      "SECONDS", "TIMEOUT");
}

}  // namespace

void addOutputOptions(CLI::App& command, CommonOptions& options) {
  const std::string group = "Output";
  command.add_flag("-q,--quiet", options.quiet, "No progress and no summary; errors only")
      ->group(group);
  command
      .add_flag("-v,--verbose", options.verbose,
                "Log every HTTP request, retry and session refresh to stderr (secrets redacted)")
      ->group(group);
  command
      .add_option("--progress-interval", options.progressInterval,
                  "Seconds between progress lines when stderr is not a terminal")
      ->group(group)
      ->check(CLI::PositiveNumber)
      ->type_name("SECONDS")
      ->capture_default_str();
}

void addConnectionOptions(CLI::App& command, CommonOptions& options, bool withTimeout) {
  addCredentialOptions(command, options.credentials);
  if (withTimeout) {
    command
        .add_option("--timeout", options.timeoutSeconds,
                    "Seconds to wait for the job before giving up (exit 5; the job stays open)")
        ->check(timeoutValidator())
        ->type_name("SECONDS")
        ->capture_default_str();
  }
  addOutputOptions(command, options);
}

void Console::attach(Progress* progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  progress_ = progress;
}

void Console::line(std::string_view text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (progress_ != nullptr) {
    progress_->message(text);
  } else {
    std::cerr << text << '\n' << std::flush;
  }
}

Console& console() {
  static Console instance;
  return instance;
}

std::unique_ptr<sfdc::bulk::Client> makeClient(const CommonOptions& options) {
  ResolvedCredentials resolved = resolveCredentials(options.credentials);
  if (options.verbose) {
    console().line("sfbulk: using the " + resolved.description);
    resolved.config.logHandler = [](sfdc::bulk::LogLevel level, std::string_view message) {
      console().line("[" + std::string(sfdc::bulk::toString(level)) + "] " + std::string(message));
    };
  } else if (!options.quiet) {
    // Without --verbose only the SDK's warnings matter to a user (retries, a job that
    // could not be closed).
    resolved.config.logHandler = [](sfdc::bulk::LogLevel level, std::string_view message) {
      if (level >= sfdc::bulk::LogLevel::Warning) {
        console().line("sfbulk: warning: " + std::string(message));
      }
    };
  }
  return std::make_unique<sfdc::bulk::Client>(
      std::move(resolved.config), std::make_shared<sfdc::bulk::CurlTransport>(resolved.curl));
}

std::chrono::milliseconds timeoutOf(const CommonOptions& options) {
  // The option's check already bounds the value; clamping again keeps the conversion
  // defined whatever sets the field.
  double seconds = options.timeoutSeconds;
  if (!(seconds >= kMinTimeoutSeconds)) seconds = kMinTimeoutSeconds;
  if (seconds > kMaxTimeoutSeconds) seconds = kMaxTimeoutSeconds;
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

int exitCodeOf(const std::exception_ptr& cause) {
  if (!cause) return kExitApi;
  return describeError(cause).exitCode;
}

namespace {

/// After a command: whether what it wrote to stdout (summaries, job info) reached a reader
/// that closed the pipe. SIGPIPE is ignored (main), so such writes fail with EPIPE.
bool stdoutWasClosed() {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  return (!flushed && errno == EPIPE) || (std::ferror(stdout) && (errno == EPIPE || flushed));
}

}  // namespace

int runGuarded(const std::function<int()>& body) {
  try {
    const int code = body();
    // A load's outcome matters more than its summary's reader: only a success says 12.
    return code == kExitOk && stdoutWasClosed() ? kExitOutputClosed : code;
  } catch (...) {
    return reportError(describeError(std::current_exception()));
  }
}

InterruptScope::InterruptScope(std::shared_ptr<sfdc::bulk::CancellationToken> token)
    : token_(std::move(token)) {
  g_cancel.store(token_.get());
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: a second Ctrl-C gets the default action when cancelling hangs.
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  ::sigaction(SIGINT, &action, &g_previousInt);
  ::sigaction(SIGTERM, &action, &g_previousTerm);
}

InterruptScope::~InterruptScope() {
  ::sigaction(SIGINT, &g_previousInt, nullptr);
  ::sigaction(SIGTERM, &g_previousTerm, nullptr);
  g_cancel.store(nullptr);
}

bool InterruptScope::interrupted() noexcept { return g_interrupted != 0; }

OutputFile::OutputFile(const std::string& path) : path_(path == "-" ? std::string() : path) {
  if (path_.empty()) {
    file_ = stdout;
    return;
  }
  std::string pattern = path_ + ".XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    throw LocalIoError("cannot create " + path_ + ": " + std::strerror(errno));
  }
  temp_ = pattern;
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    ::unlink(temp_.c_str());
    throw LocalIoError("cannot write " + path_ + ": " + std::strerror(errno));
  }
  static char buffer[1 << 16];
  std::setvbuf(file_, buffer, _IOFBF, sizeof buffer);
}

OutputFile::~OutputFile() {
  if (!temp_.empty() && !committed_) {
    std::fclose(file_);
    ::unlink(temp_.c_str());
  }
}

void OutputFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    if (path_.empty() && errno == EPIPE) throw OutputClosed("stdout was closed");
    throw LocalIoError("cannot write " + (path_.empty() ? std::string("stdout") : path_) + ": " +
                       std::strerror(errno));
  }
}

void OutputFile::commit() {
  if (temp_.empty()) {
    if (std::fflush(file_) != 0) {
      if (errno == EPIPE) throw OutputClosed("stdout was closed");
      throw LocalIoError(std::string("cannot write stdout: ") + std::strerror(errno));
    }
    return;
  }
  const bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int error = errno;
  std::fclose(file_);
  committed_ = true;
  // mkstemp creates 0600; give the final file the usual umask-based mode.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temp_.c_str(), 0666 & ~mask);
  if (!ok || std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int renameError = ok ? errno : error;
    ::unlink(temp_.c_str());
    throw LocalIoError("cannot write " + path_ + ": " + std::strerror(renameError));
  }
}

void checkReadable(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    // fopen() opens a directory for reading; the first read would fail as "no rows".
    throw UsageError(path + " is a directory, not a file");
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw LocalIoError("cannot read " + path + ": " + std::strerror(errno));
  }
  std::fclose(file);
}

void checkWritable(const std::string& path) {
  // access(2), not open(2): a check must never create or truncate the file it checks.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw LocalIoError("cannot write " + path + ": it is a directory");
    if (::access(path.c_str(), W_OK) != 0) {
      throw LocalIoError("cannot write " + path + ": " + std::strerror(errno));
    }
    // A device (/dev/null) is written in place: its directory does not matter.
    if (S_ISCHR(info.st_mode)) return;
  }
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  if (::access(dir.c_str(), W_OK) != 0) {
    throw LocalIoError("cannot write " + path + ": " + std::strerror(errno) + " (directory " + dir +
                       ")");
  }
}

}  // namespace sfbulk
