// Physics of the technology profiles (Kinesis-like and Pub/Sub-like broker
// kinds, serverless processing, Flink checkpoint alignment): properties
// that must hold whatever the numbers, so a model change that breaks them
// fails here.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace {

/// The fixture with only the candidate named `name`.
archsim::Scenario base(const std::string& name) {
  archsim::Scenario sc = archsim::load_scenario_file(std::string(ARCHSIM_SOURCE_DIR) + "/tests/validation/fixtures/profiles-base.json");
  for (const auto& c : sc.candidates)
    if (c.name == name) {
      const archsim::Candidate kept = c;
      sc.candidates = {kept};
      return sc;
    }
  throw std::runtime_error("no candidate " + name);
}

archsim::CandidateResult simulate_profile(const archsim::Scenario& sc) { return archsim::simulate(sc, archsim::SimOptions{}).candidates.at(0); }

double p50(const archsim::CandidateResult& r) { return r.end_to_end.p50_s.value; }
double p99(const archsim::CandidateResult& r) { return r.end_to_end.p99_s.value; }

// 10 MB/s and 10,000 records/s need 10 shards at 1 MB/s or 1,000 records/s
// each: 8 shards are overloaded and throttle most requests; more shards at
// the same load never throttle a larger fraction.
TEST(ProfilePhysics, MoreShardsNeverRaiseTheThrottledFraction) {
  double previous = 1.0 + 1e-9;
  for (int shards : {8, 11, 16, 32, 64}) {
    archsim::Scenario sc = base("kinesis");
    sc.candidates[0].broker.partitions = shards;
    const auto r = simulate_profile(sc);
    ASSERT_TRUE(r.profile.present);
    std::printf("PROFILES kinesis shards=%d throttled %.4f p99 %.3f s%s\n", shards, r.profile.throttled_fraction, p99(r),
                r.overloaded ? " (overloaded)" : "");
    // 1% slack: different shard counts draw different request sizes
    EXPECT_LE(r.profile.throttled_fraction, previous + 0.01) << shards << " shards";
    previous = r.profile.throttled_fraction;
    if (shards == 8) {
      EXPECT_TRUE(r.overloaded) << "8 shards carry 125% of their write limit";
      EXPECT_GT(r.profile.throttled_fraction, 0.5);
    }
    if (shards >= 32) {
      EXPECT_FALSE(r.overloaded) << shards << " shards";
    }
  }
}

// Push at about 70 ms is never slower than polling, whatever the interval.
TEST(ProfilePhysics, EnhancedFanOutIsNeverSlowerThanPolling) {
  archsim::Scenario push = base("kinesis");
  push.candidates[0].broker.kinesis.enhanced_fan_out = true;
  const auto r_push = simulate_profile(push);
  for (double interval : {0.2, 1.0}) {
    archsim::Scenario poll = base("kinesis");
    poll.candidates[0].broker.kinesis.polling_interval_s = interval;
    const auto r_poll = simulate_profile(poll);
    std::printf("PROFILES kinesis polling %.1f s: p50 %.3f p99 %.3f s; fan-out p50 %.3f p99 %.3f s\n", interval, p50(r_poll), p99(r_poll),
                p50(r_push), p99(r_push));
    EXPECT_LE(p50(r_push), p50(r_poll));
    EXPECT_LE(p99(r_push), p99(r_poll));
  }
  // polling every second: events wait half an interval on average, so the median is above 0.4 s
  archsim::Scenario slow = base("kinesis");
  EXPECT_GT(p50(simulate_profile(slow)), 0.4);
  // fan-out: put latency 20 ms + propagation 70 ms is a floor
  EXPECT_GT(p50(r_push), 0.09);
}

// Pub/Sub-like: every event pays the service's publish -> deliver latency.
TEST(ProfilePhysics, PubSubLatencyFollowsTheCatalogDistribution) {
  archsim::Scenario sc = base("kinesis");
  auto& b = sc.candidates[0].broker;
  b.kind = "pubsub";
  b.partitions = sc.candidates[0].processing.parallelism;
  const auto r = simulate_profile(sc);
  const auto& ps = sc.hardware.catalog.pubsub;
  std::printf("PROFILES pubsub p50 %.3f p99 %.3f s (service median %.3f p99 %.3f s)\n", p50(r), p99(r), ps.latency_median_s.value,
              ps.latency_p99_s.value);
  EXPECT_GE(p50(r), ps.latency_median_s.value);
  EXPECT_GE(p99(r), ps.latency_p99_s.value * 0.9);  // one draw per publish request, not per event
  EXPECT_FALSE(r.overloaded);
}

