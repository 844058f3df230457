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

/**
 * What a narrow terminal keeps, most useful first. The bar is built from the parts in
 * rank order for as long as they fit the width; once one does not, it and every part
 * ranked after it are left out, so the line always says the most important things and a
 * part is never cut in half. Equal ranks go in the order they are shown.
 */
enum Rank : int {
  /// What is running ("insert Contact"): without it the numbers mean nothing.
  kLabelRank,
  /// How far along, at a glance.
  kPercentRank,
  /// Rows processed of the total (a query: rows received): what the percentage counts.
  kDoneRank,
  /// Failed rows: a load going wrong must show at any width. A query's server state
  /// ranks here: before its first row arrives it is the only sign that it moves.
  kFailedRank,
  /// When it will be done: what someone watching the terminal waits for. A query's
  /// records processed by the server rank here (a query has no ETA).
  kEtaRank,
  /// Lock failures and Salesforce's own retries: shown only once they happened, when
  /// they explain why a load is slow.
  kTroubleRank,
  /// Throughput: the ETA already says what it means for this run.
  kRateRank,
  /// Batches done of all (a query's batches running): the server's unit of work, less
  /// telling than rows.
  kBatchesRank,
  /// Time so far: the person at the terminal has watched it pass.
  kElapsedRank,
  /// Rows uploaded: most of the time close to rows processed, so the least useful.
  kSentRank,
};
// The bar graphic ranks after all of them: it repeats the percentage, so it gets the room
// the parts leave, narrowed to fit, and is left out below kMinBarCells.
constexpr std::size_t kMaxBarCells = 20;
constexpr std::size_t kMinBarCells = 8;

/// One piece of the progress line (all of them ASCII: one byte, one column).
struct LinePart {
  std::string text;
  Rank rank;
  /// Put before the part when another precedes it on the bar: parts are set apart by two
  /// spaces, the details of the server's report by ", ", the percentage by one space.
  std::string_view separator = "  ";
};

std::string joinShown(const std::vector<LinePart>& parts, const std::vector<bool>& shown) {
  std::string line;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!shown[i]) continue;
    if (!line.empty()) line += parts[i].separator;
    line += parts[i].text;
  }
  return line;
}

/// The parts that fit `width` columns, in rank order (see Rank), and the bar graphic
/// after the label when the percentage is shown and room is left.
std::string fitToWidth(std::vector<LinePart> parts, std::size_t width, double share) {
  std::vector<std::size_t> byRank(parts.size());
  for (std::size_t i = 0; i < byRank.size(); ++i) byRank[i] = i;
  std::stable_sort(byRank.begin(), byRank.end(),
                   [&](std::size_t a, std::size_t b) { return parts[a].rank < parts[b].rank; });
  std::vector<bool> shown(parts.size(), false);
  // The label always stays, cut to the width on a terminal too narrow even for it.
  if (parts[0].text.size() > width) parts[0].text.resize(width);
  shown[0] = true;
  for (const std::size_t i : byRank) {
    if (shown[i]) continue;
    shown[i] = true;
    if (joinShown(parts, shown).size() > width) {
      shown[i] = false;
      break;
    }
  }
  std::string line = joinShown(parts, shown);
  const bool withPercent = parts.size() > 1 && parts[1].rank == kPercentRank && shown[1];
  const std::size_t room = width - line.size();
  // " [" + cells + "]" goes between the label and the percentage.
  if (withPercent && room >= kMinBarCells + 3) {
    const std::size_t cells = std::min(kMaxBarCells, room - 3);
    const auto filled = static_cast<std::size_t>(share * static_cast<double>(cells));
    line.insert(parts[0].text.size(),
                " [" + std::string(filled, '#') + std::string(cells - filled, '.') + "]");
  }
  return line;
}

/// A query's server side as it reported at its last poll, e.g. "server: 2/5 batches done,
/// 1 running, 30,000 records processed".
void addServerParts(const sfdc::bulk::QueryProgress& server, std::vector<LinePart>& parts) {
  if (!server.jobState.empty()) {
    parts.push_back({"server: " + server.jobState, kFailedRank});  // Bulk API 2.0: one job
  } else {
    const std::size_t total =
        server.batchesQueued + server.batchesInProgress + server.batchesCompleted;
    parts.push_back({"server: " + withThousands(server.batchesCompleted) + "/" +
                         withThousands(total) + (total == 1 ? " batch" : " batches") + " done",
                     kFailedRank});
    if (server.batchesInProgress > 0) {
      parts.push_back({withThousands(server.batchesInProgress) + " running", kBatchesRank, ", "});
    }
  }
  parts.push_back({withThousands(static_cast<std::uint64_t>(
                       std::max<std::int64_t>(server.recordsProcessed, 0))) +
                       " records processed",
                   kEtaRank, ", "});
}

