#include "query/v1_parallel_files.hpp"

#include <chrono>
#include <sfdc/bulk/error.hpp>
#include <string_view>

#include "query/result_file.hpp"
#include "query/spool_csv_row.hpp"

namespace sfdc::bulk::detail::query {
namespace {

// Waits are cut in slices this long so that a cancellation is seen promptly.
constexpr std::chrono::milliseconds kCancelCheck{50};
constexpr std::size_t kFlushBytes = 1 << 16;

struct Stopped {};

PollSettings withStop(PollSettings settings, std::shared_ptr<const std::atomic<bool>> stop) {
  settings.stop = std::move(stop);
  return settings;
}

}  // namespace

V1ParallelFiles::V1ParallelFiles(std::shared_ptr<Connection> api, Job job, std::string rootBatchId,
                                 PollSettings settings, int workers, std::string spoolParent)
    : api_(std::move(api)),
      job_(std::move(job)),
      settings_(std::move(settings)),
      tracker_(*api_, job_, std::move(rootBatchId), withStop(settings_, stopping_)),
      workers_(std::max(workers, 1)),
      spool_(spoolParent) {}

V1ParallelFiles::~V1ParallelFiles() {
  *stopping_ = true;
  changed_.notify_all();
  if (lister_.joinable()) lister_.join();
  for (auto& thread : threads_) thread.join();
  csv_.reset();
  in_.close();
  // The spool directory and whatever is left in it go with spool_.
}

bool V1ParallelFiles::stopRequested() const {
  return *stopping_ || (settings_.cancel && settings_.cancel->cancelled());
}

void V1ParallelFiles::start() {
  lister_ = std::thread([this] { list(); });
  threads_.reserve(static_cast<std::size_t>(workers_));
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
  std::unique_lock<std::mutex> lock(mutex_);
  while (files_.empty() && !listingDone_) {
    if (settings_.cancel && settings_.cancel->cancelled()) {
      lock.unlock();
      throwIfCancelled();
      lock.lock();
    }
    changed_.wait_for(lock, kCancelCheck);
  }
  if (files_.empty() && listingError_) std::rethrow_exception(listingError_);
}

void V1ParallelFiles::list() {
  std::exception_ptr error;
  try {
    for (;;) {
      if (*stopping_) break;
      std::optional<std::string> batch = tracker_.next();
      if (!batch) break;
      std::vector<std::string> resultIds = api_->getQueryResultIds(job_, *batch);
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& id : resultIds) {
        File file;
        file.batchId = *batch;
        file.resultId = std::move(id);
        files_.push_back(std::move(file));
      }
      changed_.notify_all();
    }
  } catch (const PollingStopped&) {
    // The owner is going away; nobody reads the listing any more.
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listingError_ = error;
    listingDone_ = true;
  }
  changed_.notify_all();
}

void V1ParallelFiles::work() {
  for (;;) {
    std::size_t index = 0;
    File file;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      for (;;) {
        if (stopRequested()) return;
        const std::size_t known = first_ + files_.size();
        // At most `workers_` files ahead of the one being read.
        if (nextToStart_ < known &&
            nextToStart_ <= readingIndex_ + static_cast<std::size_t>(workers_)) {
          break;
        }
        if (listingDone_ && nextToStart_ >= known) return;
        changed_.wait_for(lock, kCancelCheck);
      }
      index = nextToStart_++;
      const File& listed = files_[index - first_];
      file.batchId = listed.batchId;
      file.resultId = listed.resultId;
    }
    std::string path;
    std::vector<std::string> header;
    std::exception_ptr error;
    try {
      path = spool_.create("result-" + std::to_string(index + 1) +
                           (job_.contentType == ContentType::CSV ? ".csv" : ".jsonl"));
      download(file, path, header);
    } catch (const Stopped&) {
      return;
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      File& listed = files_[index - first_];
      listed.path = std::move(path);
      listed.header = std::move(header);
      listed.error = error;
      listed.done = true;
      ++finished_;
    }
    changed_.notify_all();
  }
}

void V1ParallelFiles::download(const File& file, const std::string& path,
                               std::vector<std::string>& header) {
  ResultFile result(*api_, job_, file.batchId, file.resultId);
  const bool csv = job_.contentType == ContentType::CSV;
  if (csv) header = result.header();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw FileError("query: cannot write the result spool file '" + path + "'", path);
  std::string buffer;
  const auto flush = [&] {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) throw FileError("query: writing the result spool file '" + path + "' failed", path);
    buffer.clear();
  };
  if (csv) {
    std::vector<std::string> row;
    while (result.nextRow(row)) {
      if (stopRequested()) throw Stopped{};
      appendSpoolCsvRow(buffer, row);
      if (buffer.size() >= kFlushBytes) flush();
    }
  } else {
    nlohmann::ordered_json record;
    while (result.nextRecord(record)) {
      if (stopRequested()) throw Stopped{};
      // dump() escapes control characters, so a record is one line.
      buffer += record.dump();
      buffer += '\n';
      if (buffer.size() >= kFlushBytes) flush();
    }
  }
  flush();
  out.close();
  if (!out) throw FileError("query: writing the result spool file '" + path + "' failed", path);
}

void V1ParallelFiles::throwIfCancelled() {
  if (!settings_.cancel || !settings_.cancel->cancelled()) return;
  bool listing = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listing = !listingDone_;
  }
  // A listing thread still at work aborts the job itself when it sees the cancellation
  // (BatchTracker), so the job is aborted once.
  if (listing) throw Error("the query was cancelled; job " + job_.id + " was aborted");
  tracker_.checkCancelled();
}

void V1ParallelFiles::closeCurrent() {
  if (!reading_) return;
  csv_.reset();
  in_.close();
  in_.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    load::SpoolDir::remove(files_.front().path);
    files_.pop_front();
    ++first_;
    ++readingIndex_;
  }
  reading_ = false;
  changed_.notify_all();
}

bool V1ParallelFiles::nextFile() {
  closeCurrent();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (settings_.cancel && settings_.cancel->cancelled()) {
      lock.unlock();
      throwIfCancelled();
      lock.lock();
    }
    if (!files_.empty() && files_.front().done) break;
    if (files_.empty() && listingDone_) {
      // Every file before the listing's failure was read: now it is the caller's turn.
      if (listingError_) std::rethrow_exception(listingError_);
      return false;
    }
    changed_.wait_for(lock, kCancelCheck);
  }
  File& file = files_.front();
  // Stay on this file: a later call reports the same failure instead of skipping rows.
  if (file.error) std::rethrow_exception(file.error);
  readingHeader_ = file.header;
  const std::string path = file.path;
  lock.unlock();
  in_.open(path, std::ios::binary);
  if (!in_) throw FileError("query: cannot read the result spool file '" + path + "'", path);
  if (job_.contentType == ContentType::CSV) csv_.emplace(in_);
  reading_ = true;
  return true;
}

bool V1ParallelFiles::fileRow(std::vector<std::string>& row) {
  return reading_ && csv_ && csv_->next(row);
}

bool V1ParallelFiles::fileRecord(nlohmann::ordered_json& record) {
  if (!reading_ || !std::getline(in_, line_)) return false;
  record = nlohmann::ordered_json::parse(line_);
  return true;
}

std::size_t V1ParallelFiles::downloaded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_;
}

}  // namespace sfdc::bulk::detail::query
