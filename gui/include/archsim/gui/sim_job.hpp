// SimJob: runs simulations in one background thread, one at a time, so the
// UI thread never blocks and never touches a Result being built. The UI
// posts a request tagged with the document revision; a newer request
// replaces a waiting one. A finished Result is handed over under a mutex
// (take_finished). cancel() abandons the running job (its Result, if one
// still arrives, is discarded) and raises the SimOptions::cancel flag, on
// which simulate() kills its simulation processes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"
#include "archsim/simulator.hpp"

namespace archsim::gui {

/// What the worker calls: archsim::simulate in the app, a fake in tests.
using SimulateFn = std::function<Result(const Scenario&, const SimOptions&)>;

struct SimRequest {
  uint64_t revision = 0;   ///< document revision the scenario was parsed from
  Scenario scenario;
  SimOptions options;
  bool quick = false;      ///< the scenario was shortened for interactivity (carried to the outcome)
};

struct SimOutcome {
  uint64_t revision = 0;
  std::optional<Result> result;  ///< empty when the simulation threw
  std::string error;             ///< what() of the exception
  double wall_s = 0;             ///< wall-clock seconds the run took
  bool quick = false;            ///< as in the request
};

class SimJob {
 public:
  explicit SimJob(SimulateFn simulate);
  /// Waits for a running simulation to end (its result is dropped).
  ~SimJob();
  SimJob(const SimJob&) = delete;
  SimJob& operator=(const SimJob&) = delete;

  /// Queues `request`, replacing one still waiting.
  void post(SimRequest request);
  /// Drops the waiting request and abandons the running one.
  void cancel();
  /// The newest finished, not abandoned outcome (older ones are dropped).
  std::optional<SimOutcome> take_finished();
  /// A simulation is running or waiting.
  bool busy() const;
  /// Revision of the running simulation (0 when none).
  uint64_t running_revision() const;
  /// Wall seconds since the running simulation started (0 when none).
  double running_for_s() const;

 private:
  void work(std::stop_token stop);

  SimulateFn simulate_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::optional<SimRequest> waiting_;
  std::optional<SimOutcome> finished_;
  uint64_t running_revision_ = 0;
  bool abandoned_ = false;
  std::atomic<bool> cancel_flag_{false};  ///< handed to simulate() as SimOptions::cancel
  std::chrono::steady_clock::time_point started_{};
  std::jthread worker_;  ///< last member: started after, stopped before, the others
};

}  // namespace archsim::gui