/**
 * The columns the bar may fill, read again at every redraw so that it follows a resized
 * window: the terminal's width less one, since on some terminals a character in the last
 * column wraps the line at once and the next redraw would then start on the wrong line.
 * A terminal that reports no size (0: a serial console, a pseudo-terminal nobody sized)
 * gets $COLUMNS when it is set, else the classic 80.
 */
std::size_t barWidth(std::FILE* out) {
  winsize size{};
  long columns = 0;
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0) columns = size.ws_col;
  if (columns <= 0) {
    const char* fromEnvironment = std::getenv("COLUMNS");
    char* end = nullptr;
    if (fromEnvironment != nullptr) columns = std::strtol(fromEnvironment, &end, 10);
    if (end == fromEnvironment || (end != nullptr && *end != '\0') || columns <= 0 ||
        columns > 10000) {
      columns = 80;
    }
  }
  return static_cast<std::size_t>(columns - 1);
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
  std::lock_guard<std::mutex> lock(mutex_);
  query_ = progress;
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
  const bool withTotal = total_ && *total_ > 0;
  const double share =
      withTotal ? std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_)) : 0.0;

  // In the order they are shown; Rank says which stay on a narrow terminal.
  std::vector<LinePart> parts;
  // The bar leaves the job id out to stay short; it is printed once when known.
  parts.push_back({!forBar && !jobId_.empty() ? label_ + " " + jobId_ : label_, kLabelRank});
  if (forBar && withTotal) {
    parts.push_back({std::to_string(static_cast<int>(share * 100)) + "%", kPercentRank, " "});
  }
  if (isLoad_) {
    parts.push_back(
        {withThousands(done) + (total_ ? "/" + withThousands(*total_) : "") + " processed",
         kDoneRank});
    parts.push_back({withThousands(load_.recordsFailed) + " failed", kFailedRank});
    if (load_.lockFailures > 0) {
      parts.push_back({withThousands(load_.lockFailures) + " locked, " +
                           withThousands(load_.recordsRetried) + " retried",
                       kTroubleRank});
    }
    if (load_.serverRetries > 0) {
      parts.push_back(
          {withThousands(static_cast<std::uint64_t>(load_.serverRetries)) + " server retries",
           kTroubleRank});
    }
  } else {
    parts.push_back({withThousands(done) + " rows", kDoneRank});
    if (query_) addServerParts(*query_, parts);
  }
  if (rate > 0 && total_ && *total_ > done) {
    const auto remaining = static_cast<long long>(static_cast<double>(*total_ - done) / rate);
    parts.push_back({"ETA " + formatDuration(std::chrono::seconds(remaining)), kEtaRank});
  }
  if (rate > 0) {
    parts.push_back(
        {withThousands(static_cast<std::uint64_t>(rate)) + (isLoad_ ? " rec/s" : " rows/s"),
         kRateRank});
  }
  if (isLoad_) {
    const int batches = load_.batchesQueued + load_.batchesInProgress + load_.batchesCompleted +
                        load_.batchesFailed + load_.batchesNotProcessed;
    const int batchesDone =
        load_.batchesCompleted + load_.batchesFailed + load_.batchesNotProcessed;
    parts.push_back(
        {"batches " + std::to_string(batchesDone) + "/" + std::to_string(batches), kBatchesRank});
    parts.push_back({withThousands(load_.recordsSent) + " sent", kSentRank});
  }
  parts.push_back(
      {formatDuration(std::chrono::seconds(static_cast<long long>(elapsed))) + " elapsed",
       kElapsedRank});

  if (forBar) return fitToWidth(std::move(parts), barWidth(out_), share);
  // A log line has room for everything: "label job: part, part, ...".
  std::string line = parts[0].text;
  for (std::size_t i = 1; i < parts.size(); ++i) line += (i == 1 ? ": " : ", ") + parts[i].text;
  return line;
}

}  // namespace sfbulk
