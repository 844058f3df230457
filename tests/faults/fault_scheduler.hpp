#pragma once

// Plays a run's fault schedule against the emulator: the first fault before the load
// starts, the others from a side thread at their moment. The emulator holds one set of
// faults at a time, so each HTTP fault waits (briefly) for the previous one to fire.

#include <condition_variable>
#include <mutex>
#include <sfdc/emulator/emulator.hpp>
#include <thread>
#include <vector>

#include "fault_plan.hpp"

namespace sfdc::bulk::soak {

class FaultScheduler {
 public:
  FaultScheduler(emulator::Emulator& server, std::vector<PlannedFault> faults);
  ~FaultScheduler();  ///< stops
  FaultScheduler(const FaultScheduler&) = delete;
  FaultScheduler& operator=(const FaultScheduler&) = delete;

  /// Sets a fault due before the load; call just before starting it.
  void armBeforeLoad();
  /// Plays the rest of the schedule from a side thread; call once the load started.
  void start();
  /// Stops the side thread and clears the emulator's faults.
  void stop();
  /// Sessions expired so far.
  int sessionExpiries() const;

 private:
  void play();
  /// Waits until the stop or `deadline`; false when stopped.
  bool sleepUntil(std::chrono::steady_clock::time_point deadline);
  bool pendingFaultFired() const;

  emulator::Emulator& server_;
  std::vector<PlannedFault> faults_;
  std::size_t next_ = 0;  // first fault not yet set
  bool armedDelay_ = false;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int expiries_ = 0;
  std::thread thread_;
};

}  // namespace sfdc::bulk::soak
