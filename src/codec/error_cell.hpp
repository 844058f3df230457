#pragma once

// The `Error` cell of CSV DML results: `STATUS_CODE:message:field1,field2 --`.

#include <sfdc/bulk/types.hpp>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail {

/// Splits an Error cell into errors. The layout with several errors is not documented
/// (wire reference §12), so this accepts errors separated by ` --`, newlines, or both,
/// and messages that contain colons. An empty cell gives no errors.
std::vector<RecordError> parseCsvErrorCell(std::string_view cell);

}  // namespace sfdc::bulk::detail
