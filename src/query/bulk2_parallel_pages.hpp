#pragma once

// Result pages downloaded several at a time (`GET …/resultPages`, API 58.0 and later)
// while the caller still reads them in result order. Each page goes to a private file
// (0600, in a 0700 spool directory) and is read back from there, so memory holds one
// read buffer per worker plus the caller's, never whole pages; at most `workers` pages
// are downloaded ahead of the one being read, which bounds the disk used as well.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <thread>
#include <vector>

#include "load/spool.hpp"
#include "query/bulk2_page_sequence.hpp"

namespace sfdc::bulk::detail::query {

class ParallelPages final : public Bulk2PageSequence {
 public:
  /// Nothing is requested yet; see start().
  ParallelPages(std::shared_ptr<Bulk2Connection> api, QueryJob job, int workers,
                std::shared_ptr<CancellationToken> cancel, std::string spoolParent = {});
  ~ParallelPages() override;  ///< stops the workers and removes the page files
  ParallelPages(const ParallelPages&) = delete;
  ParallelPages& operator=(const ParallelPages&) = delete;

  /// Ask for the first set of page links and start the workers. Throws what
  /// getQueryResultPages throws (ApiError 404 or 400 where the server does not offer
  /// resultPages).
  void start();

  bool nextPage() override;
  const std::vector<std::string>& pageHeader() override;
  bool pageRow(std::vector<std::string>& row) override;

  /// Pages whose download finished so far (for tests).
  std::size_t downloaded() const;

 private:
  struct Page {
    std::string url;
    std::string path;
    std::vector<std::string> header;
    bool started = false;
    bool done = false;
    std::exception_ptr error;
  };

  void fetchLinks();
  void topUpLinks();
  void work();
  void download(std::size_t index, const std::string& url, const std::string& path,
                std::vector<std::string>& header);
  bool stopRequested() const;
  void publishFirstHeader(const std::vector<std::string>& header);
  const std::vector<std::string>* waitForFirstHeader();
  void closeCurrent();

  std::shared_ptr<Bulk2Connection> api_;
  QueryJob job_;
  int workers_;
  std::shared_ptr<CancellationToken> cancel_;
  load::SpoolDir spool_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  // Pages from `first_` on (earlier ones were read and removed); pages_[0] is the one
  // being read once nextPage() was called.
  std::deque<Page> pages_;
  std::size_t first_ = 0;
  std::size_t nextToStart_ = 0;
  std::size_t finished_ = 0;
  bool linksDone_ = false;
  // The first page's header row, once its worker has read it (or gave up on the page).
  std::vector<std::string> firstHeader_;
  bool firstHeaderKnown_ = false;
  std::string nextLinks_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;

  // The caller's side: the page being read.
  bool reading_ = false;
  std::size_t readingIndex_ = 0;
  std::vector<std::string> readingHeader_;
  std::ifstream in_;
  std::optional<CsvReader> csv_;
};

}  // namespace sfdc::bulk::detail::query
