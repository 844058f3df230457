#include <sfdc/bulk/error.hpp>

#include "query/bulk2_page_sequence.hpp"

namespace sfdc::bulk::detail::query {

LocatorPages::LocatorPages(std::shared_ptr<Bulk2Connection> api, QueryJob job,
                           std::optional<std::int64_t> maxRecords)
    : api_(std::move(api)), job_(std::move(job)), maxRecords_(maxRecords) {}

bool LocatorPages::nextPage() {
  QueryPageRequest request;
  request.maxRecords = maxRecords_;
  if (page_) {
    const std::optional<std::string>& locator = page_->nextLocator();
    if (!locator) return false;
    request.locator = *locator;
  }
  ++pageNumber_;
  std::string name = "result page " + std::to_string(pageNumber_) + " of query job " + job_.id;
  if (!request.locator.empty()) name += " (locator " + request.locator + ")";
  Bulk2ResultPage::FirstHeader firstHeader;
  if (pageNumber_ > 1) firstHeader = [this] { return &firstHeader_; };
  page_.emplace(
      *api_, std::move(name),
      [api = api_, job = job_, request] { return api->openQueryResults(job, request); },
      std::move(firstHeader));
  // Open now, so that the page's failure (and, for the first page, the job's) comes from
  // the call that moved to it.
  page_->header();
  if (pageNumber_ == 1) firstHeader_ = page_->header();
  return true;
}

}  // namespace sfdc::bulk::detail::query
