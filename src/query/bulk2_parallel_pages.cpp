#include "query/bulk2_parallel_pages.hpp"

#include <chrono>
#include <sfdc/bulk/error.hpp>
#include <string_view>

#include "query/spool_csv_row.hpp"

namespace sfdc::bulk::detail::query {
namespace {

// Waits are cut in slices this long so that a cancellation is seen promptly.
constexpr std::chrono::milliseconds kCancelCheck{50};
constexpr std::size_t kFlushBytes = 1 << 16;

struct Stopped {};

}  // namespace

ParallelPages::ParallelPages(std::shared_ptr<Bulk2Connection> api, QueryJob job, int workers,
                             std::shared_ptr<CancellationToken> cancel, std::string spoolParent)
    : api_(std::move(api)),
      job_(std::move(job)),
      workers_(std::max(workers, 1)),
      cancel_(std::move(cancel)),
      spool_(spoolParent) {}

ParallelPages::~ParallelPages() {
  stopping_ = true;
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
  csv_.reset();
  in_.close();
}

bool ParallelPages::stopRequested() const { return stopping_ || (cancel_ && cancel_->cancelled()); }

void ParallelPages::start() {
  fetchLinks();
  topUpLinks();
  threads_.reserve(static_cast<std::size_t>(workers_));
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
}

void ParallelPages::fetchLinks() {
  std::string from;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    from = nextLinks_;
  }
  QueryResultPageLinks links = api_->getQueryResultPages(job_, from);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& url : links.resultUrls) {
    Page page;
    page.url = std::move(url);
    pages_.push_back(std::move(page));
  }
  linksDone_ = links.done || links.nextRecordsUrl.empty();
  if (!linksDone_ && links.nextRecordsUrl == from) {
    // The same set again would never end; what was listed is all there is to read.
    api_->log(LogLevel::Warning, "query job " + job_.id +
                                     ": resultPages named itself as the next set; "
                                     "reading the pages listed so far");
    linksDone_ = true;
  }
  nextLinks_ = std::move(links.nextRecordsUrl);
  changed_.notify_all();
}

void ParallelPages::topUpLinks() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const std::size_t known = first_ + pages_.size();
      if (linksDone_ || known > readingIndex_ + static_cast<std::size_t>(workers_)) return;
    }
    fetchLinks();
  }
}

void ParallelPages::work() {
  for (;;) {
    std::size_t index = 0;
    std::string url;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      for (;;) {
        if (stopRequested()) return;
        const std::size_t known = first_ + pages_.size();
        // At most `workers_` pages ahead of the one being read.
        if (nextToStart_ < known &&
            nextToStart_ <= readingIndex_ + static_cast<std::size_t>(workers_)) {
          break;
        }
        changed_.wait_for(lock, kCancelCheck);
      }
      index = nextToStart_++;
      Page& page = pages_[index - first_];
      page.started = true;
      url = page.url;
    }
    std::string path;
    std::vector<std::string> header;
    std::exception_ptr error;
    try {
      path = spool_.create("page-" + std::to_string(index + 1) + ".csv");
      download(index, url, path, header);
    } catch (const Stopped&) {
      return;
    } catch (...) {
      error = std::current_exception();
    }
    // Pages waiting for the first header must not wait for a page that failed.
    if (index == 0) publishFirstHeader({});
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Page& page = pages_[index - first_];
      page.path = std::move(path);
      page.header = std::move(header);
      page.error = error;
      page.done = true;
      ++finished_;
    }
    changed_.notify_all();
  }
}

void ParallelPages::download(std::size_t index, const std::string& url, const std::string& path,
                             std::vector<std::string>& header) {
  Bulk2ResultPage::FirstHeader firstHeader;
  if (index > 0) firstHeader = [this] { return waitForFirstHeader(); };
  Bulk2ResultPage page(
      *api_, "result page " + std::to_string(index + 1) + " of query job " + job_.id,
      [api = api_, job = job_, url] { return api->openQueryResultsUrl(job, url); },
      std::move(firstHeader));
  header = page.header();
  if (index == 0) publishFirstHeader(header);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw FileError("query: cannot write the result page file '" + path + "'", path);
  std::string buffer;
  std::vector<std::string> row;
  const auto flush = [&] {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) throw FileError("query: writing the result page file '" + path + "' failed", path);
    buffer.clear();
  };
  while (page.nextRow(row)) {
    if (stopRequested()) throw Stopped{};
    appendSpoolCsvRow(buffer, row);
    if (buffer.size() >= kFlushBytes) flush();
  }
  flush();
  out.close();
  if (!out) throw FileError("query: writing the result page file '" + path + "' failed", path);
}

void ParallelPages::publishFirstHeader(const std::vector<std::string>& header) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (firstHeaderKnown_) return;
    firstHeader_ = header;
    firstHeaderKnown_ = true;
  }
  changed_.notify_all();
}

const std::vector<std::string>* ParallelPages::waitForFirstHeader() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!firstHeaderKnown_) {
    if (stopRequested()) return nullptr;
    changed_.wait_for(lock, kCancelCheck);
  }
  // Set once, never changed afterwards.
  return &firstHeader_;
}

void ParallelPages::closeCurrent() {
  if (!reading_) return;
  csv_.reset();
  in_.close();
  in_.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    load::SpoolDir::remove(pages_.front().path);
    pages_.pop_front();
    ++first_;
    ++readingIndex_;
  }
  reading_ = false;
  changed_.notify_all();
}

bool ParallelPages::nextPage() {
  closeCurrent();
  topUpLinks();
  std::unique_lock<std::mutex> lock(mutex_);
  if (pages_.empty()) return false;  // every listed page was read and no more follow
  while (!pages_.front().done) {
    if (cancel_ && cancel_->cancelled()) throw Error("the query was cancelled");
    changed_.wait_for(lock, kCancelCheck);
  }
  Page& page = pages_.front();
  if (page.error) {
    // Stay on this page: a later call reports the same failure instead of skipping rows.
    std::rethrow_exception(page.error);
  }
  readingHeader_ = page.header;
  const std::string path = page.path;
  lock.unlock();
  in_.open(path, std::ios::binary);
  if (!in_) throw FileError("query: cannot read the result page file '" + path + "'", path);
  csv_.emplace(in_);
  reading_ = true;
  return true;
}

const std::vector<std::string>& ParallelPages::pageHeader() { return readingHeader_; }

bool ParallelPages::pageRow(std::vector<std::string>& row) { return reading_ && csv_->next(row); }

std::size_t ParallelPages::downloaded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_;
}

}  // namespace sfdc::bulk::detail::query
