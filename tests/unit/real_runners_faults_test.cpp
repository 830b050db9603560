// Runner faults in process: the embedded cluster's request-error queue, a
// run with every broker down for longer than the message timeout (a failure
// with complete counts, bounded time, no thread left behind), and the
// Result JSON of the fault timeline (round trip; absent in older Results).
#include <gtest/gtest.h>

#include <thread>

#include <chrono>
#include <filesystem>
#include <string>

#include "archsim/embedded_cluster.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/result_json.hpp"
#include "archsim/scenario_loader.hpp"
#include "command_outcome.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;


/// Threads of this process now (/proc/self/task entries).
size_t thread_count() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST(RealRunnersFaults, RequestErrorQueueCountsWhatWasPushed) {
  EmbeddedCluster cluster(2);
  EXPECT_EQ(cluster.queued_request_errors(1, 0), 0u);
  cluster.push_request_errors(1, 0, {0, 0, 6, 0});
  EXPECT_EQ(cluster.queued_request_errors(1, 0), 4u);
  EXPECT_EQ(cluster.queued_request_errors(2, 0), 0u);  // per broker
  EXPECT_EQ(cluster.queued_request_errors(1, 1), 0u);  // per request kind
  EXPECT_THROW(cluster.push_request_errors(3, 0, {6}), std::invalid_argument);
}

TEST(RealRunnersFaults, AllBrokersDownPastTheMessageTimeoutFailsWithCountsAndNoStrayThreads) {
  const Scenario s = load_scenario_file(test_support::kReferenceScenario);
  const Candidate& candidate = s.candidates.at(0);
  KappaRunOptions opt;
  opt.rate = choose_rate(s, 1000.0, std::nullopt);
  opt.duration_s = 2;
  opt.warmup_s = 0.5;
  opt.topic_prefix = "unit-faults";
  opt.message_timeout = std::chrono::milliseconds(1500);
  opt.faults.push_back({1.0, 600, kAllBrokers});
  std::thread([] {}).join();  // a sanitizer's runtime starts its own thread at the first one: count after it
  const size_t threads_before = thread_count();
  const auto start = std::chrono::steady_clock::now();
  const KappaRunOutcome o = run_kappa(s, candidate, opt);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(thread_count(), threads_before) << "threads left behind by the run";
  EXPECT_LT(wall_s, 60) << "the run should end within its drain timeout, not wait for the brokers";

  const DeliveryCounts& d = o.delivery;
  EXPECT_EQ(d.sent, d.acked + d.produce_errors + d.unknown);
  EXPECT_GT(d.acked, 0u) << "events before the outage are acknowledged";
  EXPECT_GT(d.produce_errors + d.unknown, 0u) << "events during the outage are not";
  EXPECT_GE(d.lost, d.produce_errors + d.unknown);
  EXPECT_NE(o.failure.find("acknowledged"), std::string::npos) << o.failure;
  EXPECT_NE(o.failure.find("message.timeout.ms is 1500 ms"), std::string::npos) << o.failure;

  const MeasuredDelivery& md = o.result.measured_delivery;
  EXPECT_EQ(md.sent, d.sent);
  EXPECT_EQ(md.failed, d.produce_errors);
  EXPECT_EQ(md.unknown, d.unknown);
  ASSERT_EQ(o.result.faults.size(), 1u);
  const FaultEvent& f = o.result.faults[0];
  EXPECT_EQ(f.fault, "all brokers down");
  EXPECT_FALSE(f.lifted);
  EXPECT_GE(f.start_s, 1.0);
  EXPECT_GT(f.end_s, f.start_s);
}

