#pragma once

// A Bulk API 1.0 query job's result files downloaded several at a time while the caller
// still reads them in order: batch (creation) order, then each batch's listed file order.
//
// One thread follows the job's batches (BatchTracker) and lists the result files of each
// batch as it completes, so downloads of early PK-chunk batches start while later chunks
// still run. `workers` threads download files, each into a private spool file (0600, in a
// 0700 directory), at most `workers` files ahead of the one being read: memory holds one
// read buffer per worker plus the caller's, and disk at most `workers` + 1 files.
//
// A download that breaks off is resumed by ResultFile (download_resume.hpp) before its
// spool file is complete, so a row reaches the caller once. CSV files are spooled as
// quoted CSV; JSON and XML records as one JSON document per line (the scanners run on the
// network stream in the worker, so the spool needs no XML).
//
// Errors keep their place: a file that failed is reported when the caller reaches it
// (after every earlier file was read), and a failed or timed-out batch after the files of
// the batches before it.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <thread>
#include <vector>

#include "load/spool.hpp"
#include "query/batch_tracker.hpp"

namespace sfdc::bulk::detail::query {

class V1ParallelFiles {
 public:
  /// Nothing is requested yet; see start().
  V1ParallelFiles(std::shared_ptr<Connection> api, Job job, std::string rootBatchId,
                  PollSettings settings, int workers, std::string spoolParent = {});
  ~V1ParallelFiles();  ///< stops the threads and removes the spool files
  V1ParallelFiles(const V1ParallelFiles&) = delete;
  V1ParallelFiles& operator=(const V1ParallelFiles&) = delete;

  /// Start the threads and wait until the first batch with results is known, so that
  /// errors of the job as a whole (a malformed query, a timeout) are thrown here.
  void start();

  /// Move to the next file (the first on the first call); false after the last. Throws
  /// the error of the file (or of the batch listing) reached, and Error when cancelled.
  bool nextFile();
  /// CSV: the current file's header row; empty for a file without rows.
  const std::vector<std::string>& fileHeader() const noexcept { return readingHeader_; }
  /// CSV: the current file's next data row; false at its end.
  bool fileRow(std::vector<std::string>& row);
  /// JSON/XML: the current file's next record; false at its end.
  bool fileRecord(nlohmann::ordered_json& record);

  /// Abort the job and throw Error when the caller cancelled; otherwise nothing.
  void throwIfCancelled();

  /// Files whose download finished so far (for tests).
  std::size_t downloaded() const;
  /// The spool directory (for tests: it is empty once the stream is done).
  const std::string& spoolPath() const noexcept { return spool_.path(); }

 private:
  struct File {
    std::string batchId;
    std::string resultId;
    std::string path;
    std::vector<std::string> header;
    bool done = false;
    std::exception_ptr error;
  };

  void list();
  void work();
  void download(const File& file, const std::string& path, std::vector<std::string>& header);
  bool stopRequested() const;
  void closeCurrent();

  std::shared_ptr<Connection> api_;
  Job job_;
  // Before tracker_, which takes a copy of settings_ with `stop` set.
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  PollSettings settings_;
  BatchTracker tracker_;  // used by the listing thread only, once started
  int workers_;
  load::SpoolDir spool_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  // Files from `first_` on (earlier ones were read and removed); files_[0] is the one
  // being read once nextFile() was called.
  std::deque<File> files_;
  std::size_t first_ = 0;
  std::size_t nextToStart_ = 0;
  std::size_t finished_ = 0;
  bool listingDone_ = false;
  std::exception_ptr listingError_;
  std::thread lister_;
  std::vector<std::thread> threads_;

  // The caller's side: the file being read.
  bool reading_ = false;
  std::size_t readingIndex_ = 0;
  std::vector<std::string> readingHeader_;
  std::ifstream in_;
  std::optional<CsvReader> csv_;
  std::string line_;
};

}  // namespace sfdc::bulk::detail::query
