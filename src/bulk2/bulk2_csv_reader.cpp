// Bulk2CsvReader: a CsvReader with the job's delimiter over one streamed download, plus
// the paging headers of query result pages.

#include <charconv>
#include <sfdc/bulk/bulk2_connection.hpp>

namespace sfdc::bulk {

class Bulk2CsvReader::Impl {
 public:
  Impl(ByteReader source, ColumnDelimiter delimiter, Headers headers)
      : csv(std::move(source), 1 << 16, delimiterChar(delimiter)), headers(std::move(headers)) {}

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

Bulk2CsvReader::Bulk2CsvReader(ByteReader source, ColumnDelimiter delimiter, Headers headers)
    : impl_(std::make_unique<Impl>(std::move(source), delimiter, std::move(headers))) {}

Bulk2CsvReader::~Bulk2CsvReader() = default;
Bulk2CsvReader::Bulk2CsvReader(Bulk2CsvReader&&) noexcept = default;
Bulk2CsvReader& Bulk2CsvReader::operator=(Bulk2CsvReader&&) noexcept = default;

const std::vector<std::string>& Bulk2CsvReader::header() {
  impl_->readHeader();
  return impl_->header;
}

bool Bulk2CsvReader::nextRow(std::vector<std::string>& row) {
  impl_->readHeader();
  if (!impl_->csv.next(row)) return false;
  ++impl_->rows;
  return true;
}

std::uint64_t Bulk2CsvReader::rowCount() const noexcept { return impl_->rows; }

const Headers& Bulk2CsvReader::responseHeaders() const noexcept { return impl_->headers; }

std::optional<std::string> Bulk2CsvReader::nextLocator() const {
  const std::string* locator = findHeader(impl_->headers, "Sforce-Locator");
  // The last page says so with the literal text `null`; a locator of that name must
  // never be sent back.
  if (locator == nullptr || locator->empty() || *locator == "null") return std::nullopt;
  return *locator;
}

std::optional<std::uint64_t> Bulk2CsvReader::numberOfRecords() const {
  const std::string* count = findHeader(impl_->headers, "Sforce-NumberOfRecords");
  if (count == nullptr) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = count->data() + count->size();
  auto [ptr, ec] = std::from_chars(count->data(), end, value);
  if (ec != std::errc() || ptr != end || count->empty()) return std::nullopt;
  return value;
}

}  // namespace sfdc::bulk