TEST(RealRunnersFaults, FaultTimelineRoundTripsAndIsOptionalOnRead) {
  CandidateResult c;
  c.name = "kappa (measured)";
  c.kind = "kappa";
  c.source = "measured";
  c.faults.push_back({"broker down", "broker 2", 4.0, 7.5, true, "connections dropped"});
  c.faults.push_back({"consumer restart", "sink consumer", 6.0, 6.0, true, "re-created"});
  c.timeline = {"measured", "measured run, by intended send time", 1, {{3, 1000, 0.002, 0.010, 0.020, 1000}}};
  c.measured_delivery.sent = 10;
  c.measured_delivery.acked = 9;
  c.measured_delivery.unknown = 1;
  c.measured_delivery.explanation = "why";
  const CandidateResult back = candidate_from_json(to_json(c));
  ASSERT_EQ(back.faults.size(), 2u);
  EXPECT_EQ(back.faults[0].target, "broker 2");
  EXPECT_DOUBLE_EQ(back.faults[0].end_s, 7.5);
  EXPECT_EQ(back.faults[1].fault, "consumer restart");
  ASSERT_EQ(back.timeline.points.size(), 1u);
  EXPECT_EQ(back.timeline.source, "measured");
  EXPECT_EQ(back.timeline.points[0].count, 1000u);
  EXPECT_DOUBLE_EQ(back.timeline.points[0].p99_s, 0.010);
  EXPECT_FALSE(to_json(c).contains("latency_over_time"));  // schema 4: one series shape, the timeline
  EXPECT_EQ(back.measured_delivery.unknown, 1u);
  EXPECT_EQ(back.measured_delivery.explanation, "why");

  // A simulated candidate does not carry them; a Result without them reads as empty.
  c.source = "simulated";
  const nlohmann::json simulated = to_json(c);
  EXPECT_FALSE(simulated.contains("faults"));
  EXPECT_TRUE(candidate_from_json(simulated).faults.empty());

  // A malformed entry names its path.
  c.source = "measured";
  nlohmann::json bad = to_json(c);
  bad["faults"][1]["start_s"] = "six";
  try {
    candidate_from_json(bad);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/faults/1/start_s: expected a number"), std::string::npos) << e.what();
  }
}

TEST(RealRunnersFaults, SchemaThreeLatencyOverTimeReadsAsTheTimeline) {
  // A measured Result of schema 3 carried its per-second series as "latency_over_time"
  // next to an empty timeline; it reads into the timeline, the shape every reporter draws.
  Result r;
  r.archsim_version = "0.1.0";
  CandidateResult c;
  c.name = "kappa (measured)";
  c.kind = "kappa";
  c.source = "measured";
  c.faults.push_back({"broker down", "broker 1", 2.0, 4.0, true, ""});
  r.candidates.push_back(c);
  nlohmann::json v3 = to_json(r);
  v3["schema_version"] = 3;
  v3["candidates"][0]["latency_over_time"] = nlohmann::json::array(
      {{{"second", 0}, {"events", 500u}, {"p50_s", 0.002}, {"p99_s", 0.004}, {"max_s", 0.005}},
       {{"second", 2}, {"events", 480u}, {"p50_s", 1.5}, {"p99_s", 2.0}, {"max_s", 2.1}}});
  const Result back = result_from_json(v3);
  const LatencyTimeline& tl = back.candidates[0].timeline;
  EXPECT_EQ(tl.source, "measured");
  EXPECT_DOUBLE_EQ(tl.window_s, 1);
  ASSERT_EQ(tl.points.size(), 2u);
  EXPECT_DOUBLE_EQ(tl.points[1].t_s, 2);
  EXPECT_EQ(tl.points[1].count, 480u);
  EXPECT_DOUBLE_EQ(tl.points[1].p99_s, 2.0);
  EXPECT_DOUBLE_EQ(tl.points[1].delivered_eps, 480);
  EXPECT_EQ(back.schema_version, 4);
  EXPECT_FALSE(to_json(back).at("candidates").at(0).contains("latency_over_time"));

  v3["candidates"][0]["latency_over_time"][1]["events"] = -3;
  try {
    result_from_json(v3);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/candidates/0/latency_over_time/1/events"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace archsim
