// The base of the Bulk API 2.0 connection seam: every operation throws "not
// implemented" (so a fake overrides only what it uses), and Bulk2CsvReader over the
// RFC 4180 reader. The build uses this file only when src/bulk2, the full 2.0
// connection, is absent (see the root CMakeLists.txt).

#include <charconv>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk {

namespace {

[[noreturn]] void notImplemented(const char* operation) {
  throw Error(std::string("Bulk2Connection::") + operation + " is not implemented");
}

}  // namespace

class Bulk2CsvReader::Impl {
 public:
  Impl(ByteReader source, ColumnDelimiter delimiter, Headers headers)
      : csv_(std::move(source)), headers_(std::move(headers)) {
    if (delimiter != ColumnDelimiter::Comma) {
      throw InvalidArgument("Bulk2CsvReader: only comma-separated results can be read here");
    }
  }

  const std::vector<std::string>& header() {
    if (!headerRead_) {
      headerRead_ = true;
      if (!csv_.next(header_)) header_.clear();
    }
    return header_;
  }

  bool nextRow(std::vector<std::string>& row) {
    header();
    if (!csv_.next(row)) return false;
    ++rows_;
    return true;
  }

  std::uint64_t rows_ = 0;
  CsvReader csv_;
  Headers headers_;
  std::vector<std::string> header_;
  bool headerRead_ = false;
};

Bulk2CsvReader::Bulk2CsvReader(ByteReader source, ColumnDelimiter delimiter, Headers headers)
    : impl_(std::make_unique<Impl>(std::move(source), delimiter, std::move(headers))) {}
Bulk2CsvReader::~Bulk2CsvReader() = default;
Bulk2CsvReader::Bulk2CsvReader(Bulk2CsvReader&&) noexcept = default;
Bulk2CsvReader& Bulk2CsvReader::operator=(Bulk2CsvReader&&) noexcept = default;

const std::vector<std::string>& Bulk2CsvReader::header() { return impl_->header(); }
bool Bulk2CsvReader::nextRow(std::vector<std::string>& row) { return impl_->nextRow(row); }
std::uint64_t Bulk2CsvReader::rowCount() const noexcept { return impl_->rows_; }
const Headers& Bulk2CsvReader::responseHeaders() const noexcept { return impl_->headers_; }

std::optional<std::string> Bulk2CsvReader::nextLocator() const {
  const std::string* locator = findHeader(impl_->headers_, "Sforce-Locator");
  if (!locator || locator->empty() || *locator == "null") return std::nullopt;
  return *locator;
}

std::optional<std::uint64_t> Bulk2CsvReader::numberOfRecords() const {
  const std::string* text = findHeader(impl_->headers_, "Sforce-NumberOfRecords");
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

Bulk2Connection::~Bulk2Connection() = default;

Bulk2JobInfo Bulk2Connection::createIngestJob(Operation, std::string_view,
                                              const IngestJobOptions&) {
  notImplemented("createIngestJob");
}
void Bulk2Connection::uploadJobData(const IngestJob&, std::shared_ptr<BodySource>,
                                    const UploadOptions&) {
  notImplemented("uploadJobData");
}
Bulk2JobInfo Bulk2Connection::closeIngestJob(std::string_view) { notImplemented("closeIngestJob"); }
Bulk2JobInfo Bulk2Connection::abortIngestJob(std::string_view) { notImplemented("abortIngestJob"); }
Bulk2JobInfo Bulk2Connection::getIngestJobInfo(std::string_view) {
  notImplemented("getIngestJobInfo");
}
void Bulk2Connection::deleteIngestJob(std::string_view) { notImplemented("deleteIngestJob"); }
Bulk2JobPage Bulk2Connection::listIngestJobs(const Bulk2JobFilter&, std::string_view) {
  notImplemented("listIngestJobs");
}
Bulk2CsvReader Bulk2Connection::openIngestResults(const IngestJob&, IngestResultKind) {
  notImplemented("openIngestResults");
}
Bulk2JobInfo Bulk2Connection::createQueryJob(std::string_view, const QueryJobOptions&) {
  notImplemented("createQueryJob");
}
Bulk2JobInfo Bulk2Connection::getQueryJobInfo(std::string_view) {
  notImplemented("getQueryJobInfo");
}
Bulk2JobInfo Bulk2Connection::abortQueryJob(std::string_view) { notImplemented("abortQueryJob"); }
void Bulk2Connection::deleteQueryJob(std::string_view) { notImplemented("deleteQueryJob"); }
Bulk2JobPage Bulk2Connection::listQueryJobs(const Bulk2JobFilter&, std::string_view) {
  notImplemented("listQueryJobs");
}
Bulk2CsvReader Bulk2Connection::openQueryResults(const QueryJob&, const QueryPageRequest&) {
  notImplemented("openQueryResults");
}
QueryResultPageLinks Bulk2Connection::getQueryResultPages(const QueryJob&, std::string_view) {
  notImplemented("getQueryResultPages");
}
Bulk2CsvReader Bulk2Connection::openQueryResultsUrl(const QueryJob&, std::string_view) {
  notImplemented("openQueryResultsUrl");
}
std::string Bulk2Connection::instanceUrl() { return {}; }
std::uint64_t Bulk2Connection::requestCount() const { return 0; }
RetryPolicy Bulk2Connection::retryPolicy() const { return RetryPolicy{}; }
void Bulk2Connection::log(LogLevel, const std::string&) {}

}  // namespace sfdc::bulk
