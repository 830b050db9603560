// LambdaTwin: the local twin (local_twin.hpp) of a Lambda candidate's real
// run: the speed layer as the Kappa twin, and the batch layer as the run's
// batch reader on this machine (one reader thread, the calibrated consume
// cost and loopback bandwidth, the run's interval), so the simulator predicts
// accuracy latency for the same set-up.
#pragma once

#include "archsim/local_twin.hpp"

namespace archsim {

/// The batch reader the twin mirrors (what run_lambda used).
struct LambdaTwinRun {
  double interval_s = 1;       ///< batch interval of the run
  int runs = 1;                ///< batch runs to simulate
  bool full_history = false;   ///< each run re-read the whole input topic
  double reader_fetch_wait_s = 0.010;  ///< the reader's fetch.wait.max.ms
};

/// Builds the twin of `candidate` (kind lambda).
LocalTwin make_lambda_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                           const LambdaTwinRun& batch, const Calibration& calibration,
                           const std::string& calibration_origin);

}  // namespace archsim
