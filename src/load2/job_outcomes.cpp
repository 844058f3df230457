#include "job_outcomes.hpp"

#include <algorithm>

namespace sfdc::bulk::detail::load2 {

JobOutcomes::JobOutcomes(std::size_t rowCount, RecordError unprocessedError,
                         RecordError noResultError)
    : rows_(rowCount),
      unprocessedError_(std::move(unprocessedError)),
      noResultError_(std::move(noResultError)) {}

void JobOutcomes::setId(std::size_t row, std::string_view id) {
  Compact& compact = rows_[row];
  if (id.size() > kIdBytes) {
    longIds_[static_cast<std::uint32_t>(row)] = std::string(id);
    compact.idLength = 0xFF;
    return;
  }
  std::copy(id.begin(), id.end(), compact.id.begin());
  compact.idLength = static_cast<std::uint8_t>(id.size());
}

void JobOutcomes::succeed(std::size_t row, std::string_view id, bool created) {
  setId(row, id);
  rows_[row].kind = Kind::Succeeded;
  rows_[row].created = created;
}

void JobOutcomes::fail(std::size_t row, std::string_view id, std::vector<RecordError> errors) {
  setId(row, id);
  rows_[row].kind = Kind::Failed;
  errors_[static_cast<std::uint32_t>(row)] = std::move(errors);
}

void JobOutcomes::unprocessed(std::size_t row) { rows_[row].kind = Kind::Unprocessed; }

void JobOutcomes::succeedAll(bool created) {
  for (auto& row : rows_) {
    row.kind = Kind::Succeeded;
    row.created = created;
  }
}

std::size_t JobOutcomes::unassigned() const noexcept {
  return static_cast<std::size_t>(std::count_if(
      rows_.begin(), rows_.end(), [](const Compact& row) { return row.kind == Kind::None; }));
}

RowResult JobOutcomes::result(std::size_t row, std::uint64_t inputRow) const {
  const Compact& compact = rows_[row];
  RowResult out;
  out.row = inputRow;
  if (compact.idLength == 0xFF) {
    out.id = longIds_.at(static_cast<std::uint32_t>(row));
  } else {
    out.id.assign(compact.id.data(), compact.idLength);
  }
  switch (compact.kind) {
    case Kind::Succeeded:
      out.success = true;
      out.created = compact.created;
      break;
    case Kind::Failed: {
      const auto it = errors_.find(static_cast<std::uint32_t>(row));
      if (it != errors_.end()) out.errors = it->second;
      if (out.errors.empty()) {
        out.errors.push_back(RecordError{"UNKNOWN_ERROR", "the row failed without an error", {}});
      }
      break;
    }
    case Kind::Unprocessed:
      out.notProcessed = true;
      out.errors.push_back(unprocessedError_);
      break;
    case Kind::None:
      out.notProcessed = true;
      out.errors.push_back(noResultError_);
      break;
  }
  return out;
}

}  // namespace sfdc::bulk::detail::load2
