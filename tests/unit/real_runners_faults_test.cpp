// Runner faults in process: the embedded cluster's request-error queue, a
// run with every broker down for longer than the message timeout (a failure
// with complete counts, bounded time, no thread left behind), and the
// Result JSON of the fault timeline (round trip; absent in older Results);
// exactly-once across consumer restarts: transaction ids and their record
// header, the sink's read_committed filter (hold open, deliver committed,
// drop aborted), a restartable consumer that resumes from offsets
// committed after its handled events and recognises what it reads again,
// and a short transactional run across restarts (also under TSan in CI).
#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <thread>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "archsim/embedded_cluster.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/read_committed_filter.hpp"
#include "archsim/restartable_consumer.hpp"
#include "archsim/result_json.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/transaction_outcomes.hpp"
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

TEST(RealRunnersExactlyOnceRestart, TransactionIdsKeepProcessorAndSequenceApart) {
  EXPECT_NE(transaction_id(0, 1), transaction_id(1, 0));
  EXPECT_EQ(transaction_id(2, 5), (uint64_t{2} << 48) | 5);
  EXPECT_THROW(transaction_id(-1, 0), std::invalid_argument);
  EXPECT_THROW(transaction_id(0, uint64_t{1} << 48), std::invalid_argument);
  unsigned char bytes[8];
  encode_transaction_id(0x0102030405060708ULL, bytes);
  EXPECT_EQ(bytes[0], 0x01);
  EXPECT_EQ(bytes[7], 0x08);
}

