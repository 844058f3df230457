#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query.hpp>

#include "query/query_stream_impl.hpp"

namespace sfdc::bulk {

QueryStream::Impl::Impl(std::shared_ptr<Connection> api, Job job, std::string batchId,
                        detail::query::PollSettings settings)
    : api_(std::move(api)),
      job_(std::move(job)),
      tracker_(*api_, job_, std::move(batchId), settings),
      cancel_(settings.cancel) {}

void QueryStream::Impl::checkCancelled() {
  if (cancel_ && cancel_->cancelled()) tracker_.checkCancelled();
}

void QueryStream::Impl::start() {
  if (!file_ && !exhausted_) exhausted_ = !openNextFile();
}

bool QueryStream::Impl::openNextFile() {
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

void QueryStream::Impl::adoptHeader() {
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

const std::vector<std::string>& QueryStream::Impl::header() {
  if (job_.contentType != ContentType::CSV) return header_;
  // Until a header is known every file opened so far had no rows, so moving past them
  // loses nothing.
  while (!headerKnown_ && !exhausted_) exhausted_ = !openNextFile();
  return header_;
}

bool QueryStream::Impl::nextRow(std::vector<std::string>& row) {
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

bool QueryStream::Impl::nextRecord(nlohmann::json& record) {
  if (job_.contentType == ContentType::CSV) {
    if (!nextRow(row_)) return false;
    if (row_.size() != header_.size()) {
      throw ParseError("CSV query result row " + std::to_string(rows_) + " has " +
                       std::to_string(row_.size()) + " fields, the header has " +
                       std::to_string(header_.size()));
    }
    record = nlohmann::json::object();
    for (std::size_t i = 0; i < header_.size(); ++i) record[header_[i]] = std::move(row_[i]);
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

QueryStream::QueryStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QueryStream::~QueryStream() = default;
QueryStream::QueryStream(QueryStream&&) noexcept = default;
QueryStream& QueryStream::operator=(QueryStream&&) noexcept = default;

const std::string& QueryStream::jobId() const { return impl_->jobId(); }
const std::vector<std::string>& QueryStream::header() { return impl_->header(); }
bool QueryStream::nextRow(std::vector<std::string>& row) { return impl_->nextRow(row); }
bool QueryStream::nextRecord(nlohmann::json& record) { return impl_->nextRecord(record); }
std::uint64_t QueryStream::rowCount() const noexcept { return impl_->rowCount(); }

}  // namespace sfdc::bulk
