#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query.hpp>

#include "query/query_stream_impl.hpp"

namespace sfdc::bulk {

namespace detail::query {

void csvRowToRecord(const std::vector<std::string>& header, std::vector<std::string>& row,
                    std::uint64_t rowNumber, nlohmann::ordered_json& record) {
  if (row.size() != header.size()) {
    throw ParseError("CSV query result row " + std::to_string(rowNumber) + " has " +
                     std::to_string(row.size()) + " fields, the header has " +
                     std::to_string(header.size()));
  }
  record = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < header.size(); ++i) record[header[i]] = std::move(row[i]);
}

}  // namespace detail::query

QueryStream::QueryStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QueryStream::~QueryStream() = default;
QueryStream::QueryStream(QueryStream&&) noexcept = default;
QueryStream& QueryStream::operator=(QueryStream&&) noexcept = default;

const std::string& QueryStream::jobId() const { return impl_->jobId(); }
const std::vector<std::string>& QueryStream::header() { return impl_->header(); }
bool QueryStream::nextRow(std::vector<std::string>& row) { return impl_->nextRow(row); }
bool QueryStream::nextRecord(nlohmann::ordered_json& record) { return impl_->nextRecord(record); }
bool QueryStream::nextRecord(nlohmann::json& record) {
  nlohmann::ordered_json ordered;
  if (!impl_->nextRecord(ordered)) return false;
  record = nlohmann::json(ordered);
  return true;
}
std::uint64_t QueryStream::rowCount() const noexcept { return impl_->rowCount(); }

}  // namespace sfdc::bulk
