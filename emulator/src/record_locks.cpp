#include "record_locks.hpp"

#include <algorithm>

namespace sfdc::emulator::server {

std::vector<std::string> RecordLocks::acquire(const std::vector<std::string>& keys,
                                              Deadline deadline) {
  std::vector<std::string> missed;
  std::unique_lock<std::mutex> lock(mutex_);
  const long long generation = generation_;
  for (const std::string& key : keys) {
    Lock& entry = locks_[key];
    if (!entry.held && entry.waiters.empty()) {
      entry.held = true;
      ++taken_;
      continue;
    }
    ++waited_;
    const std::uint64_t ticket = nextTicket_++;
    entry.waiters.push_back(ticket);
    // `entry` stays valid: an entry is only erased when nobody holds or waits for it.
    const bool got = freed_.wait_until(lock, deadline, [&] {
      return generation_ != generation || (!entry.held && entry.waiters.front() == ticket);
    });
    if (generation_ != generation) {
      missed.push_back(key);  // cleared: the entry is gone
      continue;
    }
    entry.waiters.erase(std::find(entry.waiters.begin(), entry.waiters.end(), ticket));
    if (got) {
      entry.held = true;
      ++taken_;
    } else {
      ++timedOut_;
      missed.push_back(key);
      if (!entry.held && entry.waiters.empty()) locks_.erase(key);
      freed_.notify_all();  // the next waiter may now be first in line
    }
  }
  return missed;
}

void RecordLocks::release(const std::vector<std::string>& keys) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& key : keys) {
      auto it = locks_.find(key);
      if (it == locks_.end()) continue;  // cleared meanwhile
      it->second.held = false;
      if (it->second.waiters.empty()) locks_.erase(it);
    }
  }
  freed_.notify_all();
}

void RecordLocks::clear() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    locks_.clear();
    ++generation_;
  }
  freed_.notify_all();
}

nlohmann::json RecordLocks::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto held = std::count_if(locks_.begin(), locks_.end(),
                                  [](const auto& entry) { return entry.second.held; });
  return {{"taken", taken_}, {"waited", waited_}, {"timedOut", timedOut_}, {"held", held}};
}

}  // namespace sfdc::emulator::server
