#pragma once

// The pages of a 2.0 query job's results in result order, one at a time: by locator
// (LocatorPages, one request after the other) or downloaded ahead on worker threads
// (ParallelPages). The stream on top joins them into one run of rows.

#include <cstdint>
#include <memory>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

#include "query/bulk2_result_page.hpp"

namespace sfdc::bulk::detail::query {

class Bulk2PageSequence {
 public:
  virtual ~Bulk2PageSequence() = default;
  /// Move to the next page (the first one on the first call); false after the last.
  virtual bool nextPage() = 0;
  /// The current page's header row; empty for a page without one.
  virtual const std::vector<std::string>& pageHeader() = 0;
  /// The current page's next data row; false at the end of the page.
  virtual bool pageRow(std::vector<std::string>& row) = 0;
};

/// `GET …/results?locator=…` page after page, each locator taken from the page
/// before; the literal `null` ends.
class LocatorPages final : public Bulk2PageSequence {
 public:
  LocatorPages(std::shared_ptr<Bulk2Connection> api, QueryJob job,
               std::optional<std::int64_t> maxRecords);

  bool nextPage() override;
  const std::vector<std::string>& pageHeader() override { return page_->header(); }
  bool pageRow(std::vector<std::string>& row) override { return page_->nextRow(row); }

 private:
  std::shared_ptr<Bulk2Connection> api_;
  QueryJob job_;
  std::optional<std::int64_t> maxRecords_;
  std::optional<Bulk2ResultPage> page_;
  std::uint64_t pageNumber_ = 0;
  std::vector<std::string> firstHeader_;
};

}  // namespace sfdc::bulk::detail::query