// Fewer function environments are never faster: 1 vs 10 vs 40.
TEST(ProfilePhysics, ConcurrencyOneIsNeverFasterThanTen) {
  double previous_p50 = 0, previous_p99 = 0;
  for (int concurrency : {40, 10, 1}) {
    archsim::Scenario sc = base("serverless");
    sc.candidates[0].processing.serverless.concurrency = concurrency;
    const auto r = simulate_profile(sc);
    std::printf("PROFILES serverless concurrency %d: p50 %.4f p99 %.4f s, %.1f busy on average%s\n", concurrency, p50(r), p99(r),
                r.profile.mean_concurrency, r.overloaded ? " (overloaded)" : "");
    EXPECT_GE(p50(r), previous_p50) << concurrency;
    EXPECT_GE(p99(r), previous_p99) << concurrency;
    previous_p50 = p50(r);
    previous_p99 = p99(r);
    // 10,000 events/s x 100 us is one core of work plus 5 ms per invocation: one environment cannot carry it
    if (concurrency == 1) {
      EXPECT_TRUE(r.overloaded);
    }
    if (concurrency == 40) {
      EXPECT_FALSE(r.overloaded);
    }
  }
}

// At steady load rare cold invocations (the catalog's 0.5%) raise the tail,
// not the median. (Frequent ones raise the median too: an event source
// poller waits for each batch, so a cold start holds back its partitions.)
TEST(ProfilePhysics, ColdStartsRaiseP99NotP50) {
  archsim::Scenario warm = base("serverless");
  archsim::Scenario cold = base("serverless");
  cold.candidates[0].processing.serverless.cold_start_probability.reset();  // the catalog's
  const auto a = simulate_profile(warm);
  const auto b = simulate_profile(cold);
  std::printf("PROFILES cold starts 0%% -> catalog %.3f: p50 %.4f -> %.4f s, p99 %.4f -> %.4f s, cold fraction %.4f -> %.4f\n",
              cold.hardware.catalog.serverless.cold_start_probability.value, p50(a), p50(b), p99(a), p99(b), a.profile.cold_start_fraction,
              b.profile.cold_start_fraction);
  // a warm pool: only the first use of each environment is cold
  EXPECT_LT(a.profile.cold_start_fraction, 0.001);
  EXPECT_NEAR(b.profile.cold_start_fraction, cold.hardware.catalog.serverless.cold_start_probability.value, 0.003);
  // the p99 event waits behind a cold start (250 ms median)
  EXPECT_GT(p99(b) - p99(a), 0.1);
  // the median event meets none: it moves by less than 5 ms
  EXPECT_LT(p50(b) - p50(a), 0.005);
  // billed duration includes the inits
  EXPECT_GT(b.profile.billed_gb_s_per_s / b.profile.invocations_per_s, a.profile.billed_gb_s_per_s / a.profile.invocations_per_s);
}

// Alignment stalls need several upstream tasks and a keyed shuffle.
TEST(ProfilePhysics, AlignmentStallIsZeroWithOneTaskOrWithoutShuffle) {
  archsim::Scenario one = base("flink-keyed");
  one.candidates[0].processing.parallelism = 1;
  one.candidates[0].processing.cpu_per_event_s = 20e-6;
  archsim::Scenario flat = base("flink-keyed");
  flat.candidates[0].processing.keyed_shuffle = false;
  const auto r_one = simulate_profile(one);
  const auto r_flat = simulate_profile(flat);
  std::printf("PROFILES alignment: parallelism 1 stall %.6f s over %llu checkpoints; no shuffle stall %.6f s\n",
              r_one.profile.alignment_stall_max_s, static_cast<unsigned long long>(r_one.profile.checkpoints), r_flat.profile.alignment_stall_max_s);
  EXPECT_GT(r_one.profile.checkpoints, 10u);  // every 500 ms over 10 s
  EXPECT_EQ(r_one.profile.alignment_stall_max_s, 0.0);
  EXPECT_EQ(r_flat.profile.alignment_stall_max_s, 0.0);
}

// With four tasks whose backlogs differ, barriers arrive apart: the stall
// is positive and the tail does not improve; skewed keys spread barriers more.
TEST(ProfilePhysics, AlignmentStallRaisesTheTail) {
  archsim::Scenario off = base("flink-keyed");
  off.candidates[0].processing.checkpoint_alignment = false;
  archsim::Scenario on = base("flink-keyed");
  archsim::Scenario skewed = base("flink-keyed");
  skewed.workload.key_skew = 1.1;
  skewed.workload.key_cardinality = 1000;
  const auto r_off = simulate_profile(off);
  const auto r_on = simulate_profile(on);
  const auto r_skew = simulate_profile(skewed);
  std::printf("PROFILES alignment off p99 %.4f s; on p99 %.4f s stall mean %.5f max %.5f s; skewed stall mean %.5f s p99 %.4f s\n", p99(r_off),
              p99(r_on), r_on.profile.alignment_stall_mean_s, r_on.profile.alignment_stall_max_s, r_skew.profile.alignment_stall_mean_s, p99(r_skew));
  EXPECT_GT(r_on.profile.alignment_stall_mean_s, 0.0);
  EXPECT_GE(p99(r_on), p99(r_off));
  EXPECT_GT(r_skew.profile.alignment_stall_mean_s, r_on.profile.alignment_stall_mean_s);
}

}  // namespace
