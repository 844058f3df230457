#include "query/bulk2_query_stream.hpp"

#include <sfdc/bulk/error.hpp>

#include "query/bulk2_parallel_pages.hpp"

namespace sfdc::bulk::detail::query {
namespace {

// resultPages exists from API 58.0 on; older versions (and servers without it) answer
// 404 NOT_FOUND, some 400. Either way the locator pages hold the same rows.
bool resultPagesRefused(const ApiError& error) {
  return error.httpStatus() == 404 || error.httpStatus() == 400;
}

}  // namespace

Bulk2QueryStream::Bulk2QueryStream(std::shared_ptr<Bulk2Connection> api, QueryJob job,
                                   Bulk2StreamSettings settings)
    : api_(std::move(api)), job_(std::move(job)), settings_(std::move(settings)) {}

void Bulk2QueryStream::checkCancelled() const {
  // The job is complete, so there is nothing left to abort; only the reading stops.
  if (settings_.cancel && settings_.cancel->cancelled()) {
    throw Error("the query was cancelled while reading the results of job " + job_.id);
  }
}

void Bulk2QueryStream::start() {
  if (started_) return;
  started_ = true;
  if (settings_.parallelDownloads > 1) {
    auto parallel = std::make_unique<ParallelPages>(api_, job_, settings_.parallelDownloads,
                                                    settings_.cancel, settings_.spoolParent);
    try {
      parallel->start();
      pages_ = std::move(parallel);
      parallel_ = true;
      if (settings_.maxRecordsPerPage) {
        // resultPages takes no page size: its links carry the server's.
        api_->log(LogLevel::Info, "query job " + job_.id +
                                      ": maxRecordsPerPage does not apply to pages downloaded "
                                      "in parallel; the server's page size is used");
      }
    } catch (const ApiError& e) {
      if (!resultPagesRefused(e)) throw;
      api_->log(LogLevel::Info, "query job " + job_.id +
                                    ": the server does not offer resultPages (" + e.what() +
                                    "); reading the result pages one after the other");
    }
  }
  if (!pages_) {
    pages_ = std::make_unique<LocatorPages>(api_, job_, settings_.maxRecordsPerPage);
  }
  exhausted_ = !openNextPage();
}

bool Bulk2QueryStream::openNextPage() {
  checkCancelled();
  if (!pages_->nextPage()) return false;
  adoptHeader();
  return true;
}

void Bulk2QueryStream::adoptHeader() {
  const std::vector<std::string>& pageHeader = pages_->pageHeader();
  if (pageHeader.empty()) return;  // an empty body: no header, no rows
  if (!headerKnown_) {
    header_ = pageHeader;
    headerKnown_ = true;
  } else if (pageHeader != header_) {
    // Every page should start with the same header (§6.3); a first row that differs
    // is data, never to be dropped.
    pendingRow_ = pageHeader;
  }
}

const std::vector<std::string>& Bulk2QueryStream::header() {
  start();
  // Until a header is known every page so far was empty, so moving past them loses
  // nothing.
  while (!headerKnown_ && !exhausted_) exhausted_ = !openNextPage();
  return header_;
}

bool Bulk2QueryStream::nextRow(std::vector<std::string>& row) {
  start();
  checkCancelled();
  for (;;) {
    if (pendingRow_) {
      row = std::move(*pendingRow_);
      pendingRow_.reset();
      ++rows_;
      return true;
    }
    if (exhausted_) return false;
    if (pages_->pageRow(row)) {
      ++rows_;
      return true;
    }
    exhausted_ = !openNextPage();
  }
}

bool Bulk2QueryStream::nextRecord(nlohmann::ordered_json& record) {
  if (!nextRow(row_)) return false;
  csvRowToRecord(header_, row_, rows_, record);
  return true;
}

}  // namespace sfdc::bulk::detail::query
