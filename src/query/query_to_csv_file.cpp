// Client::queryToCsvFile: the query's rows written as one CSV file with one header.
//
// Rows go to `<path>.tmp`, renamed over `path` only after the last row was written and
// the file closed cleanly, so a failed or cancelled query never leaves a truncated file
// that looks complete under the requested name.
//
// Fields are quoted only when they need it (a comma, quote, CR, LF, or leading or
// trailing space), as appendCsvField does, which keeps the file small and is what
// spreadsheet tools and Data Loader write. Salesforce's own result files quote every
// field, but that carries no information: null and empty both arrive as "".

#include <filesystem>
#include <fstream>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk {

namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

class TempCsvFile {
 public:
  explicit TempCsvFile(const std::string& path) : path_(path), temp_(path + ".tmp") {
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error("queryToCsvFile: cannot open " + temp_ + " for writing");
  }
  ~TempCsvFile() {
    if (committed_) return;
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
  TempCsvFile(const TempCsvFile&) = delete;
  TempCsvFile& operator=(const TempCsvFile&) = delete;

  void append(const std::vector<std::string>& row) {
    appendCsvRow(buffer_, row);
    if (buffer_.size() >= kFlushBytes) flush();
  }

  void commit() {
    flush();
    out_.close();
    if (!out_) throw Error("queryToCsvFile: writing " + temp_ + " failed");
    std::error_code error;
    std::filesystem::rename(temp_, path_, error);
    if (error) {
      throw Error("queryToCsvFile: cannot rename " + temp_ + " to " + path_ + ": " +
                  error.message());
    }
    committed_ = true;
  }

 private:
  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (!out_) throw Error("queryToCsvFile: writing " + temp_ + " failed");
    buffer_.clear();
  }

  std::string path_;
  std::string temp_;
  std::ofstream out_;
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace

std::uint64_t Client::queryToCsvFile(std::string_view soql, const std::string& path,
                                     const QueryOptions& options) {
  if (path.empty()) throw InvalidArgument("queryToCsvFile: the path is empty");
  // The file is CSV whatever the options say; asking the server for CSV avoids
  // flattening nested JSON/XML records here.
  QueryOptions csvOptions = options;
  csvOptions.contentType = ContentType::CSV;
  // Open the file before the job exists, so an unwritable path costs no API requests.
  TempCsvFile file(path);
  QueryStream stream = query(soql, csvOptions);
  const std::vector<std::string>& header = stream.header();
  // A query without rows has no header to write (Salesforce sends none): the file is
  // left empty.
  if (!header.empty()) file.append(header);
  std::vector<std::string> row;
  std::uint64_t rows = 0;
  while (stream.nextRow(row)) {
    file.append(row);
    ++rows;
  }
  file.commit();
  return rows;
}

}  // namespace sfdc::bulk
