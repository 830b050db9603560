// Calibration file round trip and validation (JSON paths), and the local
// twin's mapping rules: accumulator waits, one broker for the mock's single
// I/O thread, held fetches, injected RTT.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "archsim/calibration.hpp"
#include "archsim/edge_twin.hpp"
#include "archsim/local_twin.hpp"
#include "archsim/scenario_loader.hpp"

namespace archsim {
namespace {

Calibration sample() {
  Calibration c;
  c.created_utc = "2026-11-26T07:00:00Z";
  c.host = "test";
  c.cores = 2;
  c.broker = "embedded mock cluster (librdkafka 2.0.2)";
  c.librdkafka = "2.0.2";
  c.loopback_rtt_s = 20e-6;
  c.loopback_bytes_per_s = 3e9;
  c.produce_rtt_s = 200e-6;
  c.request_cost_s = 20e-6;
  c.byte_cost_s = 0.5e-9;
  c.producer_message_cost_s = 1e-6;
  c.consumer_message_cost_s = 0.5e-6;
  c.broker_io_threads = 1;
  c.empty_fetch_held = true;
  c.held_fetch_probe_wait_s = 0.01;
  c.held_fetch_mean_s = 0.006;
  c.held_fetch_probe_wait2_s = 0.05;
  c.held_fetch_mean2_s = 0.03;
  return c;
}

TEST(RealRunnersCalibration, RoundTrips) {
  const Calibration c = sample();
  const Calibration back = calibration_from_json(calibration_to_json(c), "cal.json");
  EXPECT_EQ(back.host, "test");
  EXPECT_DOUBLE_EQ(back.request_cost_s, c.request_cost_s);
  EXPECT_DOUBLE_EQ(back.byte_cost_s, c.byte_cost_s);
  EXPECT_TRUE(back.empty_fetch_held);
  EXPECT_EQ(back.broker_io_threads, 1);
}

TEST(RealRunnersCalibration, NamesEveryBadPath) {
  std::string text = calibration_to_json(sample());
  text.replace(text.find("\"request_cost_s\": 2e-05"), 23, "\"request_cost_s\": -1");
  text.replace(text.find("\"archsim_calibration_version\": 1"), 32, "\"archsim_calibration_version\": 9");
  try {
    calibration_from_json(text, "cal.json");
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.issues().size(), 2u);
    EXPECT_EQ(e.file(), "cal.json");
    EXPECT_EQ(e.issues()[0].path, "/archsim_calibration_version");
    EXPECT_EQ(e.issues()[1].path, "/request_cost_s");
    EXPECT_EQ(e.issues()[1].found, "-1");
  }
  EXPECT_THROW(calibration_from_json("{", "cal.json"), ScenarioError);
  EXPECT_THROW(calibration_from_json("[]", "cal.json"), ScenarioError);
}

// Found by fuzz_calibration (issue 8): a number beyond a double's range made
// nlohmann throw out_of_range, which escaped the reader (exit 1, not 2); an
// integer beyond INT_MAX wrapped when stored (4294967297 cores read as 1).
TEST(RealRunnersCalibration, OutOfRangeNumbersAreIssues) {
  std::string text = calibration_to_json(sample());
  std::string overflow = text;
  overflow.replace(overflow.find("\"request_cost_s\": 2e-05"), 23, "\"request_cost_s\": 1e400");
  try {
    calibration_from_json(overflow, "cal.json");
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.issues().size(), 1u);
    EXPECT_NE(e.issues()[0].found.find("number overflow parsing '1e400'"), std::string::npos) << e.issues()[0].found;
  }
  for (const char* cores : {"4294967297", "2147483648", "-4294967295", "0"}) {
    std::string wide = text;
    wide.replace(wide.find("\"cores\": 2"), 10, std::string("\"cores\": ") + cores);
    try {
      const Calibration c = calibration_from_json(wide, "cal.json");
      FAIL() << "cores " << cores << " accepted as " << c.cores;
    } catch (const ScenarioError& e) {
      ASSERT_EQ(e.issues().size(), 1u) << cores;
      EXPECT_EQ(e.issues()[0].path, "/cores");
      EXPECT_EQ(e.issues()[0].expected, "an integer from 1 to 2147483647");
      EXPECT_EQ(e.issues()[0].found, cores);
    }
  }
  text.replace(text.find("\"cores\": 2"), 10, "\"cores\": 2147483647");
  EXPECT_EQ(calibration_from_json(text, "cal.json").cores, 2147483647);
}

