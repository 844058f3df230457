#include "query/v1_query_stream.hpp"

#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query.hpp>

namespace sfdc::bulk::detail::query {

V1QueryStream::V1QueryStream(std::shared_ptr<Connection> api, Job job, std::string batchId,
                             PollSettings settings, int parallelDownloads)
    : api_(std::move(api)),
      job_(std::move(job)),
      tracker_(*api_, job_, batchId, settings),
      cancel_(settings.cancel) {
  if (parallelDownloads > 1) {
    parallel_ = std::make_unique<V1ParallelFiles>(api_, job_, std::move(batchId),
                                                  std::move(settings), parallelDownloads);
  }
}

V1QueryStream::~V1QueryStream() = default;

void V1QueryStream::checkCancelled() {
  if (!cancel_ || !cancel_->cancelled()) return;
  if (parallel_) parallel_->throwIfCancelled();
  tracker_.checkCancelled();
}

void V1QueryStream::start() {
  if (parallel_) {
    // Waits for the first batch with results; files are opened as the caller reads.
    parallel_->start();
    return;
  }
  if (!file_ && !exhausted_) exhausted_ = !openNextFile();
}

bool V1QueryStream::openNextFile() {
  if (parallel_) {
    fileOpen_ = parallel_->nextFile();
    if (fileOpen_ && job_.contentType == ContentType::CSV) adoptHeader(parallel_->fileHeader());
    return fileOpen_;
  }
  file_.reset();
  for (;;) {
    checkCancelled();
    if (nextResult_ < resultIds_.size()) {
      file_.emplace(*api_, job_, batchId_, resultIds_[nextResult_++]);
      if (job_.contentType == ContentType::CSV) adoptHeader(file_->header());
      return true;
    }
    std::optional<std::string> batch = tracker_.next();
    if (!batch) return false;
    batchId_ = std::move(*batch);
    resultIds_ = api_->getQueryResultIds(job_, batchId_);
    nextResult_ = 0;
  }
}

void V1QueryStream::adoptHeader(const std::vector<std::string>& fileHeader) {
  // No header: `Records not found for this query` (or an empty body), zero rows.
  if (fileHeader.empty()) return;
  if (!headerKnown_) {
    header_ = fileHeader;
    headerKnown_ = true;
  } else if (fileHeader != header_) {
    // Every result file should start with the same header (§6.3), but only a row
    // equal to it may be dropped: anything else is a record the caller must get.
    pendingRow_ = fileHeader;
  }
}

bool V1QueryStream::readRow(std::vector<std::string>& row) {
  if (parallel_) return fileOpen_ && parallel_->fileRow(row);
  return file_ && file_->nextRow(row);
}

bool V1QueryStream::readRecord(nlohmann::ordered_json& record) {
  if (parallel_) return fileOpen_ && parallel_->fileRecord(record);
  return file_ && file_->nextRecord(record);
}

const std::vector<std::string>& V1QueryStream::header() {
  if (job_.contentType != ContentType::CSV) return header_;
  // Until a header is known every file opened so far had no rows, so moving past them
  // loses nothing.
  while (!headerKnown_ && !exhausted_) exhausted_ = !openNextFile();
  return header_;
}

bool V1QueryStream::nextRow(std::vector<std::string>& row) {
  if (job_.contentType != ContentType::CSV) {
    throw InvalidArgument("nextRow() reads CSV query results only; use nextRecord()");
  }
  checkCancelled();
  for (;;) {
    if (pendingRow_) {
      row = std::move(*pendingRow_);
      pendingRow_.reset();
      ++rows_;
      return true;
    }
    if (readRow(row)) {
      ++rows_;
      return true;
    }
    if (exhausted_) return false;
    exhausted_ = !openNextFile();
  }
}

bool V1QueryStream::nextRecord(nlohmann::ordered_json& record) {
  if (job_.contentType == ContentType::CSV) {
    if (!nextRow(row_)) return false;
    csvRowToRecord(header_, row_, rows_, record);
    return true;
  }
  checkCancelled();
  for (;;) {
    if (readRecord(record)) {
      ++rows_;
      return true;
    }
    if (exhausted_) return false;
    exhausted_ = !openNextFile();
  }
}

}  // namespace sfdc::bulk::detail::query
