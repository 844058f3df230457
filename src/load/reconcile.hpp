#pragma once

// Deciding whether an addBatch whose answer was lost created a batch.
//
// `POST …/batch` is not idempotent. When it fails after the body may have reached the
// server (a dropped connection, a 5xx), the batch may or may not exist. Resending blindly
// risks loading the rows twice; giving up risks losing them. So the loader lists the
// job's batches (one request) and looks for batches nobody claimed yet:
//
//  1. Batches whose id an upload of this load already returned are ours and known.
//  2. An unknown batch can only come from one of our ambiguous uploads, because the
//     loader reconciles only while no other upload is in flight and the job is its own.
//  3. Record counts rule candidates out for free: a Completed batch processed exactly
//     as many records as its body holds; a Failed or running one at most that many.
//  4. When that leaves exactly one upload for one batch (the usual case: one lost
//     answer), they match without further requests.
//  5. Otherwise the candidate's body is fetched once (`GET …/request`), its size compared
//     first and then its bytes against the spooled body; ties go by creation order.
//  6. An upload without a match was not created and is sent again; an unknown batch
//     without an upload is reported as a stray (e.g. a duplicate from an earlier resend).

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <sfdc/bulk/connection.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load {

struct AmbiguousUpload {
  std::uint64_t index = 0;  ///< the batch's position in the load
  std::size_t rowCount = 0;
  std::size_t bodyBytes = 0;
  std::string bodyPath;  ///< the spooled body that was sent
};

struct ReconcileOutcome {
  std::map<std::uint64_t, BatchInfo> found;  ///< upload index → the batch it created
  std::vector<std::uint64_t> notFound;       ///< uploads that created no batch
  std::vector<BatchInfo> strays;             ///< unknown batches nobody claimed
  int bodiesFetched = 0;
};

/// Steps 1–6 on one batch list. `fetchBody` returns a batch's uploaded body.
ReconcileOutcome matchUploads(const std::vector<BatchInfo>& list,
                              const std::set<std::string>& knownIds,
                              const std::vector<AmbiguousUpload>& uploads,
                              const std::function<std::string(const std::string&)>& fetchBody);

/// True when the file at `path` holds exactly `bytes` (compared in chunks).
bool fileEquals(const std::string& path, const std::string& bytes);

/**
 * List the job's batches and match them. When an upload is not found, wait `settle`
 * and list once more before calling it lost: a server that received the body just
 * before the connection dropped may still be creating the batch.
 */
ReconcileOutcome reconcileUploads(Connection& api, const Job& job,
                                  const std::set<std::string>& knownIds,
                                  const std::vector<AmbiguousUpload>& uploads,
                                  std::chrono::milliseconds settle);

}  // namespace sfdc::bulk::detail::load
