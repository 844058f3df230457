#pragma once

// What a QueryStream reads from: one implementation per Bulk API (v1 follows a job's
// batches and their result files, 2.0 follows result pages by locator). Client::query
// picks one; QueryStream only forwards to it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/query.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

class QueryStream::Impl {
 public:
  virtual ~Impl() = default;

  virtual const std::string& jobId() const noexcept = 0;
  virtual const std::vector<std::string>& header() = 0;
  virtual bool nextRow(std::vector<std::string>& row) = 0;
  virtual bool nextRecord(nlohmann::ordered_json& record) = 0;
  virtual std::uint64_t rowCount() const noexcept = 0;
};

namespace detail::query {

/// A CSV row as a record: header field → value. `rowNumber` (1-based, as rowCount()
/// counts) names the row when its width does not match the header (ParseError).
void csvRowToRecord(const std::vector<std::string>& header, std::vector<std::string>& row,
                    std::uint64_t rowNumber, nlohmann::ordered_json& record);

}  // namespace detail::query

}  // namespace sfdc::bulk
