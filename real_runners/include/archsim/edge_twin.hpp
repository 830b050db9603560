// EdgeTwin: the local twin (local_twin.hpp) of an edge candidate's real run:
// the core pipeline as the Kappa twin at the forwarded rate (with the
// injected WAN round trip on every core response, as the mock applies it),
// and one site whose gateway is the run's gateway thread, so the simulator
// predicts local-decision and core latency for the same set-up.
#pragma once

#include "archsim/local_twin.hpp"

namespace archsim {

/// The edge run the twin mirrors (what run_edge used).
struct EdgeTwinRun {
  double gateway_cpu_per_event_s = 0;  ///< spun per local decision
  double core_cpu_per_event_s = 0;     ///< spun per event by the core processor
};

/// Builds the twin of `candidate` (kind edge); `run` is the site's run
/// (rate, window, fetch wait, injected WAN round trip).
LocalTwin make_edge_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                         const EdgeTwinRun& edge, const Calibration& calibration,
                         const std::string& calibration_origin);

}  // namespace archsim
