// An edge site's device latency with a spread (device_latency_uniform_s, set
// by the local twin for the edge hop's accumulator and held-fetch waits):
// each event adds a draw from U(0, w) per width. What must hold:
//  - the local decision's median moves by about half the widths' sum, its
//    tail by nearly their whole sum;
//  - the same seed gives the same numbers.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace edge_device_spread_test {

// One site of the IoT edge example at 1,000 events/s, 3 s.
archsim::Scenario one_site() {
  archsim::Scenario sc = archsim::load_scenario_file(std::string(ARCHSIM_SOURCE_DIR) + "/scenarios/iot-edge-vs-kappa.json");
  sc.candidates.resize(1);
  auto& e = sc.candidates[0].edge;
  e.sites = 1;
  e.gateway_cpu_per_event_s = 10e-6;  // the gateway keeps up: the device hop is what varies
  sc.workload.rate_eps = 1000;
  sc.workload.sources = 1000;
  sc.simulation.duration_s = 3;
  sc.simulation.warmup_s = 1;
  return sc;
}

archsim::CandidateResult simulate_one(const archsim::Scenario& sc) {
  return archsim::simulate(sc, archsim::SimOptions{}).candidates.at(0);
}

TEST(EdgeDeviceSpread, UniformDrawsAddTheirMeanAndTheirRange) {
  const archsim::Scenario fixed = one_site();
  archsim::Scenario spread = fixed;
  spread.candidates[0].edge.device_latency_uniform_s = {10e-3, 12e-3};
  const auto f = simulate_one(fixed);
  const auto s = simulate_one(spread);
  std::printf("EDGE-SPREAD local decision p50 %.3f -> %.3f ms, p99 %.3f -> %.3f ms\n", f.local_decision.p50_s.value * 1e3,
              s.local_decision.p50_s.value * 1e3, f.local_decision.p99_s.value * 1e3, s.local_decision.p99_s.value * 1e3);
  std::fflush(stdout);
  ASSERT_GT(f.local_decision.count, 1000u);
  EXPECT_EQ(f.local_decision.count, s.local_decision.count);
  // U(0,10 ms) + U(0,12 ms): median 11 ms, 99th percentile about 20.4 ms.
  EXPECT_NEAR(s.local_decision.p50_s.value - f.local_decision.p50_s.value, 11e-3, 1.5e-3);
  EXPECT_NEAR(s.local_decision.p99_s.value - f.local_decision.p99_s.value, 20.4e-3, 2e-3);
  // Deterministic: the same seed, the same draws.
  EXPECT_EQ(simulate_one(spread).local_decision.p99_s.value, s.local_decision.p99_s.value);
}

}  // namespace edge_device_spread_test
