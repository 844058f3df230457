#pragma once

#include <cstddef>

namespace sfdc::bulk {

/// Bulk API v1 batch limits. Bytes are counted as 10,000,000 rather
/// than 10 MiB, as Salesforce's own sample client does, to stay on the safe side.
inline constexpr std::size_t kMaxRecordsPerBatch = 10'000;
/// Most bytes in one batch body.
inline constexpr std::size_t kMaxBatchBytes = 10'000'000;
/// Most characters in one batch body.
inline constexpr std::size_t kMaxBatchCharacters = 10'000'000;

}  // namespace sfdc::bulk
