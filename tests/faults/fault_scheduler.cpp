#include "fault_scheduler.hpp"

namespace sfdc::bulk::soak {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// How long a fault waits for the one before it to fire before replacing it: a fault
/// aimed at a moment the load has passed (or that its retries never reach) must not
/// hold back the rest of the schedule.
constexpr milliseconds kWaitForPrevious{2000};
/// One Delay window, and the spacing of repeated session expiries.
constexpr milliseconds kWindow{500};

bool isHttp(FaultKind kind) { return kind != FaultKind::SessionExpiry; }

}  // namespace

FaultScheduler::FaultScheduler(emulator::Emulator& server, std::vector<PlannedFault> faults)
    : server_(server), faults_(std::move(faults)) {}

FaultScheduler::~FaultScheduler() { stop(); }

void FaultScheduler::armBeforeLoad() {
  if (next_ < faults_.size() && faults_[next_].at.count() == 0 && isHttp(faults_[next_].kind)) {
    server_.setFaults(faults_[next_].toFaults());
    armedDelay_ = faults_[next_].kind == FaultKind::Delay;
    ++next_;
  }
}

void FaultScheduler::start() {
  started_ = Clock::now();
  thread_ = std::thread([this] { play(); });
}

void FaultScheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  server_.setFaults({});
}

int FaultScheduler::sessionExpiries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return expiries_;
}

bool FaultScheduler::sleepUntil(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_until(lock, deadline, [this] { return stopping_; });
}

bool FaultScheduler::pendingFaultFired() const {
  const emulator::Faults f = server_.faults();
  return f.fail503 == 0 && f.fail500 == 0 && f.dropBeforeResponse == 0 && f.dropMidResponse == 0;
}

void FaultScheduler::play() {
  if (armedDelay_) {
    if (!sleepUntil(started_ + faults_[next_ - 1].count * kWindow)) return;
    server_.setFaults({});
  }
  for (; next_ < faults_.size(); ++next_) {
    const PlannedFault& fault = faults_[next_];
    if (!sleepUntil(started_ + fault.at)) return;
    if (fault.kind == FaultKind::SessionExpiry) {
      for (int i = 0; i < fault.count; ++i) {
        if (i > 0 && !sleepUntil(Clock::now() + kWindow)) return;
        server_.expireSessions();
        std::lock_guard<std::mutex> lock(mutex_);
        ++expiries_;
      }
      continue;
    }
    const auto giveUp = Clock::now() + kWaitForPrevious;
    while (!pendingFaultFired() && Clock::now() < giveUp) {
      if (!sleepUntil(Clock::now() + milliseconds(20))) return;
    }
    server_.setFaults(fault.toFaults());
    if (fault.kind == FaultKind::Delay) {
      if (!sleepUntil(Clock::now() + fault.count * kWindow)) return;
      server_.setFaults({});
    }
  }
}

}  // namespace sfdc::bulk::soak
