// FunctionPool: the execution environments of a serverless function under a
// concurrency limit. Invocations are served first come first served by at
// most `concurrency` environments; when all are busy the invocation queues.
// An environment is cold (pays an init time drawn from a lognormal) the
// first time it runs, after it sat idle longer than the idle timeout, or
// with a fixed probability per invocation (environments recycled by the
// platform at steady traffic). A free warm environment is preferred to a
// cold one: the most recently used free environment takes the invocation,
// as the platform keeps reusing warm environments and lets others idle out.
#pragma once

#include <cstdint>
#include <vector>

#include "archsim/rng.hpp"

namespace archsim {

struct FunctionPoolConfig {
  int concurrency = 100;            ///< environments that may run at once
  double idle_timeout_s = 600;      ///< an environment idle this long is reclaimed (next use is cold)
  double cold_probability = 0;      ///< probability that a warm environment still starts cold
  double cold_median_s = 0.25;      ///< cold start (init) duration: lognormal median, seconds
  double cold_p99_s = 1.0;          ///< and its p99, seconds (above the median)
};

class FunctionPool {
 public:
  FunctionPool(const FunctionPoolConfig& config, Rng rng);

  struct Invocation {
    double start_s = 0;   ///< an environment takes it (after queueing)
    double end_s = 0;     ///< it returns (init included when cold)
    bool cold = false;
  };

  /// One invocation arriving at `arrival_s` that needs `work_s` seconds once
  /// warm. Arrivals earlier than the previous one are served as if they
  /// arrived with it (first come first served). `measured`: count it in the
  /// statistics below.
  Invocation invoke(double arrival_s, double work_s, bool measured);

  int concurrency() const { return static_cast<int>(free_at_.size()); }
  uint64_t invocations() const { return invocations_; }        ///< measured invocations
  uint64_t cold_starts() const { return cold_starts_; }         ///< measured cold invocations
  double busy_s() const { return busy_s_; }                     ///< environment-seconds of measured invocations (billed duration)
  double wait_s() const { return wait_s_; }                     ///< total queueing of measured invocations

 private:
  FunctionPoolConfig config_;
  Rng rng_;
  double mu_ = 0;        // lognormal of the cold start
  double sigma_ = 0;
  std::vector<double> free_at_;   // per environment; -infinity: never started
  double last_arrival_s_ = 0;
  uint64_t invocations_ = 0;
  uint64_t cold_starts_ = 0;
  double busy_s_ = 0;
  double wait_s_ = 0;
};

}  // namespace archsim
