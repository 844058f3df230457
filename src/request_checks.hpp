#pragma once

// Checks of what a caller asks for, made before anything is sent: ids that go into
// request paths, job options that contradict each other, batch bodies over the limits.
// Each throws InvalidArgument naming the operation and what was wrong.

#include <sfdc/bulk/types.hpp>
#include <string_view>

namespace sfdc::bulk::detail {

/// A Salesforce id: 15 or 18 letters and digits.
bool isSalesforceId(std::string_view id);

void requireId(std::string_view operation, std::string_view what, std::string_view id);
void requireJobId(std::string_view operation, const Job& job);
void requireBatchId(std::string_view operation, std::string_view batchId);

void validateJobOptions(Operation operation, std::string_view object, ContentType contentType,
                        const JobOptions& options);
/// A batch body held in memory.
void validateBody(const Job& job, std::string_view body);
/// A streamed batch body of `size` bytes (-1 when unknown).
void validateBodySize(long long size);
/// The number of records of a batch built from records.
void checkBatchRecordCount(std::size_t count);

}  // namespace sfdc::bulk::detail
