// What a Bulk API 2.0 load accepts, checked before the first request.

#include <limits>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>

#include "../load/loader.hpp"
#include "loader2.hpp"

namespace sfdc::bulk::detail::load2 {

void validateLoad2Options(Operation operation, std::string_view object,
                          const LoadOptions& options) {
  if (options.contentType != ContentType::CSV) {
    throw InvalidArgument("load: Bulk API 2.0 takes CSV jobs only, got " +
                          std::string(toString(options.contentType)) +
                          " (record sources are sent as CSV); use BulkApi::V1 for JSON or XML");
  }
  if (options.concurrencyMode == ConcurrencyMode::Serial) {
    throw InvalidArgument(
        "load: Bulk API 2.0 has no serial mode; use BulkApi::V1 for ConcurrencyMode::Serial");
  }
  if (options.maxJobBytes < 1 || options.maxJobBytes > kMaxBulk2UploadBytes) {
    throw InvalidArgument("load: maxJobBytes must be between 1 and " +
                          std::to_string(kMaxBulk2UploadBytes) + ", got " +
                          std::to_string(options.maxJobBytes));
  }
  // Rows are numbered within a job in 32 bits while its results are matched.
  constexpr std::size_t kMostJobRecords = std::numeric_limits<std::uint32_t>::max();
  if (options.maxJobRecords < 1 || options.maxJobRecords > kMostJobRecords) {
    throw InvalidArgument("load: maxJobRecords must be between 1 and " +
                          std::to_string(kMostJobRecords) + ", got " +
                          std::to_string(options.maxJobRecords));
  }
  load::validateLoadOptions(operation, object, options);
}

}  // namespace sfdc::bulk::detail::load2
