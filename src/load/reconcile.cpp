#include "reconcile.hpp"

#include <algorithm>
#include <fstream>
#include <thread>
#include <unordered_map>

namespace sfdc::bulk::detail::load {

namespace {

// Could batch `batch` hold the records of `upload`, judging by its counters alone?
bool countsCompatible(const BatchInfo& batch, const AmbiguousUpload& upload) {
  const auto rows = static_cast<std::int64_t>(upload.rowCount);
  if (batch.state == BatchState::Completed) return batch.numberRecordsProcessed == rows;
  return batch.numberRecordsProcessed <= rows;
}

}  // namespace

bool fileEquals(const std::string& path, const std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char buffer[1 << 16];
  std::size_t offset = 0;
  for (;;) {
    in.read(buffer, sizeof buffer);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (offset + n > bytes.size() || bytes.compare(offset, n, buffer, n) != 0) return false;
    offset += n;
  }
  return offset == bytes.size();
}

ReconcileOutcome matchUploads(const std::vector<BatchInfo>& list,
                              const std::set<std::string>& knownIds,
                              const std::vector<AmbiguousUpload>& uploads,
                              const std::function<std::string(const std::string&)>& fetchBody) {
  ReconcileOutcome outcome;
  std::vector<const BatchInfo*> unknown;
  for (const auto& batch : list) {
    if (knownIds.count(batch.id) == 0) unknown.push_back(&batch);
  }
  // Creation order decides between identical bodies; list order breaks ties in dates.
  std::stable_sort(unknown.begin(), unknown.end(), [](const BatchInfo* a, const BatchInfo* b) {
    return a->createdDate < b->createdDate;
  });

  std::vector<bool> batchTaken(unknown.size(), false);
  std::vector<bool> uploadDone(uploads.size(), false);
  auto match = [&](std::size_t u, std::size_t b) {
    outcome.found.emplace(uploads[u].index, *unknown[b]);
    uploadDone[u] = true;
    batchTaken[b] = true;
  };

  // Steps 3–4: pairs that the counters alone make unique, repeated until stable because
  // each match can make another pair unique.
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t u = 0; u < uploads.size(); ++u) {
      if (uploadDone[u]) continue;
      std::size_t candidates = 0;
      std::size_t only = 0;
      for (std::size_t b = 0; b < unknown.size(); ++b) {
        if (!batchTaken[b] && countsCompatible(*unknown[b], uploads[u])) {
          ++candidates;
          only = b;
        }
      }
      if (candidates != 1) continue;
      std::size_t claimants = 0;
      for (std::size_t v = 0; v < uploads.size(); ++v) {
        if (!uploadDone[v] && countsCompatible(*unknown[only], uploads[v])) ++claimants;
      }
      if (claimants != 1) continue;
      match(u, only);
      progress = true;
    }
  }

  // Step 5: compare bodies, fetching each candidate's at most once.
  std::unordered_map<std::string, std::string> bodies;
  for (std::size_t u = 0; u < uploads.size(); ++u) {
    if (uploadDone[u]) continue;
    for (std::size_t b = 0; b < unknown.size(); ++b) {
      if (batchTaken[b] || !countsCompatible(*unknown[b], uploads[u])) continue;
      auto it = bodies.find(unknown[b]->id);
      if (it == bodies.end()) {
        it = bodies.emplace(unknown[b]->id, fetchBody(unknown[b]->id)).first;
        ++outcome.bodiesFetched;
      }
      if (it->second.size() == uploads[u].bodyBytes &&
          fileEquals(uploads[u].bodyPath, it->second)) {
        match(u, b);
        break;
      }
    }
  }

  for (std::size_t u = 0; u < uploads.size(); ++u) {
    if (!uploadDone[u]) outcome.notFound.push_back(uploads[u].index);
  }
  for (std::size_t b = 0; b < unknown.size(); ++b) {
    if (!batchTaken[b]) outcome.strays.push_back(*unknown[b]);
  }
  return outcome;
}

ReconcileOutcome reconcileUploads(Connection& api, const Job& job,
                                  const std::set<std::string>& knownIds,
                                  const std::vector<AmbiguousUpload>& uploads,
                                  std::chrono::milliseconds settle) {
  auto fetch = [&](const std::string& id) { return api.getBatchRequest(job, id); };
  ReconcileOutcome outcome = matchUploads(api.getAllBatches(job), knownIds, uploads, fetch);
  if (outcome.notFound.empty()) return outcome;

  std::this_thread::sleep_for(settle);
  std::set<std::string> known = knownIds;
  for (const auto& entry : outcome.found) known.insert(entry.second.id);
  std::vector<AmbiguousUpload> remaining;
  for (const auto& upload : uploads) {
    if (std::find(outcome.notFound.begin(), outcome.notFound.end(), upload.index) !=
        outcome.notFound.end()) {
      remaining.push_back(upload);
    }
  }
  ReconcileOutcome second = matchUploads(api.getAllBatches(job), known, remaining, fetch);
  for (auto& entry : second.found) outcome.found.emplace(entry.first, std::move(entry.second));
  outcome.notFound = std::move(second.notFound);
  outcome.strays = std::move(second.strays);
  outcome.bodiesFetched += second.bodiesFetched;
  return outcome;
}

}  // namespace sfdc::bulk::detail::load
