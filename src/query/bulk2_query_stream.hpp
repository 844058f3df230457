#pragma once

// The Bulk API 2.0 query stream: the rows of a JobComplete query job's result pages,
// in result order, pulled as the caller reads. Every page starts with the header row;
// the first page's header is the stream's and a later page's is dropped when it equals
// it (anything else is a row the caller must get, as in v1).

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "query/bulk2_page_sequence.hpp"
#include "query/query_stream_impl.hpp"

namespace sfdc::bulk::detail::query {

struct Bulk2StreamSettings {
  /// Rows per page (`maxRecords`); unset lets the server choose.
  std::optional<std::int64_t> maxRecordsPerPage;
  /// Pages downloaded at once; 1 reads page after page by locator.
  int parallelDownloads = 1;
  std::shared_ptr<CancellationToken> cancel;
  /// Where the page files of parallel downloads go (the system temporary directory
  /// when empty).
  std::string spoolParent;
};

class Bulk2QueryStream final : public QueryStream::Impl {
 public:
  Bulk2QueryStream(std::shared_ptr<Bulk2Connection> api, QueryJob job,
                   Bulk2StreamSettings settings);

  /// Open the first page (asking for page links first when downloading in parallel,
  /// and reading by locator when the server does not offer them), so that the first
  /// page's failure comes from Client::query.
  void start();

  const std::string& jobId() const noexcept override { return job_.id; }
  const std::vector<std::string>& header() override;
  bool nextRow(std::vector<std::string>& row) override;
  bool nextRecord(nlohmann::ordered_json& record) override;
  std::uint64_t rowCount() const noexcept override { return rows_; }

  /// True when the pages are downloaded in parallel (false after a fallback).
  bool parallel() const noexcept { return parallel_; }

 private:
  bool openNextPage();
  void adoptHeader();
  void checkCancelled() const;

  std::shared_ptr<Bulk2Connection> api_;
  QueryJob job_;
  Bulk2StreamSettings settings_;
  std::unique_ptr<Bulk2PageSequence> pages_;
  bool parallel_ = false;
  bool started_ = false;
  bool exhausted_ = false;
  std::vector<std::string> header_;
  bool headerKnown_ = false;
  std::optional<std::vector<std::string>> pendingRow_;
  std::vector<std::string> row_;
  std::uint64_t rows_ = 0;
};

}  // namespace sfdc::bulk::detail::query
