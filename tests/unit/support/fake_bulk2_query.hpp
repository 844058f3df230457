#pragma once

// An in-memory Bulk API 2.0 server for the query side of Bulk2Connection: one query
// job whose result rows are cut into pages, served by locator and through
// resultPages, with the failures the query stream must survive (a body cut mid-row, a
// session expiry, resultPages refused) and counters the tests assert on.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sfdc/bulk.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::testing {

class FakeBulk2Query : public Bulk2Connection {
 public:
  static constexpr const char* kJobId = "750x00000000001AAA";

  // --- The job -----------------------------------------------------------------------
  /// States getQueryJobInfo reports, one per poll; the last one repeats.
  std::vector<Bulk2JobState> states{Bulk2JobState::InProgress, Bulk2JobState::JobComplete};
  /// errorMessage of a Failed job.
  std::string errorMessage;
  /// Thrown by the first createQueryJob calls, in order.
  std::vector<std::exception_ptr> createFailures;

  // --- The results -------------------------------------------------------------------
  std::vector<std::string> header{"Id", "Name"};
  std::vector<std::vector<std::string>> rows;
  /// Rows per page when neither pageSizes nor maxRecords say otherwise.
  std::size_t defaultPageSize = 3;
  /// Explicit page sizes (zeros for empty pages); their sum must be rows.size().
  std::vector<std::size_t> pageSizes;
  /// `\n` or `\r\n` between rows.
  std::string lineEnding = "\n";
  /// Send the header row on pages after the first (Salesforce always does).
  bool headerOnEveryPage = true;
  /// Bytes handed out per read of a body (small, to cross buffer boundaries).
  std::size_t chunkBytes = 7;
  /// Pause per read of a body, so that parallel downloads overlap.
  std::chrono::microseconds readDelay{0};

  // --- resultPages -------------------------------------------------------------------
  /// HTTP status getQueryResultPages refuses with (404, 400); 0 answers.
  int resultPagesStatus = 0;
  /// Links per resultPages answer (Salesforce sends up to five).
  std::size_t linksPerSet = 5;

  // --- Faults ------------------------------------------------------------------------
  /// Page index → (rows delivered before the body breaks mid-row, downloads that break).
  std::map<std::size_t, std::pair<std::size_t, int>> breakPage;
  /// Page index → downloads refused with 401 INVALID_SESSION_ID before one succeeds.
  std::map<std::size_t, int> expirePage;
  /// Page index → (rows sent, downloads) whose body ends cleanly after that many rows
  /// while Sforce-NumberOfRecords announces the whole page.
  std::map<std::size_t, std::pair<std::size_t, int>> truncatePage;
  /// Thrown by the first getQueryJobInfo calls, in order.
  std::vector<std::exception_ptr> pollFailures;
  RetryPolicy policy = [] {
    RetryPolicy p;
    p.maxAttempts = 4;
    p.initialBackoff = std::chrono::milliseconds(1);
    p.maxBackoff = std::chrono::milliseconds(2);
    return p;
  }();

  // --- What happened -----------------------------------------------------------------
  struct Seen {
    std::vector<std::string> soql;
    std::vector<QueryJobOptions> createOptions;
    int creates = 0;
    int polls = 0;
    int failedPolls = 0;
    int aborts = 0;
    int linkRequests = 0;
    std::vector<std::string> linkFrom;
    /// Every page request: page index and the maxRecords asked for.
    std::vector<std::pair<std::size_t, std::optional<std::int64_t>>> pageRequests;
    std::vector<std::string> requestedLocators;
    int urlRequests = 0;
    int maxConcurrentDownloads = 0;
    std::vector<std::string> logs;
  };
  Seen seen() const;
  /// Downloads whose reader is still alive.
  int activeDownloads() const { return active_->load(); }

  /// `count` rows `{"001…<i>", "Name <i>"}`.
  void makeRows(std::size_t count);
  /// The page sizes actually used for `maxRecords`.
  std::vector<std::size_t> layout(std::optional<std::int64_t> maxRecords) const;

  Bulk2JobInfo createQueryJob(std::string_view soql, const QueryJobOptions& options) override;
  Bulk2JobInfo getQueryJobInfo(std::string_view jobId) override;
  Bulk2JobInfo abortQueryJob(std::string_view jobId) override;
  Bulk2CsvReader openQueryResults(const QueryJob& job, const QueryPageRequest& page) override;
  QueryResultPageLinks getQueryResultPages(const QueryJob& job,
                                           std::string_view nextRecordsUrl) override;
  Bulk2CsvReader openQueryResultsUrl(const QueryJob& job, std::string_view resultUrl) override;
  RetryPolicy retryPolicy() const override { return policy; }
  void log(LogLevel level, const std::string& message) override;

 private:
  Bulk2JobInfo info(Bulk2JobState state) const;
  Bulk2CsvReader servePage(std::size_t index, std::optional<std::int64_t> maxRecords);
  static std::string resultUrl(std::size_t index);

  mutable std::mutex mutex_;
  Seen seen_;
  std::size_t pollIndex_ = 0;
  std::map<std::size_t, int> downloads_;
  std::shared_ptr<std::atomic<int>> active_ = std::make_shared<std::atomic<int>>(0);
  // maxRecords of the first page request, so that resultPages links use the same
  // layout.
  std::optional<std::int64_t> layoutMaxRecords_;
};

/// A v1 connection whose only use is to hand out `bulk2` (Client::query with api V2).
class Bulk2OnlyConnection : public Connection {
 public:
  explicit Bulk2OnlyConnection(std::shared_ptr<Bulk2Connection> bulk2) : bulk2_(std::move(bulk2)) {}
  std::shared_ptr<Bulk2Connection> bulk2() override { return bulk2_; }

 private:
  std::shared_ptr<Bulk2Connection> bulk2_;
};

/// Query options for the 2.0 tests: api V2, millisecond polling, a short timeout.
QueryOptions fastV2Options();

/// Every row of `stream`.
std::vector<std::vector<std::string>> readAllRows(QueryStream& stream);

}  // namespace sfdc::bulk::testing
