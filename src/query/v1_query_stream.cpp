#include "query/v1_query_stream.hpp"

#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query.hpp>

namespace sfdc::bulk::detail::query {

V1QueryStream::V1QueryStream(std::shared_ptr<Connection> api, Job job, std::string batchId,
                             PollSettings settings)
    : api_(std::move(api)),
      job_(std::move(job)),
      tracker_(*api_, job_, std::move(batchId), settings),
      cancel_(settings.cancel) {}

void V1QueryStream::checkCancelled() {
  if (cancel_ && cancel_->cancelled()) tracker_.checkCancelled();
}

void V1QueryStream::start() {
  if (!file_ && !exhausted_) exhausted_ = !openNextFile();
}

bool V1QueryStream::openNextFile() {
  file_.reset();
  for (;;) {
    checkCancelled();
    if (nextResult_ < resultIds_.size()) {
      file_.emplace(*api_, job_, batchId_, resultIds_[nextResult_++]);
      if (job_.contentType == ContentType::CSV) adoptHeader();
      return true;
    }
    std::optional<std::string> batch = tracker_.next();
    if (!batch) return false;
    batchId_ = std::move(*batch);
    resultIds_ = api_->getQueryResultIds(job_, batchId_);
    nextResult_ = 0;
  }
}

void V1QueryStream::adoptHeader() {
  const std::vector<std::string>& fileHeader = file_->header();
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
    if (file_ && file_->nextRow(row)) {
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
    if (file_ && file_->nextRecord(record)) {
      ++rows_;
      return true;
    }
    if (exhausted_) return false;
    exhausted_ = !openNextFile();
  }
}

}  // namespace sfdc::bulk::detail::query
