// KappaModel: the Kappa pipeline (sources -> Kafka -> stream processor ->
// sink) on a SimGrid platform built from the candidate. Batch granular:
// every producer request, replica fetch and consumer fetch response is
// modelled (computed analytically by one actor in batched mode, moved by
// SimGrid one event at a time in exact mode); each batch carries its
// events' creation times, so every event's latency is measured exactly at
// the sink.
#pragma once

#include <cstdint>
#include <memory>

#include "archsim/run_metrics.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

class KappaModel {
 public:
  /// Builds the platform and actors in the current SimGrid engine (which
  /// must exist and not have run yet). `scenario` and `candidate` must
  /// outlive the model.
  KappaModel(const Scenario& scenario, const Candidate& candidate, uint64_t seed, SimMode mode);
  ~KappaModel();
  KappaModel(const KappaModel&) = delete;
  KappaModel& operator=(const KappaModel&) = delete;

  /// Runs the engine to the end of the run (window + drain) and returns the metrics.
  RunMetrics run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace archsim