TEST(RealRunnersCalibration, FetchCycleThroughTheProbes) {
  const Calibration c = sample();
  EXPECT_NEAR(c.fetch_cycle_s(0.01), 0.012, 1e-12);
  EXPECT_NEAR(c.fetch_cycle_s(0.05), 0.06, 1e-12);
  EXPECT_NEAR(c.fetch_cycle_s(0.03), 0.036, 1e-12);
  EXPECT_GE(c.fetch_cycle_s(0.001), 0.001);
}

TEST(RealRunnersLocalTwin, AccumulatorWait) {
  // One event per batch waits the full linger; many continuous ones about half.
  EXPECT_DOUBLE_EQ(accumulator_mean_wait_s(5e-3, 0, 0), 5e-3);
  EXPECT_NEAR(accumulator_mean_wait_s(5e-3, 1e6, 0), 2.5e-3, 1e-5);
  // Bursts every 10 ms with a 5 ms linger: each burst opens its own batch.
  EXPECT_DOUBLE_EQ(accumulator_mean_wait_s(5e-3, 1000, 10e-3), 5e-3);
  // Bursts every 2 ms with a 5 ms linger: waits 5, 3 and 1 ms.
  EXPECT_NEAR(accumulator_mean_wait_s(5e-3, 1000, 2e-3), 3e-3, 1e-12);
  EXPECT_DOUBLE_EQ(accumulator_mean_wait_s(0, 1000, 0), 0);
  // The bursts' waits, in order: the mean above is theirs.
  const std::vector<double> waits = accumulator_burst_waits_s(5e-3, 2e-3);
  ASSERT_EQ(waits.size(), 3u);
  EXPECT_NEAR(waits[0], 5e-3, 1e-15);
  EXPECT_NEAR(waits[1], 3e-3, 1e-15);
  EXPECT_NEAR(waits[2], 1e-3, 1e-15);
  EXPECT_EQ(accumulator_burst_waits_s(5e-3, 10e-3), std::vector<double>{5e-3});
  EXPECT_EQ(accumulator_burst_waits_s(5e-3, 0), std::vector<double>{5e-3});  // no bursts: the linger
  EXPECT_EQ(accumulator_burst_waits_s(0, 2e-3), std::vector<double>{0.0});
}

TEST(RealRunnersLocalTwin, HeldFetchPeriod) {
  // No batches: every fetch after a take is held for a full cycle.
  EXPECT_DOUBLE_EQ(held_fetch_period_s(0, 1e-3, 12e-3), 13e-3);
  // Batches far more often than the round trip: the fetch always finds data.
  EXPECT_NEAR(held_fetch_period_s(1e6, 20e-3, 31e-3), 20e-3, 1e-12);
  // One batch per round trip on average: empty with probability 1/e.
  EXPECT_NEAR(held_fetch_period_s(50, 20e-3, 31e-3), 20e-3 + std::exp(-1.0) * 31e-3, 1e-12);
  // More batches, a shorter period.
  EXPECT_LT(held_fetch_period_s(100, 20e-3, 31e-3), held_fetch_period_s(50, 20e-3, 31e-3));
}

