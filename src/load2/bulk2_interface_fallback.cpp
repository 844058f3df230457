// The parts of the Bulk API 2.0 interface the 2.0 load engine relies on, for builds that
// do not have the real 2.0 connection (src/bulk2/) yet: the documented defaults of
// Bulk2Connection (each operation throws "not implemented"), Bulk2CsvReader for
// comma-separated downloads, and the job-state helpers. The build defines
// SFDC_BULK_HAVE_BULK2_CONNECTION as soon as src/bulk2/ has sources, and this file
// then compiles to nothing.

#ifndef SFDC_BULK_HAVE_BULK2_CONNECTION

#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk {

std::string_view toString(Bulk2JobState state) noexcept {
  switch (state) {
    case Bulk2JobState::Open:
      return "Open";
    case Bulk2JobState::UploadComplete:
      return "UploadComplete";
    case Bulk2JobState::InProgress:
      return "InProgress";
    case Bulk2JobState::JobComplete:
      return "JobComplete";
    case Bulk2JobState::Failed:
      return "Failed";
    case Bulk2JobState::Aborted:
      return "Aborted";
  }
  return "Unknown";
}

bool isTerminal(Bulk2JobState state) noexcept {
  return state == Bulk2JobState::JobComplete || state == Bulk2JobState::Failed ||
         state == Bulk2JobState::Aborted;
}

IngestJob IngestJob::from(const Bulk2JobInfo& info) {
  return IngestJob{info.id,         info.operation,          info.object, info.columnDelimiter,
                   info.lineEnding, info.externalIdFieldName};
}

class Bulk2CsvReader::Impl {
 public:
  Impl(ByteReader source, Headers headers) : csv(std::move(source)), headers(std::move(headers)) {}
  void readHeader() {
    if (headerRead) return;
    headerRead = true;
    if (!csv.next(header)) header.clear();
  }
  CsvReader csv;
  Headers headers;
  std::vector<std::string> header;
  bool headerRead = false;
  std::uint64_t rows = 0;
};

Bulk2CsvReader::Bulk2CsvReader(ByteReader source, ColumnDelimiter delimiter, Headers headers) {
  if (delimiter != ColumnDelimiter::Comma) {
    throw Error("Bulk2CsvReader: only comma-separated downloads are supported in this build");
  }
  impl_ = std::make_unique<Impl>(std::move(source), std::move(headers));
}
Bulk2CsvReader::~Bulk2CsvReader() = default;
Bulk2CsvReader::Bulk2CsvReader(Bulk2CsvReader&&) noexcept = default;
Bulk2CsvReader& Bulk2CsvReader::operator=(Bulk2CsvReader&&) noexcept = default;

const std::vector<std::string>& Bulk2CsvReader::header() {
  impl_->readHeader();
  return impl_->header;
}

bool Bulk2CsvReader::nextRow(std::vector<std::string>& row) {
  impl_->readHeader();
  if (impl_->header.empty() || !impl_->csv.next(row)) return false;
  ++impl_->rows;
  return true;
}

std::uint64_t Bulk2CsvReader::rowCount() const noexcept { return impl_->rows; }
const Headers& Bulk2CsvReader::responseHeaders() const noexcept { return impl_->headers; }
std::optional<std::string> Bulk2CsvReader::nextLocator() const { return std::nullopt; }
std::optional<std::uint64_t> Bulk2CsvReader::numberOfRecords() const { return std::nullopt; }

namespace {
[[noreturn]] void notImplemented(const char* operation) {
  throw Error(std::string("Bulk2Connection::") + operation + " is not implemented");
}
}  // namespace

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
RetryPolicy Bulk2Connection::retryPolicy() const { return {}; }
void Bulk2Connection::log(LogLevel, const std::string&) {}

}  // namespace sfdc::bulk

#endif  // SFDC_BULK_HAVE_BULK2_CONNECTION
