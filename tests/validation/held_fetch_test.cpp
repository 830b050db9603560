// The embedded broker's fetch (librdkafka's mock cluster), as the local twin
// simulates it: a fetch that finds no data is held for the full
// fetch.wait.max.ms and answered empty (hold_empty_fetch), and a fetch takes
// at most one batch per partition (one_batch_per_partition). What must hold
// whatever the numbers:
//  - a Kafka broker answers a waiting fetch when data arrives; a held fetch
//    keeps what arrived until its wait ends, so a sparse stream waits about
//    half the wait (and never less than a Kafka broker would make it);
//  - one batch per partition per fetch: a partition gives at most a batch
//    per fetch round trip, so small batches on a slow network pile up;
//  - batched and exact modes agree on both.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "archsim/simulator.hpp"
#include "one_producer.hpp"

namespace held_fetch_test {

constexpr double kWait = 50e-3;     // fetch.wait.max.ms
constexpr double kLatency = 1e-3;   // one way

// One producer, one partition, linger.ms 0 (a batch per event), 1 ms hops:
// `rate_eps` events/s against a 50 ms fetch wait, one processing task.
archsim::Scenario sparse(double rate_eps) {
  archsim::Scenario sc = validation::one_producer(rate_eps, kLatency, 1, 6);
  auto& c = sc.candidates.at(0);
  c.processing.parallelism = 1;
  c.consumer.fetch_wait_max_s = kWait;
  return sc;
}

archsim::CandidateResult simulate_one(const archsim::Scenario& sc, archsim::SimMode mode) {
  archsim::SimOptions options;
  options.mode = mode;
  return archsim::simulate(sc, options).candidates.at(0);
}

const archsim::LatencySummary& fetch_stage(const archsim::CandidateResult& r) {
  for (const auto& s : r.stages)
    if (s.stage == "fetch") return s.latency;
  ADD_FAILURE() << "no fetch stage";
  return r.end_to_end;
}

void print(const char* what, const archsim::CandidateResult& r) {
  const auto& f = fetch_stage(r);
  std::printf("HELD-FETCH %s: fetch p50 %.3f ms p99 %.3f ms, end to end p50 %.3f ms, %llu events\n", what,
              f.p50_s.value * 1e3, f.p99_s.value * 1e3, r.end_to_end.p50_s.value * 1e3,
              static_cast<unsigned long long>(r.end_to_end.count));
  std::fflush(stdout);
}

// Simulates `a` and `b` in batched then exact mode, prints both and hands
// the mode and the two results to `check`.
template <class Check>
void in_both_modes(const archsim::Scenario& a, const char* a_name, const archsim::Scenario& b, const char* b_name,
                   Check check) {
  for (const auto mode : {archsim::SimMode::batched, archsim::SimMode::exact}) {
    const char* mode_name = mode == archsim::SimMode::batched ? "batched" : "exact";
    const auto ra = simulate_one(a, mode);
    const auto rb = simulate_one(b, mode);
    print((std::string(a_name) + " " + mode_name).c_str(), ra);
    print((std::string(b_name) + " " + mode_name).c_str(), rb);
    check(mode, ra, rb);
  }
}

TEST(HeldFetch, AnEmptyFetchKeepsWhatArrivesUntilItsWaitEnds) {
  const archsim::Scenario kafka = sparse(20);  // an event every 50 ms on average: most fetches wait for one
  archsim::Scenario held = kafka;
  held.candidates[0].consumer.hold_empty_fetch = true;
  in_both_modes(kafka, "kafka", held, "held", [](archsim::SimMode, const auto& k, const auto& h) {
    ASSERT_GT(k.end_to_end.count, 50u);
    EXPECT_EQ(k.end_to_end.count, h.end_to_end.count) << "every event is delivered either way";
    // Kafka: the waiting fetch is answered as the batch arrives (one hop back).
    EXPECT_LT(fetch_stage(k).p50_s.value, 3 * kLatency);
    // Held: an event waits for the rest of the hold (uniform over it), then
    // the next fetch's round trip.
    EXPECT_GT(fetch_stage(h).p50_s.value, 0.3 * kWait);
    EXPECT_LT(fetch_stage(h).p50_s.value, 0.7 * kWait + 4 * kLatency);
    EXPECT_GT(fetch_stage(h).p99_s.value, 0.9 * kWait);
  });
}

TEST(HeldFetch, OneBatchPerPartitionCapsAPartitionAtABatchPerRoundTrip) {
  // linger.ms 0 (a batch per event), 100 events/s, 10 ms hops: a fetch round
  // trip of 20 ms finds about 2 batches; taking one per fetch consumes at
  // most 50 batches/s, so the backlog grows through the run.
  archsim::Scenario held = sparse(100);
  held.hardware.network_latency_s = 10e-3;
  held.candidates[0].consumer.hold_empty_fetch = true;
  archsim::Scenario one = held;
  one.candidates[0].consumer.one_batch_per_partition = true;
  double p50_batched = 0;
  in_both_modes(held, "all batches", one, "one batch", [&](archsim::SimMode mode, const auto& h, const auto& o) {
    ASSERT_GT(h.end_to_end.count, 300u);
    // All batches: each fetch takes what the round trip gathered.
    EXPECT_LT(fetch_stage(h).p99_s.value, kWait + 4 * 10e-3);
    // One per fetch: a second's backlog after a few seconds.
    EXPECT_GT(fetch_stage(o).p50_s.value, 10 * fetch_stage(h).p50_s.value);
    EXPECT_GT(fetch_stage(o).p99_s.value, 1.0);
    if (mode == archsim::SimMode::batched) {
      p50_batched = fetch_stage(o).p50_s.value;
    } else {
      EXPECT_NEAR(fetch_stage(o).p50_s.value, p50_batched, 0.1 * p50_batched) << "batched and exact agree";
    }
  });
}

}  // namespace held_fetch_test
