#pragma once

// One query result file read incrementally, resumed when the download breaks off: the
// file is requested again and the rows already handed out are parsed and skipped, so no
// row is lost or repeated. Counting rows works against any server; an HTTP Range
// request would save re-reading the skipped bytes but Salesforce does not document
// honouring it for result files, and a byte offset would also have to land on a row
// boundary of the (possibly gzip-decoded) body.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

#include "query/download_resume.hpp"

namespace sfdc::bulk::detail::query {

class ResultFile {
 public:
  ResultFile(Connection& api, Job job, std::string batchId, std::string resultId);

  /// CSV: the file's own header row; empty for a file without rows.
  const std::vector<std::string>& header();
  /// CSV: the next data row; false at the end of the file.
  bool nextRow(std::vector<std::string>& row);
  /// JSON/XML: the next record; false at the end of the file.
  bool nextRecord(nlohmann::ordered_json& record);

  /// Rows or records handed out from this file.
  std::uint64_t delivered() const noexcept { return delivered_; }
  /// Times the download was started again after breaking off.
  int resumes() const noexcept { return resume_.resumes(); }

 private:
  template <class Read>
  bool guarded(Read read);
  void open();
  bool readOne();

  Connection& api_;
  Job job_;
  std::string batchId_;
  std::string resultId_;
  std::optional<QueryResultReader> reader_;
  std::vector<std::string> header_;
  bool headerKnown_ = false;
  std::vector<std::string> scratchRow_;
  nlohmann::ordered_json scratchRecord_;
  std::uint64_t delivered_ = 0;
  DownloadResume resume_;
};

}  // namespace sfdc::bulk::detail::query
