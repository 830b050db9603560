// PauseSchedule: stop-the-world pauses of one process (JVM garbage
// collection): pauses start as a Poisson process and last a lognormal time
// given by its mean and p99. A FifoStation with a schedule stops every server
// during a pause: work in progress resumes when it ends, and nothing starts
// inside one. Pauses are drawn lazily, in time order, from the process's own
// random stream.
#pragma once

#include <deque>

#include "archsim/rng.hpp"

namespace archsim {

/// How often and how long a process pauses.
struct PauseModel {
  double every_s = 0;      ///< mean time between pause starts; 0 = never pauses
  double mean_s = 0;       ///< mean pause
  double p99_s = 0;        ///< 99th percentile pause (> mean)
  bool enabled() const { return every_s > 0 && mean_s > 0; }
};

class PauseSchedule {
 public:
  PauseSchedule(const PauseModel& model, Rng rng);

  /// When work that starts no earlier than `start_s` and needs `work_s`
  /// seconds of running time is done, pauses included.
  double finish(double start_s, double work_s);
  /// Total length of the pauses that began before `t_s` (valid for t_s no
  /// earlier than the latest job's start minus a few seconds).
  double paused_before(double t_s) const;

 private:
  struct Pause {
    double start_s;
    double end_s;
  };
  void draw_until(double t_s);
  PauseModel model_;
  Rng rng_;
  double ln_mu_ = 0, ln_sigma_ = 0;
  double next_start_s_ = 0;
  std::deque<Pause> pauses_;  // drawn, not yet behind every served job
  double total_s_ = 0;
};

}  // namespace archsim
