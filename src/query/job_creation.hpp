#pragma once

// Creating a query job, v1 or 2.0, when the first attempt fails: what provably did not
// happen (503, 429, no connection) is tried again until the deadline; an unknown
// outcome only a few times, since a query job created twice costs no more than a job
// that runs without being read (nothing is written to the org).

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <thread>

#include "error_text.hpp"
#include "load/upload_pool.hpp"

namespace sfdc::bulk::detail::query {

/// Pause before attempt `attempt + 1` of a job creation.
inline std::chrono::milliseconds creationPause(int attempt) {
  return std::min(std::chrono::milliseconds(1000) * std::min(attempt, 8),
                  std::chrono::milliseconds(30'000));
}

/// `create()` until it returns, within the rules above; `warn` hears of each failure
/// that is tried again. The last failure is rethrown.
template <class Create>
auto createQueryJobWithRetry(Create create, const std::function<void(const std::string&)>& warn,
                             std::chrono::steady_clock::time_point deadline) -> decltype(create()) {
  constexpr int kUnknownOutcomeAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      return create();
    } catch (...) {
      const auto error = std::current_exception();
      const auto outcome = load::classifyUploadError(error);
      if (outcome == load::UploadOutcome::Fatal ||
          (outcome == load::UploadOutcome::Ambiguous && attempt >= kUnknownOutcomeAttempts) ||
          std::chrono::steady_clock::now() + creationPause(attempt) >= deadline) {
        throw;
      }
      warn("query: creating the job failed (" + describeError(error) + "); trying again");
      std::this_thread::sleep_for(creationPause(attempt));
    }
  }
}

}  // namespace sfdc::bulk::detail::query
