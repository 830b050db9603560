// The physics-base fixture reduced to one producer on one candidate, for the
// validation tests that turn the network and the client's knobs.
#pragma once

#include <string>

#include "archsim/scenario_loader.hpp"

namespace validation {

/// physics-base with one producer at `rate_eps`, `latency_s` one-way hops,
/// `partitions` partitions, linger.ms 0 (a request per event when nothing
/// holds it back) and a `duration_s` window after a 1 s warm-up.
inline archsim::Scenario one_producer(double rate_eps, double latency_s, int partitions, double duration_s) {
  archsim::Scenario sc =
      archsim::load_scenario_file(std::string(ARCHSIM_SOURCE_DIR) + "/tests/validation/fixtures/physics-base.json");
  sc.workload.rate_eps = rate_eps;
  sc.workload.sources = 1;
  sc.hardware.network_latency_s = latency_s;
  sc.simulation.duration_s = duration_s;
  sc.simulation.warmup_s = 1;
  auto& c = sc.candidates.at(0);
  c.broker.partitions = partitions;
  c.producer.linger_s = 0;
  return sc;
}

}  // namespace validation
