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

/// Bulk API 2.0: most bytes of CSV in one job's upload. The service takes 150 MB once
/// base64-encoded and asks for at most 100 MB of raw data; 100,000,000 stays under both.
inline constexpr std::size_t kMaxBulk2UploadBytes = 100'000'000;
/// Bulk API 2.0: rows per job a load uses by default. Not a service limit: the load maps
/// each job's result rows back to input rows with an index of 24 bytes per row, and this
/// keeps that index (and the time to the first results) small.
inline constexpr std::size_t kDefaultBulk2JobRecords = 250'000;

}  // namespace sfdc::bulk
