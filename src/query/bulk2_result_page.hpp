#pragma once

// One page of a 2.0 query job's results, read row by row and resumed when the download
// breaks off or fails on an expired session: the same page (same locator, same result
// URL) is requested again and the rows already handed out are parsed and skipped. A
// page is immutable once the job is JobComplete (locators stay valid while the job
// exists), so the same rows come back in the same order.

#include <cstdint>
#include <functional>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <string>
#include <vector>

#include "query/download_resume.hpp"

namespace sfdc::bulk::detail::query {

class Bulk2ResultPage {
 public:
  using Open = std::function<Bulk2CsvReader()>;
  /// The first page's header row, asked for when this page's row count is checked;
  /// nullptr for the first page itself or when it is not known.
  using FirstHeader = std::function<const std::vector<std::string>*()>;

  /// `open` requests the page; `name` says which page in messages.
  Bulk2ResultPage(Bulk2Connection& api, std::string name, Open open,
                  FirstHeader firstHeader = nullptr);

  /// The page's header row; empty for an empty body.
  const std::vector<std::string>& header();
  /// The next data row; false at the end of the page. Throws the download's error once
  /// resuming is no longer worth it.
  bool nextRow(std::vector<std::string>& row);
  /// The locator of the following page; nullopt on the last page (`Sforce-Locator:
  /// null`). Opens the page when it is not open yet.
  const std::optional<std::string>& nextLocator();

  /// Rows handed out from this page.
  std::uint64_t delivered() const noexcept { return delivered_; }
  /// Times the page was requested again after a failure.
  int resumes() const noexcept { return resume_.resumes(); }

 private:
  template <class Read>
  auto guarded(Read read) -> decltype(read());
  void open();
  void checkComplete() const;

  Bulk2Connection& api_;
  std::string name_;
  Open open_;
  FirstHeader firstHeader_;
  std::optional<Bulk2CsvReader> reader_;
  std::optional<std::string> nextLocator_;
  std::optional<std::uint64_t> announcedRows_;
  std::vector<std::string> header_;
  std::vector<std::string> scratch_;
  bool opened_ = false;
  std::uint64_t delivered_ = 0;
  DownloadResume resume_;
};

/// True for a failure after which requesting the page again may succeed: a broken or
/// failed connection, an expired session the connection could not renew in time, or a
/// status the retry policy calls transient.
bool isResumablePageError(const std::exception_ptr& error);

}  // namespace sfdc::bulk::detail::query
