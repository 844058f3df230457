#include "query/bulk2_result_page.hpp"

#include <sfdc/bulk/error.hpp>
#include <thread>

#include "error_text.hpp"
#include "load/upload_pool.hpp"

namespace sfdc::bulk::detail::query {

bool isResumablePageError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TransportError&) {
    return true;
  } catch (const ApiError& e) {
    if (e.httpStatus() == 401 || e.exceptionCode() == "INVALID_SESSION_ID") return true;
    return load::isTransientReadError(error);
  } catch (...) {
    return false;
  }
}

Bulk2ResultPage::Bulk2ResultPage(Bulk2Connection& api, std::string name, Open open,
                                 FirstHeader firstHeader)
    : api_(api),
      name_(std::move(name)),
      open_(std::move(open)),
      firstHeader_(std::move(firstHeader)) {}

void Bulk2ResultPage::open() {
  reader_.emplace(open_());
  const bool first = !opened_;
  if (first) {
    // Taken from the first answer only: a page's locator does not change (§6.3).
    nextLocator_ = reader_->nextLocator();
    announcedRows_ = reader_->numberOfRecords();
  }
  header_ = reader_->header();
  opened_ = true;
  for (std::uint64_t skipped = 0; skipped < delivered_; ++skipped) {
    if (!reader_->nextRow(scratch_)) {
      reader_.reset();
      throw ParseError(name_ + " has " + std::to_string(skipped) +
                       " rows on a new download, fewer than the " + std::to_string(delivered_) +
                       " already read");
    }
  }
}

void Bulk2ResultPage::checkComplete() const {
  // A body cut at a row boundary can look complete; the announced count tells.
  if (!announcedRows_ || *announcedRows_ == delivered_) return;
  // A later page whose first row is not the first page's header lacks its header row
  // (Salesforce always sends it): that row is data, which the stream keeps.
  if (*announcedRows_ == delivered_ + 1 && !header_.empty() && firstHeader_) {
    const std::vector<std::string>* first = firstHeader_();
    if (first && !first->empty() && *first != header_) return;
  }
  throw TransportError(name_ + " ended after " + std::to_string(delivered_) +
                           " rows; the server announced " + std::to_string(*announcedRows_),
                       0, true, true);
}

template <class Read>
auto Bulk2ResultPage::guarded(Read read) -> decltype(read()) {
  for (;;) {
    try {
      if (!reader_) open();
      return read();
    } catch (...) {
      const auto error = std::current_exception();
      if (!isResumablePageError(error)) throw;
      // The reader's position is unknown after a failed read; start over.
      reader_.reset();
      const auto delay = resume_.afterFailure(api_.retryPolicy(), delivered_);
      if (!delay) throw;
      api_.log(LogLevel::Warning, name_ + " failed after " + std::to_string(delivered_) +
                                      " rows (" + describeError(error) +
                                      "); requesting it again in " +
                                      std::to_string(delay->count()) + " ms");
      std::this_thread::sleep_for(*delay);
    }
  }
}

const std::vector<std::string>& Bulk2ResultPage::header() {
  if (!opened_) guarded([] { return true; });
  return header_;
}

const std::optional<std::string>& Bulk2ResultPage::nextLocator() {
  if (!opened_) guarded([] { return true; });
  return nextLocator_;
}

bool Bulk2ResultPage::nextRow(std::vector<std::string>& row) {
  const bool more = guarded([this, &row] {
    if (reader_->nextRow(row)) return true;
    checkComplete();
    return false;
  });
  if (more) ++delivered_;
  return more;
}

}  // namespace sfdc::bulk::detail::query
