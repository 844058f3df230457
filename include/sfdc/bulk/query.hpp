#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

class Client;

struct QueryOptions {
  /// queryAll: include deleted and archived records.
  bool all = false;
  /// CSV (rows) or JSON/XML (records).
  ContentType contentType = ContentType::CSV;
  std::optional<PkChunking> pkChunking;
  std::chrono::milliseconds pollMinInterval{200};
  std::chrono::milliseconds pollMaxInterval{std::chrono::seconds(10)};
  std::chrono::milliseconds timeout{std::chrono::hours(2)};
  std::shared_ptr<CancellationToken> cancel;
};

/**
 * A lazy stream over every record of a bulk query: all result files of all batches
 * (PK-chunk batches included; the NotProcessed parent skipped), pulled from the network
 * as the caller reads, in constant memory. A later file's header row is dropped; a
 * download cut by an expired session or a dropped connection is resumed without handing
 * a row to the caller twice.
 */
class QueryStream {
 public:
  class Impl;
  explicit QueryStream(std::unique_ptr<Impl> impl);
  ~QueryStream();
  QueryStream(QueryStream&&) noexcept;
  QueryStream& operator=(QueryStream&&) noexcept;

  const std::string& jobId() const;
  /// CSV: the column names. Other formats: empty.
  const std::vector<std::string>& header();
  /// CSV: the next row; false at the end.
  bool nextRow(std::vector<std::string>& row);
  /// Any format: the next record (CSV rows as field → string).
  bool nextRecord(nlohmann::json& record);
  /// Rows handed out so far.
  std::uint64_t rowCount() const noexcept;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfdc::bulk
