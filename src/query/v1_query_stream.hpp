#pragma once

// The Bulk API v1 query stream: it walks the job's Completed batches in creation order (from the
// BatchTracker), each batch's result files in listed order, each file's rows. Files
// and batches are opened only when the caller reaches them, so memory holds one row
// and one read buffer whatever the result size. With parallelDownloads > 1 the files
// come from V1ParallelFiles instead, in the same order.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/query.hpp>
#include <string>
#include <vector>

#include "query/batch_tracker.hpp"
#include "query/query_stream_impl.hpp"
#include "query/result_file.hpp"
#include "query/v1_parallel_files.hpp"

namespace sfdc::bulk::detail::query {

class V1QueryStream final : public QueryStream::Impl {
 public:
  /// `parallelDownloads` > 1: result files are downloaded that many at a time ahead of
  /// the reader (V1ParallelFiles); 1 reads them one after the other on this thread.
  V1QueryStream(std::shared_ptr<Connection> api, Job job, std::string batchId,
                PollSettings settings, int parallelDownloads = 1);
  ~V1QueryStream() override;

  const std::string& jobId() const noexcept override { return job_.id; }
  const std::vector<std::string>& header() override;
  bool nextRow(std::vector<std::string>& row) override;
  bool nextRecord(nlohmann::ordered_json& record) override;
  std::uint64_t rowCount() const noexcept override { return rows_; }

  /// Wait for the first batch with results and open its first file, so that errors
  /// of the job as a whole (a malformed query, a timeout) come from Client::query.
  void start();

  /// Requests made so far for polling (for tests and logs).
  std::size_t polls() const noexcept { return tracker_.polls(); }

 private:
  bool openNextFile();
  void adoptHeader(const std::vector<std::string>& fileHeader);
  bool readRow(std::vector<std::string>& row);
  bool readRecord(nlohmann::ordered_json& record);
  void checkCancelled();

  std::shared_ptr<Connection> api_;
  Job job_;
  BatchTracker tracker_;
  std::shared_ptr<CancellationToken> cancel_;
  std::string batchId_;
  std::vector<std::string> resultIds_;
  std::size_t nextResult_ = 0;
  std::optional<ResultFile> file_;
  // Set when files are downloaded ahead; then file_ stays empty.
  std::unique_ptr<V1ParallelFiles> parallel_;
  bool fileOpen_ = false;
  bool exhausted_ = false;
  // CSV: the header handed to the caller, taken from the first file that has one.
  std::vector<std::string> header_;
  bool headerKnown_ = false;
  // CSV: a later file's first row that differs from the header is data, not a header.
  std::optional<std::vector<std::string>> pendingRow_;
  std::vector<std::string> row_;
  std::uint64_t rows_ = 0;
};

}  // namespace sfdc::bulk::detail::query
