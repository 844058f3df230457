#pragma once

// Batches of the load's job that no upload of the load returned ("strays") repeat rows:
// the only way one appears is a batch created twice (an answer lost after the server
// acted, then a resend). They are never expected, and never ignored: once the load's own
// batches are done, each stray is waited for, traced to the batch whose rows it repeats
// (by the digest of its uploaded body), and the records it wrote are listed so they can
// be deleted again, by the caller or, when asked, by the load itself.

#include <chrono>
#include <cstdint>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load {

/// What identifies one of the load's own batches.
struct BatchFingerprint {
  std::string batchId;
  std::uint64_t firstRow = 0;
  std::size_t rowCount = 0;
  std::size_t bodyBytes = 0;
  std::uint64_t bodyDigest = 0;
};

/// Wait (until `deadline`) for every stray to finish, then describe each one: which of
/// `ours` it repeats and the ids of the records it wrote. Throws TimeoutError when a
/// stray is still running at the deadline.
std::vector<DuplicateBatch> examineStrays(Connection& api, const Job& job,
                                          std::vector<BatchInfo> strays,
                                          const std::vector<BatchFingerprint>& ours,
                                          const LoadOptions& options,
                                          std::chrono::steady_clock::time_point deadline);

/// Delete the records of insert duplicates in a delete job of their own and mark them
/// deleted. Failures are logged; what could not be deleted stays reported.
void deleteDuplicateRecords(Connection& api, std::string_view object,
                            std::vector<DuplicateBatch>& duplicates, const LoadOptions& options);

}  // namespace sfdc::bulk::detail::load
