#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace sfbulk {

namespace {

using Clock = std::chrono::steady_clock;

int terminalWidth(std::FILE* out) {
  winsize size{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace

std::string withThousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string formatDuration(std::chrono::seconds duration) {
  const long long total = duration.count();
  const long long hours = total / 3600;
  const long long minutes = (total / 60) % 60;
  const long long seconds = total % 60;
  char buffer[32];
  if (hours > 0) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", hours, minutes, seconds);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", minutes, seconds);
  }
  return buffer;
}

ProgressOptions detectProgressOptions(bool quiet, double intervalSeconds) {
  ProgressOptions options;
  options.quiet = quiet;
  const char* term = std::getenv("TERM");
  options.interactive =
      ::isatty(STDERR_FILENO) == 1 && !(term != nullptr && std::strcmp(term, "dumb") == 0);
  options.interval =
      std::chrono::milliseconds(static_cast<long long>(std::max(0.05, intervalSeconds) * 1000.0));
  return options;
}

Progress::Progress(std::string label, ProgressOptions options, std::FILE* out)
    : label_(std::move(label)), options_(options), out_(out), start_(Clock::now()) {
  lastLine_ = start_;
  if (!options_.quiet) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

void Progress::setTotal(std::uint64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = total;
}

void Progress::update(const sfdc::bulk::LoadProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  isLoad_ = true;
  load_ = progress;
  noteJobLocked(progress.jobId);
}

void Progress::updateRows(std::uint64_t rows, std::string jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  rows_ = rows;
  noteJobLocked(jobId);
}

void Progress::updateQuery(const sfdc::bulk::QueryProgress& progress) {
  std::string server = "server: ";
  if (!progress.jobState.empty()) {
    server += progress.jobState;  // Bulk API 2.0: one job, no batches to show
  } else {
    const std::size_t total =
        progress.batchesQueued + progress.batchesInProgress + progress.batchesCompleted;
    server += withThousands(progress.batchesCompleted) + "/" + withThousands(total) +
              (total == 1 ? " batch" : " batches") + " done";
    if (progress.batchesInProgress > 0) {
      server += ", " + withThousands(progress.batchesInProgress) + " running";
    }
  }
  server += ", " +
            withThousands(
                static_cast<std::uint64_t>(std::max<std::int64_t>(progress.recordsProcessed, 0))) +
            " records processed";
  std::lock_guard<std::mutex> lock(mutex_);
  server_ = std::move(server);
  noteJobLocked(progress.jobId);
}

void Progress::noteJobLocked(const std::string& jobId) {
  if (jobId.empty() || jobId == jobId_) return;
  jobId_ = jobId;
  // Said once up front so that a user can `sfbulk job abort` it from another shell.
  if (options_.interactive && !options_.quiet) {
    if (drawn_) std::fputs("\r\033[K", out_);
    std::fprintf(out_, "%s: job %s\n", label_.c_str(), jobId_.c_str());
    if (drawn_) drawLocked(true);
    std::fflush(out_);
  }
}

void Progress::message(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (drawn_ && options_.interactive && !finished_) std::fputs("\r\033[K", out_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  if (drawn_ && options_.interactive && !finished_) drawLocked(true);
  std::fflush(out_);
}

void Progress::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  // The bar is left showing the final counts; plain mode already printed enough.
  if (!options_.quiet && options_.interactive && drawn_) {
    drawLocked(true);
    std::fputc('\n', out_);
    std::fflush(out_);
  }
  finished_ = true;
}

void Progress::run() {
  // A terminal is redrawn often enough to look alive; a log gets a line per interval.
  const auto tick = options_.interactive ? std::chrono::milliseconds(200) : options_.interval;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, tick, [this] { return stop_; });
    if (stop_) break;
    drawLocked(false);
  }
}

void Progress::drawLocked(bool force) {
  if (options_.quiet) return;
  if (options_.interactive) {
    std::fprintf(out_, "\r\033[K%s", render(true).c_str());
    drawn_ = true;
  } else {
    const auto now = Clock::now();
    if (!force && now - lastLine_ < options_.interval) return;
    lastLine_ = now;
    std::fprintf(out_, "%s\n", render(false).c_str());
    drawn_ = true;
  }
  std::fflush(out_);
}

std::string Progress::render(bool forBar) const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::uint64_t done = isLoad_ ? load_.recordsProcessed : rows_;
  const double rate = elapsed > 0.5 ? static_cast<double>(done) / elapsed : 0.0;

  // Most important first: on a narrow terminal the bar drops parts from the end rather
  // than cutting one in half.
  std::vector<std::string> parts;
  std::string head = label_;
  // The bar leaves the job id out to stay short; it is printed once when known.
  if (!forBar && !jobId_.empty()) head += " " + jobId_;
  if (forBar && total_ && *total_ > 0) {
    constexpr int kBarWidth = 20;
    const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_));
    const int filled = static_cast<int>(share * kBarWidth);
    head += " [" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] " +
            std::to_string(static_cast<int>(share * 100)) + "%";
  }
  parts.push_back(head);
  if (isLoad_) {
    parts.push_back(withThousands(done) + (total_ ? "/" + withThousands(*total_) : "") +
                    " processed");
    parts.push_back(withThousands(load_.recordsFailed) + " failed");
    if (load_.lockFailures > 0) {
      parts.push_back(withThousands(load_.lockFailures) + " locked, " +
                      withThousands(load_.recordsRetried) + " retried");
    }
    if (load_.serverRetries > 0) {
      parts.push_back(withThousands(static_cast<std::uint64_t>(load_.serverRetries)) +
                      " server retries");
    }
  } else {
    parts.push_back(withThousands(done) + " rows");
    if (!server_.empty()) parts.push_back(server_);
  }
  if (rate > 0 && total_ && *total_ > done) {
    const auto remaining = static_cast<long long>(static_cast<double>(*total_ - done) / rate);
    parts.push_back("ETA " + formatDuration(std::chrono::seconds(remaining)));
  }
  if (rate > 0) {
    parts.push_back(withThousands(static_cast<std::uint64_t>(rate)) +
                    (isLoad_ ? " rec/s" : " rows/s"));
  }
  if (isLoad_) {
    const int batches = load_.batchesQueued + load_.batchesInProgress + load_.batchesCompleted +
                        load_.batchesFailed + load_.batchesNotProcessed;
    const int batchesDone =
        load_.batchesCompleted + load_.batchesFailed + load_.batchesNotProcessed;
    parts.push_back("batches " + std::to_string(batchesDone) + "/" + std::to_string(batches));
    parts.push_back(withThousands(load_.recordsSent) + " sent");
  }
  parts.push_back(formatDuration(std::chrono::seconds(static_cast<long long>(elapsed))) +
                  " elapsed");

  const std::size_t width = forBar ? static_cast<std::size_t>(terminalWidth(out_) - 1) : SIZE_MAX;
  std::string out = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string next = out +
                             (i == 1   ? (forBar ? "  " : ": ")
                              : forBar ? "  "
                                       : ", ") +
                             parts[i];
    if (next.size() > width) break;
    out = next;
  }
  if (out.size() > width) out.resize(width);
  return out;
}

}  // namespace sfbulk
