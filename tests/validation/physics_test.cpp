// Physics of the Kappa model: properties that must hold whatever the
// numbers, so a model change that breaks them fails here.
//  - acks=all is never acknowledged faster than acks=1 on the same hardware;
//  - more partitions never bring a loaded pipeline's latency below the
//    single-event floor (the sum of the fixed costs every event pays).
#include <gtest/gtest.h>

#include <cstdio>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace {

archsim::Scenario base() {
  return archsim::load_scenario_file(std::string(ARCHSIM_SOURCE_DIR) + "/tests/validation/fixtures/physics-base.json");
}

archsim::CandidateResult run(const archsim::Scenario& sc) {
  archsim::Result r = archsim::simulate(sc, archsim::SimOptions{});
  return r.candidates.at(0);
}

TEST(Physics, AcksAllIsNeverFasterThanAcksOne) {
  archsim::Scenario all = base();
  archsim::Scenario one = base();
  one.candidates[0].producer.acks = archsim::Acks::leader;
  const auto r_all = run(all);
  const auto r_one = run(one);
  std::printf("PHYSICS acks: produce ack p50 all %.3f ms vs 1 %.3f ms; p99 all %.3f ms vs 1 %.3f ms\n",
              r_all.produce_ack.p50_s.value * 1e3, r_one.produce_ack.p50_s.value * 1e3,
              r_all.produce_ack.p99_s.value * 1e3, r_one.produce_ack.p99_s.value * 1e3);
  ASSERT_GT(r_all.produce_ack.count, 100000u);
  EXPECT_GE(r_all.produce_ack.p50_s.value, r_one.produce_ack.p50_s.value);
  EXPECT_GE(r_all.produce_ack.p99_s.value, r_one.produce_ack.p99_s.value);
  // acks=all waits for the followers: at least one more round trip (2 x 150 us) at the median
  EXPECT_GE(r_all.produce_ack.p50_s.value - r_one.produce_ack.p50_s.value, 2 * 150e-6 * 0.99);
}

TEST(Physics, MorePartitionsNeverBeatTheSingleEventFloor) {
  const archsim::Scenario sc0 = base();
  const auto& c = sc0.candidates[0];
  const double L = sc0.hardware.network_latency_s;
  // every event: producer -> leader (L), request CPU, replication fetch and
  // confirmation (2L), fetch response (L), its own CPU, sink round trip (2L)
  // and write
  const double floor_s = L + c.broker.cpu_per_request_s + 2 * L + L + c.processing.cpu_per_event_s + 2 * L + c.sink.write_latency_s;
  for (int partitions : {1, 3, 6, 24, 96}) {
    archsim::Scenario sc = base();
    sc.candidates[0].broker.partitions = partitions;
    const auto r = run(sc);
    ASSERT_FALSE(r.end_to_end.cdf.empty());
    const double fastest = r.end_to_end.cdf.front().first;
    std::printf("PHYSICS partitions=%d fastest %.3f ms p50 %.3f ms floor %.3f ms%s\n", partitions, fastest * 1e3,
                r.end_to_end.p50_s.value * 1e3, floor_s * 1e3, r.overloaded ? " (overloaded)" : "");
    EXPECT_GE(fastest, floor_s * 0.99) << partitions << " partitions";  // 1% histogram resolution
    EXPECT_GE(r.end_to_end.p50_s.value, floor_s) << partitions << " partitions";
  }
}

}  // namespace

namespace {

// JVM pauses in the processing tasks stop the operator: they must show in
// the tail (p99.9) and barely at the median.
TEST(Physics, GcPausesShowInTheTailNotTheMedian) {
  archsim::Scenario calm = base();
  archsim::Scenario gc = base();
  gc.candidates[0].processing.gc = archsim::PauseModel{2.0, 0.03, 0.2};
  const auto a = run(calm);
  const auto b = run(gc);
  std::printf("PHYSICS gc: p50 %.3f -> %.3f ms, p99.9 %.3f -> %.3f ms\n", a.end_to_end.p50_s.value * 1e3,
              b.end_to_end.p50_s.value * 1e3, a.end_to_end.p999_s.value * 1e3, b.end_to_end.p999_s.value * 1e3);
  // pauses take 30 ms every 2 s (1.5% of the time): the median moves by well under a pause
  EXPECT_LT(b.end_to_end.p50_s.value - a.end_to_end.p50_s.value, 0.010);
  // the 0.1% slowest events sit behind a pause: tens of milliseconds more
  EXPECT_GT(b.end_to_end.p999_s.value - a.end_to_end.p999_s.value, 0.020);
}

}  // namespace
