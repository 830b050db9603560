// KappaRunner and the check/broker subcommands in process: rate choice, a
// short real run on the embedded broker (counts and fields, never latency
// values), unreachable brokers and bad options.
#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <optional>
#include <string>
#include <thread>

#include "archsim/broker_thread.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/cmd_broker.hpp"
#include "archsim/cmd_check.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/thread_cpu.hpp"
#include "command_outcome.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;


const Candidate& candidate_named(const Scenario& s, const std::string& name) {
  for (const Candidate& c : s.candidates)
    if (c.name == name) return c;
  throw std::logic_error("no candidate " + name);
}

TEST(RealRunnersRate, DefaultCapsAtTwentyThousandAndSaysSo) {
  const Scenario s = load_scenario_file(test_support::kReferenceScenario);  // 100,000 ev/s
  const RateChoice c = choose_rate(s, std::nullopt, std::nullopt);
  EXPECT_DOUBLE_EQ(c.rate_eps, kDefaultMaxRealRateEps);
  EXPECT_DOUBLE_EQ(c.scale, 0.2);
  EXPECT_NE(c.reason.find("0.2"), std::string::npos) << c.reason;
}

TEST(RealRunnersRate, RateAndScaleOverride) {
  const Scenario s = load_scenario_file(test_support::kReferenceScenario);
  EXPECT_DOUBLE_EQ(choose_rate(s, 5000.0, std::nullopt).scale, 0.05);
  EXPECT_DOUBLE_EQ(choose_rate(s, std::nullopt, 0.01).rate_eps, 1000);
  EXPECT_THROW(choose_rate(s, 5000.0, 0.1), std::invalid_argument);
  EXPECT_THROW(choose_rate(s, 0.0, std::nullopt), std::invalid_argument);
  EXPECT_THROW(choose_rate(s, std::nullopt, -1.0), std::invalid_argument);
}

TEST(RealRunnersKappa, ShortRunDeliversEveryEventOnceWithMeasuredFields) {
  const Scenario s = load_scenario_file(test_support::kReferenceScenario);
  KappaRunOptions opt;
  opt.rate = choose_rate(s, 4000.0, std::nullopt);
  opt.duration_s = 1.5;
  opt.warmup_s = 0.25;
  opt.topic_prefix = "unit";
  const KappaRunOutcome o = run_kappa(s, candidate_named(s, "kappa-lean"), opt);
  const DeliveryCounts& d = o.delivery;
  EXPECT_GT(d.sent, 5000u);  // about 4,000 ev/s x 1.75 s; the count comes from the seeded arrivals
  EXPECT_EQ(d.acked, d.sent);
  EXPECT_EQ(d.received, d.sent);
  EXPECT_EQ(d.lost, 0u);
  EXPECT_EQ(d.duplicated, 0u);
  EXPECT_EQ(d.produce_errors, 0u);

  const CandidateResult& r = o.result;
  EXPECT_EQ(r.name, "kappa-lean (measured)");
  EXPECT_EQ(r.source, "measured");
  EXPECT_GT(r.end_to_end.count, 0u);
  EXPECT_LE(r.end_to_end.count, d.received);  // warm-up discarded
  EXPECT_GT(r.offered_eps, 0);
  EXPECT_GT(r.achieved_eps, 0);
  EXPECT_GT(r.produce_ack.count, 0u);
  ASSERT_GE(r.stages.size(), 2u);
  EXPECT_EQ(r.stages[0].stage, "publish delay");
  EXPECT_EQ(r.stages[1].stage, "produce ack");
  ASSERT_FALSE(r.verdicts.empty());
  EXPECT_TRUE(r.verdicts[0].pass) << r.verdicts[0].text;
  std::string notes;
  for (const std::string& n : r.notes) notes += n + "\n";
  for (const char* expected : {"rate set by --rate", "embedded mock cluster", "one I/O thread", "5 MiB",
                               "fetch.wait.max.ms", "acks", "lost 0, duplicated 0", "embedded broker I/O thread: ran",
                               "CPU-seconds on a CPU and"})
    EXPECT_NE(notes.find(expected), std::string::npos) << expected << "\n" << notes;
  // The mock's I/O thread served every request of the run: it ran, for a
  // share of the window no larger than the window.
  EXPECT_GT(o.threads.broker_busy, 0);
  EXPECT_LE(o.threads.broker_busy, 1.0);
  EXPECT_GE(o.threads.broker_waiting, 0);
  ASSERT_GE(r.utilisation.size(), 2u);
  EXPECT_EQ(r.utilisation[0].resource, "embedded broker I/O thread");
  EXPECT_DOUBLE_EQ(r.utilisation[0].mean, o.threads.broker_busy);
  // The clients' librdkafka I/O threads were found and measured: a share of
  // the window, reported as a utilisation entry.
  EXPECT_GE(o.threads.clients.busiest_io_runnable, 0);
  EXPECT_LE(o.threads.clients.busiest_io_runnable, 1.0 + 1e-6);
  EXPECT_GT(o.threads.clients.wait_over_run, 0);
  const auto io = std::find_if(r.utilisation.begin(), r.utilisation.end(),
                               [](const Utilisation& u) { return u.resource == kBusiestClientIoThread; });
  ASSERT_NE(io, r.utilisation.end());
  EXPECT_DOUBLE_EQ(io->mean, o.threads.clients.busiest_io_runnable);
}