TEST(RealRunnersExactlyOnceRestart, FilterHoldsOpenDeliversCommittedDropsAborted) {
  TransactionOutcomes outcomes;
  ReadCommittedFilter filter(outcomes);
  std::vector<uint64_t> delivered;
  const ReadCommittedFilter::Deliver deliver = [&](const SinkRecord& r) { delivered.push_back(r.seq); };

  filter.offer(10, {1, 0, 0, false}, deliver);  // open
  filter.offer(10, {2, 0, 0, false}, deliver);
  filter.offer(11, {3, 0, 0, false}, deliver);  // open, will abort
  EXPECT_TRUE(delivered.empty());
  EXPECT_EQ(filter.held(), 3u);
  filter.release(deliver);
  EXPECT_TRUE(delivered.empty()) << "nothing ended yet";

  outcomes.committed(10);
  outcomes.aborted(11);
  filter.release(deliver);
  EXPECT_EQ(delivered, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(filter.dropped(), 1u);
  EXPECT_EQ(filter.held(), 0u);

  filter.offer(10, {4, 0, 0, false}, deliver);  // committed: at once
  filter.offer(11, {5, 0, 0, false}, deliver);  // aborted: dropped
  filter.offer(11, {3, 0, 0, true}, deliver);   // aborted, re-read: not counted again
  EXPECT_EQ(delivered, (std::vector<uint64_t>{1, 2, 4}));
  EXPECT_EQ(filter.dropped(), 2u);
  EXPECT_EQ(outcomes.outcome(12), TransactionOutcomes::Outcome::open);
}

TEST(RealRunnersExactlyOnceRestart, ConsumerResumesAfterItsLastCommitAndKnowsWhatItReadsAgain) {
  EmbeddedCluster cluster(1);
  cluster.create_topic("eos-restart", 1, 1);
  const std::string bootstrap = cluster.bootstrap_servers();
  constexpr int kMessages = 10;
  unsigned char header[8];
  encode_transaction_id(transaction_id(1, 7), header);
  {
    KafkaHandle producer = make_client(RD_KAFKA_PRODUCER, {bootstrap, {{"linger.ms", "1"}}, nullptr, {}});
    for (int i = 0; i < kMessages; ++i) {
      const std::string value = std::to_string(i);
      ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("eos-restart"),
                                  RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                  RD_KAFKA_V_HEADER(kTransactionHeader, header, sizeof header),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    ASSERT_EQ(rd_kafka_flush(producer.get(), 20000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  RestartableConsumer consumer({bootstrap,
                                {{"group.id", "eos-restart-test"},
                                 {"enable.auto.commit", "false"},
                                 {"enable.auto.offset.store", "false"},
                                 {"fetch.wait.max.ms", "10"}},
                                nullptr,
                                {}},
                               "eos-restart", {0}, 0, 1, std::chrono::hours(1));
  // Reads offsets until `until` (exclusive); returns the offsets read.
  const auto read_until = [&](int64_t until) {
    std::vector<int64_t> offsets;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((offsets.empty() || offsets.back() + 1 < until) && std::chrono::steady_clock::now() < deadline) {
      const KafkaMessage m(rd_kafka_consumer_poll(consumer.get(), 50));
      if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
      const std::optional<uint64_t> id = read_transaction_id(m.get());
      EXPECT_EQ(id.value_or(0), transaction_id(1, 7));
      offsets.push_back(m->offset);
      consumer.handled(m->partition, m->offset);
      if (m->offset == 4) {
        EXPECT_TRUE(consumer.commit_handled());  // offsets 0..4 "committed with a transaction"
      }
    }
    return offsets;
  };
  const std::vector<int64_t> first = read_until(8);
  ASSERT_EQ(first.size(), 8u);
  EXPECT_FALSE(consumer.rereading(0, 3)) << "no restart yet";

  consumer.request_restart();
  EXPECT_TRUE(consumer.restart_pending());
  ASSERT_TRUE(consumer.restart_if_requested()) << consumer.error();
  EXPECT_FALSE(consumer.restart_pending());
  EXPECT_EQ(consumer.restarts(), 1);
  EXPECT_EQ(consumer.redelivered(), 3u);  // offsets 5, 6, 7: handled after the last commit
  EXPECT_TRUE(consumer.rereading(0, 5));
  EXPECT_TRUE(consumer.rereading(0, 7));
  EXPECT_FALSE(consumer.rereading(0, 8));

  const std::vector<int64_t> second = read_until(kMessages);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second.front(), 5) << "resumes at the committed offset";
  EXPECT_EQ(second.back(), kMessages - 1);
  consumer.close();
}

TEST(RealRunnersExactlyOnceRestart, TransactionalRunAcrossRestartsLosesAndDuplicatesNothing) {
  const Scenario s = load_scenario_file(fs::path(ARCHSIM_SOURCE_DIR) / "scenarios" / "fraud-lambda-vs-kappa.json");
  const auto it = std::find_if(s.candidates.begin(), s.candidates.end(),
                               [](const Candidate& c) { return c.name == "kappa-exactly-once"; });
  ASSERT_NE(it, s.candidates.end());
  KappaRunOptions opt;
  opt.rate = choose_rate(s, 200.0, std::nullopt);
  opt.duration_s = 2.5;
  opt.warmup_s = 0.5;
  opt.topic_prefix = "unit-eos-restart";
  opt.restarts.push_back({1.0, RestartedConsumer::processor});
  opt.restarts.push_back({2.0, RestartedConsumer::sink});
  std::thread([] {}).join();  // a sanitizer's runtime starts its own thread at the first one: count after it
  const size_t threads_before = thread_count();
  const KappaRunOutcome o = run_kappa(s, *it, opt);
  EXPECT_EQ(thread_count(), threads_before) << "threads left behind by the run";

  ASSERT_TRUE(o.delivery_plan.transactional);
  const DeliveryCounts& d = o.delivery;
  EXPECT_GT(d.sent, 0u);
  EXPECT_EQ(d.acked, d.sent);
  EXPECT_EQ(d.lost, 0u);
  EXPECT_EQ(d.duplicated, 0u);
  EXPECT_GT(d.redelivered, 0u) << "the restarts read events again";
  EXPECT_GE(o.aborted_transactions, 1u) << "a restarted processor abandons its open transaction";
  EXPECT_GE(o.aborted_records_dropped, 1u) << "the abandoned transactions' records reach the log; the sink drops them";
  std::string notes;
  for (const std::string& n : o.result.notes) notes += n + "\n";
  EXPECT_NE(notes.find(fmt::format("exactly-once processor restarts: {} ", o.processors)), std::string::npos)
      << "each processor thread honours the restart\n" << notes;
  EXPECT_NE(notes.find("plain OffsetCommit"), std::string::npos) << notes;
}

}  // namespace
}  // namespace archsim
