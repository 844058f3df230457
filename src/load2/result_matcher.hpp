#pragma once

// Pairs the rows of a Bulk API 2.0 job's result files (successfulResults, failedResults,
// unprocessedrecords) with the job's input rows. The files come out of input order and
// echo the input columns after their sf__ columns, so each input row is indexed by the
// key of its cells (row_key.hpp) and each result row takes the next unused input row
// with its key. The index (row_key_index.hpp) is built from the
// job's spooled CSV when its results are read, for one job at a time.

#include <cstdint>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <string>
#include <vector>

#include "job_outcomes.hpp"
#include "row_key_index.hpp"

namespace sfdc::bulk::detail::load2 {

class ResultMatcher {
 public:
  /// Matches into `outcomes` (one per data row of the CSV at `bodyPath`).
  ResultMatcher(std::string bodyPath, JobOutcomes& outcomes);

  /// Read every row of one result file. Returns the result rows that matched no input
  /// row (never expected; the caller logs them).
  std::uint64_t consume(Bulk2CsvReader& reader, IngestResultKind kind);

 private:
  void buildIndex(const std::vector<std::size_t>& inputColumns);

  std::string bodyPath_;
  JobOutcomes& outcomes_;
  std::vector<std::string> inputHeader_;
  std::vector<std::size_t> indexedColumns_;  // input columns the index was built over
  bool indexed_ = false;
  RowKeyIndex index_;
};

}  // namespace sfdc::bulk::detail::load2