TEST(RealRunnersLocalTwin, MapsTheRunAndTheCalibration) {
  const Scenario sc = load_scenario_file(ARCHSIM_SOURCE_DIR "/scenarios/kappa-reference.json");
  const Candidate& cand = sc.candidates.at(0);
  TwinRun run;
  run.rate_eps = 10000;
  run.duration_s = 3;
  run.warmup_s = 1;
  run.fetch_wait_max_s = 10e-3;
  run.processors = 2;
  run.cpu_per_event_s = 10e-6;
  run.injected_rtt_s = 4e-3;
  const LocalTwin twin = make_local_twin(sc, cand, run, sample(), "cal.json");
  ASSERT_EQ(twin.scenario.candidates.size(), 1u);
  const Candidate& t = twin.scenario.candidates[0];
  EXPECT_EQ(t.name, cand.name);
  EXPECT_EQ(t.broker.count, cand.broker.count);  // a producer connection per mock broker
  EXPECT_TRUE(t.broker.shared_request_handler);  // one I/O thread for the whole mock cluster
  EXPECT_EQ(t.producer.client, archsim::ProducerClient::librdkafka);
  EXPECT_TRUE(t.producer.idempotent);
  EXPECT_EQ(t.producer.max_in_flight, std::clamp(cand.producer.max_in_flight, 1, 5));
  EXPECT_EQ(t.broker.io_threads, 1);
  EXPECT_EQ(t.broker.replication_factor, 1);
  EXPECT_DOUBLE_EQ(t.broker.cpu_per_request_s, 40e-6);  // input and output produce requests on one thread
  EXPECT_EQ(t.processing.parallelism, 2);
  EXPECT_NEAR(t.processing.cpu_per_event_s, 11.5e-6, 1e-12);
  // The mock's fetch: an empty one is held for the full wait and answered
  // empty; one that finds data is answered at once, one batch per partition.
  EXPECT_TRUE(t.consumer.hold_empty_fetch);
  EXPECT_TRUE(t.consumer.one_batch_per_partition);
  EXPECT_DOUBLE_EQ(t.consumer.fetch_min_bytes, 1);
  // the held cycle at 10 ms, twice the probe's 6 ms mean, less the plain
  // round trip the simulator adds (2 x 90 us)
  EXPECT_NEAR(t.consumer.fetch_wait_max_s, 12e-3 - 180e-6, 1e-12);
  // The sink's fetch cycle (held_fetch_period_s): round trip 2 x (90 us +
  // 2 ms) = 4.18 ms, held cycle 12 + 4 = 16 ms. Processors: 2 partitions per
  // broker connection, a batch each every max(5 ms + 1/833 s, 4.2 ms) =
  // 6.2 ms: bursts every 4.18 + 16 exp(-4.18 x 2 / 6.2) = 8.335 ms. The sink:
  // a group of batches per processor burst (linger 5 ms < 8.335 ms), 2
  // processors: 4.18 + 16 exp(-4.18 x 2 / 8.335) = 10.05 ms.
  ASSERT_TRUE(t.processing.window_s.has_value());
  EXPECT_NEAR(*t.processing.window_s, 10.05e-3, 1e-5);
  // one burst per batch: every write waits the full linger
  EXPECT_EQ(t.sink.write_latency_cycle_s.size(), 1u);
  EXPECT_DOUBLE_EQ(twin.scenario.workload.rate_eps, 10000);
  EXPECT_EQ(twin.scenario.workload.sources, 1);
  // (200 us - 20 us) / 2 + half of the injected 4 ms
  EXPECT_NEAR(twin.scenario.hardware.network_latency_s, 90e-6 + 2e-3, 1e-12);
  EXPECT_FALSE(twin.notes.empty());
  EXPECT_NE(twin.notes[0].find("cal.json"), std::string::npos);
}

TEST(RealRunnersEdgeTwin, TheEdgeHopKeepsItsMeanAndGetsItsSpread) {
  const Scenario sc = load_scenario_file(ARCHSIM_SOURCE_DIR "/scenarios/iot-edge-vs-kappa.json");
  const Candidate& cand = sc.candidates.at(0);
  ASSERT_EQ(cand.kind, "edge");
  TwinRun run;
  run.rate_eps = 1000;
  run.duration_s = 3;
  run.warmup_s = 1;
  run.fetch_wait_max_s = 10e-3;
  run.injected_rtt_s = 40e-3;
  const LocalTwin twin = make_edge_twin(sc, cand, run, EdgeTwinRun{5e-6, 5e-6}, sample(), "cal.json");
  const EdgeConfig& e = twin.scenario.candidates.at(0).edge;
  // Draws: uniform over the 10 ms linger and over the 12 ms held fetch cycle.
  ASSERT_EQ(e.device_latency_uniform_s.size(), 2u);
  EXPECT_DOUBLE_EQ(e.device_latency_uniform_s[0], 10e-3);
  EXPECT_NEAR(e.device_latency_uniform_s[1], 12e-3, 1e-12);
  // The mean is the accumulator's mean wait + a produce round trip + half a cycle.
  const double mean = e.device_latency_s + e.device_latency_uniform_s[0] / 2 + e.device_latency_uniform_s[1] / 2;
  EXPECT_NEAR(mean, accumulator_mean_wait_s(10e-3, 1000, 0) + 200e-6 + 6e-3, 1e-12);
  EXPECT_NEAR(e.wan_latency_s, mean + e.gateway_cpu_per_event_s, 1e-12);
}

}  // namespace
}  // namespace archsim
