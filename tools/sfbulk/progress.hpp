#pragma once

// Progress on stderr: a bar redrawn in place with \r when stderr is a terminal, a plain
// line every few seconds when it is a pipe or a file (CI logs), nothing with --quiet.
// A background thread refreshes it, so rate and ETA keep moving while the SDK waits.
// The bar never gets wider than the terminal (a wrapped line could not be redrawn in
// place): on a narrow one it keeps the most useful parts (see Rank in progress.cpp).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/query.hpp>
#include <string>
#include <string_view>
#include <thread>

namespace sfbulk {

struct ProgressOptions {
  bool quiet = false;
  /// Redraw a bar in place (stderr is a terminal) or print plain lines.
  bool interactive = false;
  /// Plain mode: time between lines.
  std::chrono::milliseconds interval{std::chrono::seconds(5)};
};

/// Defaults for stderr: interactive when it is a terminal (and TERM is not "dumb").
ProgressOptions detectProgressOptions(bool quiet, double intervalSeconds);

class Progress {
 public:
  /// `label` starts every line, e.g. "insert Contact".
  Progress(std::string label, ProgressOptions options, std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Total rows when known (enables the bar's percentage and the ETA).
  void setTotal(std::uint64_t total);
  /// A load's counters (called from the loading thread).
  void update(const sfdc::bulk::LoadProgress& progress);
  /// A query's or download's row count.
  void updateRows(std::uint64_t rows, std::string jobId = {});
  /// What the server side of a query reported at its last poll.
  void updateQuery(const sfdc::bulk::QueryProgress& progress);
  /// Print a line without mangling the bar (log lines, warnings).
  void message(std::string_view line);
  /// Stop refreshing; leaves the last state on screen followed by a newline.
  void finish();

 private:
  void run();
  /// The bar (fitted to the terminal's width at the time) or a log line.
  std::string render(bool forBar) const;
  void drawLocked(bool force);
  void noteJobLocked(const std::string& jobId);

  std::string label_;
  ProgressOptions options_;
  std::FILE* out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool finished_ = false;
  bool drawn_ = false;
  bool isLoad_ = false;
  sfdc::bulk::LoadProgress load_;
  std::uint64_t rows_ = 0;
  /// The server's side of a query as of its last poll (none before the first).
  std::optional<sfdc::bulk::QueryProgress> query_;
  std::string jobId_;
  std::optional<std::uint64_t> total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastLine_;
  std::thread thread_;
};

/// Human formats used by progress lines and summaries.
std::string withThousands(std::uint64_t n);
std::string formatDuration(std::chrono::seconds duration);

}  // namespace sfbulk
