#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

/**
 * One query result file, read incrementally: the body is pulled from the network as
 * the caller asks for rows, so memory does not grow with the file's size.
 *
 * CSV files: `header()` and `nextRow()`; `nextRecord()` also works (values as strings,
 * empty cells as ""). JSON and XML files: `nextRecord()` yields one record object at a
 * time (JSON without its `attributes`; XML with values as strings, nil as null,
 * parent relationships as nested objects). The literal body
 * `Records not found for this query` reads as zero rows.
 */
class SFDC_BULK_EXPORT QueryResultReader {
 public:
  /// A reader over a result file in format `type`, pulled from `source`
  /// (Client::getQueryResult builds one over the download).
  QueryResultReader(ContentType type, ByteReader source);
  ~QueryResultReader();
  /// Readers move; they cannot be copied.
  QueryResultReader(QueryResultReader&&) noexcept;
  /// Take over `other`'s position in the file.
  QueryResultReader& operator=(QueryResultReader&&) noexcept;

  /// Format of the result file.
  ContentType contentType() const noexcept { return type_; }
  /// CSV: the column names (empty when there are no rows). Other formats: empty.
  const std::vector<std::string>& header();
  /// CSV: the next data row; false at the end. Throws InvalidArgument for other formats.
  bool nextRow(std::vector<std::string>& row);
  /// Any format: the next record; false at the end.
  bool nextRecord(nlohmann::json& record);
  /// The same with the fields in the file's order (the SELECT's, or the CSV header's),
  /// where nlohmann::json sorts them by name.
  bool nextRecord(nlohmann::ordered_json& record);

 private:
  class Impl;
  ContentType type_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfdc::bulk
