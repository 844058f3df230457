#include "batch_allocation.hpp"

#include "http_reply.hpp"

namespace sfdc::emulator::server {

void BatchAllocation::charge() {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  while (!charged_.empty() && charged_.front() <= now - window_) charged_.pop_front();
  if (charged_.size() >= static_cast<std::size_t>(limit_ < 0 ? 0 : limit_)) {
    // DOC (errors page): ExceededQuota, "the job or batch you tried to create exceeds the
    // allowed number for the past 24 hour period". The wording is a real one seen by
    // clients [OBS jetstream's FATAL_BULK_ERROR_PATTERNS]; not confirmed as this answer's.
    throw ApiException(400, "ExceededQuota", "ApiBatchItems Limit exceeded.");
  }
  charged_.push_back(now);
}

void BatchAllocation::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  charged_.clear();
}

long long BatchAllocation::used() const {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  long long count = 0;
  for (const auto& t : charged_) count += t > now - window_ ? 1 : 0;
  return count;
}

}  // namespace sfdc::emulator::server