TEST(RealRunnersThreadCpu, ClientIoThreadThatNeverSleptIsABusyPollFinding) {
  // Per thread over a 2 s window: the producer, a consumer's I/O thread
  // (runnable 0.2 s) and an I/O thread runnable 1.9 s (95%) of it.
  const std::vector<ThreadTimes> polling = {{10, "archsim", 0.5, 0.25},
                                            {11, "rdk:broker1", 0.1, 0.1},
                                            {12, "rdk:broker2", 1.2, 0.7},
                                            {13, "rdk:main", 0.01, 0.0}};
  CandidateResult r;
  const ClientThreadShares shares = record_client_threads(polling, 2.0, r);
  EXPECT_DOUBLE_EQ(shares.busiest_io_runnable, 0.95);
  EXPECT_NEAR(shares.wait_over_run, 1.05 / 1.81, 1e-12);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("4 of them"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("1.81 CPU-seconds"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("busy-polled (the busiest was runnable 95% of the window"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("linger.ms is shorter than the produce round trip"), std::string::npos) << r.notes[0];
  EXPECT_EQ(r.notes[0].find("times as long as they ran"), std::string::npos) << r.notes[0];
  ASSERT_EQ(r.utilisation.size(), 1u);
  EXPECT_EQ(r.utilisation[0].resource, kBusiestClientIoThread);
  EXPECT_DOUBLE_EQ(r.utilisation[0].mean, 0.95);

  // The same I/O thread runnable 1.7 s (85%): it slept part of the window;
  // the share is recorded, and no finding is made.
  std::vector<ThreadTimes> partly = polling;
  partly[2].wait_s = 0.5;
  CandidateResult q;
  EXPECT_DOUBLE_EQ(record_client_threads(partly, 2.0, q).busiest_io_runnable, 0.85);
  ASSERT_EQ(q.notes.size(), 1u);
  EXPECT_EQ(q.notes[0].find("busy-polled"), std::string::npos) << q.notes[0];
  EXPECT_EQ(client_thread_findings({0.85, 1.0}), "");
  EXPECT_NE(client_thread_findings({kClientBusyPoll, 1.0}).find("busy-polled"), std::string::npos);
  EXPECT_EQ(client_thread_findings({}), "");  // not measured

  // No librdkafka I/O thread among the clients: nothing measured for them.
  CandidateResult none;
  EXPECT_LT(record_client_threads({{10, "archsim", 0.5, 0.25}}, 2.0, none).busiest_io_runnable, 0);
  EXPECT_TRUE(none.utilisation.empty());
  // Starved and polling: both findings, in one note, and in check's hint.
  std::vector<ThreadTimes> starved = polling;
  starved[0].wait_s = 20;
  CandidateResult both;
  const ClientThreadShares s = record_client_threads(starved, 2.0, both);
  EXPECT_NE(both.notes[0].find("the clients waited 11 times as long as they ran"), std::string::npos) << both.notes[0];
  EXPECT_NE(both.notes[0].find("; librdkafka's client I/O threads busy-polled"), std::string::npos) << both.notes[0];
  EXPECT_NE(client_thread_findings(s).find("rerun on a quieter machine"), std::string::npos);
}

TEST(RealRunnersThreadCpu, LowersEveryOtherThreadButTheNamedOnes) {
  // Two threads that report their thread id and wait: one named like the
  // broker thread to keep, one a client thread.
  std::atomic<pid_t> kept{0}, client{0};
  std::atomic<bool> done{false};
  const auto park = [&done](std::atomic<pid_t>& tid, const char* name) {
    pthread_setname_np(pthread_self(), name);
    tid.store(static_cast<pid_t>(::syscall(SYS_gettid)));
    while (!done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  std::thread a(park, std::ref(kept), "archsim-keep");
  std::thread b(park, std::ref(client), "archsim-client");
  while (kept.load() == 0 || client.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto nice_of = [](pid_t tid) { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid)); };
  const int self_before = nice_of(static_cast<pid_t>(::syscall(SYS_gettid)));
  const int kept_before = nice_of(kept.load());
  const int client_before = nice_of(client.load());
  const pid_t self = static_cast<pid_t>(::syscall(SYS_gettid));
  ASSERT_EQ(::sched_getscheduler(kept.load()), SCHED_OTHER);
  ASSERT_EQ(::sched_getscheduler(client.load()), SCHED_OTHER);
  EXPECT_GE(lower_other_threads("archsim-keep", 3), 1);
  // the client thread: 3 nice steps lower, still an ordinary thread (an
  // idle-policy one would get no CPU while any other program wants one)
  EXPECT_EQ(::sched_getscheduler(client.load()), SCHED_OTHER);
  EXPECT_EQ(nice_of(client.load()), std::min(19, client_before + 3));
  // the named thread and the calling one are left as they were
  EXPECT_EQ(::sched_getscheduler(kept.load()), SCHED_OTHER);
  EXPECT_EQ(nice_of(kept.load()), kept_before);
  EXPECT_EQ(::sched_getscheduler(self), SCHED_OTHER);
  EXPECT_EQ(nice_of(self), self_before);
  done.store(true);
  a.join();
  b.join();
}

TEST(RealRunnersThreadCpu, ThreadsBetweenTwoSnapshotsSkipTheNamedOnes) {
  const std::vector<ThreadTimes> before = {{1, "rdk:mock", 1.0, 0.5}, {2, "client", 2.0, 1.0}, {3, "gone", 5, 5}};
  const std::vector<ThreadTimes> after = {{1, "rdk:mock", 3.0, 0.7}, {2, "client", 2.5, 1.25}, {4, "new", 0.25, 0.5}};
  const ThreadCpu t = total_of(thread_deltas(before, after, "rdk:mock"));
  EXPECT_EQ(t.threads, 2);            // the client and the new thread; the ended one is not counted
  EXPECT_DOUBLE_EQ(t.run_s, 0.75);    // 0.5 more for the client, 0.25 for the new thread
  EXPECT_DOUBLE_EQ(t.wait_s, 0.75);   // 0.25 + 0.5
  // per thread: the same, one entry each
  const std::vector<ThreadTimes> each = thread_deltas(before, after, "rdk:mock");
  ASSERT_EQ(each.size(), 2u);
  EXPECT_EQ(each[0].comm, "client");
  EXPECT_DOUBLE_EQ(each[0].run_s, 0.5);
  EXPECT_DOUBLE_EQ(each[0].wait_s, 0.25);
  EXPECT_EQ(each[1].tid, 4);
  EXPECT_DOUBLE_EQ(each[1].run_s, 0.25);
  EXPECT_DOUBLE_EQ(each[1].wait_s, 0.5);
  // this process's own threads: the calling one is among them, with its times so far
  const std::vector<ThreadTimes> now = thread_times();
  const pid_t self = static_cast<pid_t>(::syscall(SYS_gettid));
  const auto me = std::find_if(now.begin(), now.end(), [&](const ThreadTimes& x) { return x.tid == self; });
  ASSERT_NE(me, now.end());
  EXPECT_GT(me->run_s, 0);
  EXPECT_FALSE(me->comm.empty());
}

TEST(RealRunnersThreadCpu, CountsTheCpuTimeOfTheNamedThreads) {
  EXPECT_FALSE(thread_cpu("no-such-thread").has_value());
  // A thread that spins until its own CPU clock shows 50 ms.
  std::atomic<bool> spun{false}, measured{false};
  std::thread spinner([&] {
    pthread_setname_np(pthread_self(), "archsim-spin");
    timespec t{};
    do clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    while (t.tv_sec == 0 && t.tv_nsec < 50'000'000);
    spun.store(true);
    while (!measured.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!spun.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::optional<ThreadCpu> cpu = thread_cpu("archsim-spin");
  measured.store(true);
  spinner.join();
  ASSERT_TRUE(cpu.has_value());
  EXPECT_EQ(cpu->threads, 1);
  EXPECT_GE(cpu->run_s, 0.049);
  EXPECT_GE(cpu->wait_s, 0.0);
  const ThreadCpu none = *cpu - *cpu;
  EXPECT_DOUBLE_EQ(none.run_s, 0);
  EXPECT_DOUBLE_EQ(none.wait_s, 0);
}

TEST(RealRunnersKappa, UnreachableBrokerFailsWithinTheConnectTimeout) {
  const Scenario s = load_scenario_file(test_support::kReferenceScenario);
  KappaRunOptions opt;
  opt.bootstrap_servers = "127.0.0.1:1";
  opt.rate = choose_rate(s, 1000.0, std::nullopt);
  opt.connect_timeout = std::chrono::milliseconds(2000);
  const auto start = std::chrono::steady_clock::now();
  try {
    run_kappa(s, candidate_named(s, "kappa-baseline"), opt);
    FAIL() << "expected BrokerUnreachable";
  } catch (const BrokerUnreachable& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

using test_support::Outcome;

Outcome check(const CheckOptions& opts) { return test_support::run_like_main(opts, run_check); }

TEST(RealRunnersCheckCommand, MalformedKafkaConfigIsExit2NamingTheLine) {
  const fs::path props = fs::temp_directory_path() / ("archsim-rr-" + std::to_string(::getpid()) + ".properties");
  std::ofstream(props) << "# client settings\nclient.id=x\nnot a property line\n";
  CheckOptions opts;
  opts.scenario_file = test_support::kReferenceScenario.string();
  opts.candidate = "kappa-baseline";
  opts.kafka_config = props.string();
  const Outcome o = check(opts);
  fs::remove(props);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find(props.string() + ":3: expected key=value"), std::string::npos) << o.err;
}

TEST(RealRunnersCheckCommand, BadOptionsAreExit2) {
  CheckOptions opts;
  opts.scenario_file = test_support::kReferenceScenario.string();
  opts.candidate = "no-such-design";
  Outcome o = check(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("unknown candidate 'no-such-design'"), std::string::npos) << o.err;

  opts.candidate = "kappa-baseline";
  opts.duration = "soon";
  o = check(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("--duration soon"), std::string::npos) << o.err;

  opts.duration = "1s";
  opts.rate_eps = 1000;
  opts.rate_scale = 0.1;
  EXPECT_EQ(check(opts).code, exit_code::invalid_input);

  opts.rate_scale.reset();
  opts.json_path = "/nonexistent-dir/x.json";
  o = check(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/nonexistent-dir"), std::string::npos) << o.err;
}

CandidateResult figures(double eps, double p50_s, double p99_s) {
  CandidateResult c;
  c.achieved_eps = eps;
  c.end_to_end.p50_s.value = p50_s;
  c.end_to_end.p99_s.value = p99_s;
  return c;
}

TEST(RealRunnersCheckAgreement, JudgesThroughputP50AndP99AgainstTheTolerance) {
  const CandidateResult measured = figures(1000, 0.010, 0.020);
  // within: +5% throughput, -10% p50, +20% p99 (the bound itself)
  Agreement a = judge_agreement(figures(1050, 0.009, 0.024), measured, 0.2);
  ASSERT_EQ(a.figures.size(), 3u);
  EXPECT_EQ(a.figures[0].metric, "throughput");
  EXPECT_NEAR(a.figures[0].error, 0.05, 1e-12);
  EXPECT_NEAR(a.figures[1].error, -0.10, 1e-12);
  EXPECT_NEAR(a.figures[2].error, 0.20, 1e-12);
  EXPECT_TRUE(a.within());
  EXPECT_EQ(a.summary(), "throughput +5.0%, p50 end-to-end -10.0%, p99 end-to-end +20.0% (within ±20%)");
  // one figure outside is enough to miss
  a = judge_agreement(figures(1000, 0.010, 0.009), measured, 0.2);
  EXPECT_FALSE(a.within());
  EXPECT_TRUE(a.figures[0].within);
  EXPECT_FALSE(a.figures[2].within);
  EXPECT_NE(a.summary().find("p99 end-to-end -55.0% (outside ±20%)"), std::string::npos) << a.summary();
  // a tighter tolerance turns a pass into a miss
  EXPECT_FALSE(judge_agreement(figures(1050, 0.009, 0.024), measured, 0.05).within());
  // nothing measured cannot agree
  a = judge_agreement(figures(1000, 0.010, 0.020), figures(0, 0, 0), 0.2);
  EXPECT_FALSE(a.within());
  EXPECT_NE(a.summary().find("throughput n/a"), std::string::npos) << a.summary();
}

TEST(RealRunnersCheckAgreement, ToleranceOption) {
  EXPECT_DOUBLE_EQ(parse_tolerance("20%"), 0.2);
  EXPECT_DOUBLE_EQ(parse_tolerance("0.05"), 0.05);
  EXPECT_DOUBLE_EQ(parse_tolerance("1000%"), 10);
  for (const char* bad : {"", "%", "0", "0%", "-5%", "twenty", "20 %", "1001%", "nan", "inf"}) {
    try {
      parse_tolerance(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--tolerance"), std::string::npos) << e.what();
    }
  }
  CheckOptions opts;
  opts.scenario_file = test_support::kReferenceScenario.string();
  opts.candidate = "kappa-baseline";
  opts.tolerance = "lots";
  const Outcome o = check(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("--tolerance lots: expected"), std::string::npos) << o.err;
}

TEST(RealRunnersBrokerCommand, TopicSpecs) {
  const TopicSpec t = parse_topic_spec("events:12");
  EXPECT_EQ(t.name, "events");
  EXPECT_EQ(t.partitions, 12);
  EXPECT_EQ(parse_topic_spec("a:b:3").name, "a:b");
  EXPECT_THROW(parse_topic_spec("events"), std::invalid_argument);
  EXPECT_THROW(parse_topic_spec("events:0"), std::invalid_argument);
  EXPECT_THROW(parse_topic_spec("events:twelve"), std::invalid_argument);
  EXPECT_THROW(parse_topic_spec(":3"), std::invalid_argument);
}

}  // namespace
}  // namespace archsim
