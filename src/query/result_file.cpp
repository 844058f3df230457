#include "query/result_file.hpp"

#include <sfdc/bulk/error.hpp>
#include <thread>

namespace sfdc::bulk::detail::query {

ResultFile::ResultFile(Connection& api, Job job, std::string batchId, std::string resultId)
    : api_(api),
      job_(std::move(job)),
      batchId_(std::move(batchId)),
      resultId_(std::move(resultId)) {}

bool ResultFile::readOne() {
  if (job_.contentType == ContentType::CSV) return reader_->nextRow(scratchRow_);
  return reader_->nextRecord(scratchRecord_);
}

void ResultFile::open() {
  reader_.emplace(api_.openQueryResult(job_, batchId_, resultId_));
  if (delivered_ == 0) return;
  // Skip what the caller already has. A file is immutable once its batch completed,
  // so the same rows come back in the same order.
  for (std::uint64_t skipped = 0; skipped < delivered_; ++skipped) {
    if (!readOne()) {
      reader_.reset();
      throw ParseError("query result " + resultId_ + " of batch " + batchId_ + " has " +
                       std::to_string(skipped) + " rows on a new download, fewer than the " +
                       std::to_string(delivered_) + " already read");
    }
  }
}

template <class Read>
bool ResultFile::guarded(Read read) {
  for (;;) {
    try {
      if (!reader_) open();
      return read();
    } catch (const TransportError& e) {
      // The reader's position is unknown after a failed read; start over.
      reader_.reset();
      const auto delay = resume_.afterFailure(api_.retryPolicy(), delivered_);
      if (!delay) throw;
      api_.log(LogLevel::Warning, "query result " + resultId_ + " of batch " + batchId_ +
                                      " broke off after " + std::to_string(delivered_) + " rows (" +
                                      e.what() + "); downloading it again in " +
                                      std::to_string(delay->count()) + " ms");
      std::this_thread::sleep_for(*delay);
    }
  }
}

const std::vector<std::string>& ResultFile::header() {
  if (!headerKnown_) {
    guarded([this] {
      header_ = reader_->header();
      return true;
    });
    headerKnown_ = true;
  }
  return header_;
}

bool ResultFile::nextRow(std::vector<std::string>& row) {
  const bool more = guarded([this, &row] { return reader_->nextRow(row); });
  if (more) ++delivered_;
  return more;
}

bool ResultFile::nextRecord(nlohmann::ordered_json& record) {
  const bool more = guarded([this, &record] { return reader_->nextRecord(record); });
  if (more) ++delivered_;
  return more;
}

}  // namespace sfdc::bulk::detail::query
