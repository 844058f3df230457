#pragma once

// Turning a finished batch into one RowResult per input row.

#include <cstdint>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load {

/// A service message of the form "Code : text" (splitCodedMessage; e.g. `InvalidBatch :
/// Field name not found : Foo`) as a record error: the code, and the text after it, so
/// that "code: message" does not read "InvalidBatch: InvalidBatch : ...". Nothing for a
/// message without such a code.
std::optional<RecordError> codedError(const std::string& text);

/// A batch's stateMessage as a record error: codedError, else the batch state as the code
/// and the whole stateMessage as the message.
RecordError batchError(const BatchInfo& info);

/**
 * Result i of the batch belongs to input row firstRow + i (results come in input order,
 * wire reference §6.1). Rows without a result (a Failed or NotProcessed batch) are
 * notProcessed with the batch's stateMessage. When a Completed batch returns a different
 * number of results than it had rows, or any batch returns more, no row can be paired
 * safely: every row is reported failed (the records may have been written, so "not
 * processed", which invites a resend, would be wrong) and `mismatch` explains why.
 */
std::vector<RowResult> mapBatchResults(const BatchInfo& info, std::uint64_t firstRow,
                                       std::size_t rowCount, std::vector<RecordResult> results,
                                       std::string& mismatch);

}  // namespace sfdc::bulk::detail::load
