#include "batch_outcome.hpp"

#include "../coded_message.hpp"

namespace sfdc::bulk::detail::load {

std::optional<RecordError> codedError(const std::string& text) {
  CodedMessage split = splitCodedMessage(text);
  if (split.code.empty()) return std::nullopt;
  return RecordError{std::move(split.code), std::move(split.message), {}};
}

RecordError batchError(const BatchInfo& info) {
  const std::string& text = info.stateMessage;
  if (auto coded = codedError(text)) return std::move(*coded);
  if (!text.empty()) return RecordError{std::string(toString(info.state)), text, {}};
  return RecordError{std::string(toString(info.state)),
                     info.state == BatchState::NotProcessed
                         ? "the batch was not processed (the job was aborted)"
                         : "the batch failed without a message",
                     {}};
}

std::vector<RowResult> mapBatchResults(const BatchInfo& info, std::uint64_t firstRow,
                                       std::size_t rowCount, std::vector<RecordResult> results,
                                       std::string& mismatch) {
  std::vector<RowResult> rows(rowCount);
  for (std::size_t i = 0; i < rowCount; ++i) rows[i].row = firstRow + i;
  mismatch.clear();
  if ((info.state == BatchState::Completed && results.size() != rowCount) ||
      results.size() > rowCount) {
    mismatch = "batch " + info.id + " returned " + std::to_string(results.size()) +
               " results for " + std::to_string(rowCount) +
               " rows; results cannot be matched to rows";
    for (auto& row : rows) row.errors.push_back(RecordError{"RESULT_COUNT_MISMATCH", mismatch, {}});
    return rows;
  }
  const RecordError missing = batchError(info);
  for (std::size_t i = 0; i < rowCount; ++i) {
    RowResult& row = rows[i];
    if (i < results.size()) {
      row.id = std::move(results[i].id);
      row.success = results[i].success;
      row.created = results[i].created;
      row.errors = std::move(results[i].errors);
    } else {
      row.notProcessed = true;
      row.errors.push_back(missing);
    }
  }
  return rows;
}

}  // namespace sfdc::bulk::detail::load
