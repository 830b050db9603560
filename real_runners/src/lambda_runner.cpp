// LambdaRunner: the speed layer (run_kappa), the batch reader and the speed
// view of a real Lambda run, and the measured Result (see lambda_runner.hpp).
#include "archsim/lambda_runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "archsim/embedded_cluster.hpp"
#include "archsim/histogram_summary.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/run_payload.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

/// The aggregate both layers compute: events and payload bytes per key.
struct KeyAggregate {
  uint64_t events = 0;
  uint64_t bytes = 0;
  bool operator==(const KeyAggregate&) const = default;
};
using View = std::unordered_map<std::string, KeyAggregate>;

/// Sequence numbers seen so far.
class SeqSet {
 public:
  /// True when `seq` was not in the set.
  bool insert(uint64_t seq) {
    if (seq >= seen_.size()) seen_.resize(std::max<size_t>(seq + 1, seen_.size() * 2), 0);
    if (seen_[seq] != 0) return false;
    seen_[seq] = 1;
    ++size_;
    return true;
  }
  uint64_t size() const { return size_; }
  void clear() {
    seen_.assign(seen_.size(), 0);
    size_ = 0;
  }

 private:
  std::vector<uint8_t> seen_;
  uint64_t size_ = 0;
};

/// Adds message `m` to `view` unless its sequence number is already in `seqs`.
void add_to_view(const rd_kafka_message_t* m, const RunPayload& p, SeqSet& seqs, View& view) {
  if (!seqs.insert(p.seq)) return;
  KeyAggregate& a = view[std::string(static_cast<const char*>(m->key), m->key == nullptr ? 0 : m->key_len)];
  ++a.events;
  a.bytes += m->len;
}

std::vector<std::pair<std::string, std::string>> reader_settings(const std::string& group) {
  return {{"group.id", group},
          {"enable.auto.commit", "false"},
          {"enable.auto.offset.store", "false"},
          {"enable.partition.eof", "false"},
          {"fetch.wait.max.ms", "10"},
          {"isolation.level", "read_committed"}};
}

int64_t us_of(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1e6)); }

/// The batch layer: every interval, cut the input topic at its end offsets,
/// read up to the cut, aggregate, publish. Runs on its own thread.
struct BatchReader {
  std::string bootstrap, topic, group;
  int partitions = 1;
  int64_t anchor_us = 0;    ///< the schedule's start
  int64_t interval_us = 0;
  bool full_history = false;
  std::atomic<uint64_t> target{std::numeric_limits<uint64_t>::max()};  ///< stop once a view holds this many events
  std::atomic<int64_t> deadline_us{std::numeric_limits<int64_t>::max()};
  std::atomic<bool> abandon{false};
  // results
  std::vector<BatchViewRun> runs;
  View view;                ///< the last published view
  uint64_t view_events = 0;
  std::vector<std::pair<int64_t, int64_t>> included;  ///< (intended, published) µs of each event's first view
  std::string error;

  void run() {
    try {
      loop();
    } catch (const std::exception& e) {
      error = e.what();
    }
  }

  void loop() {
    KafkaHandle consumer = make_client(RD_KAFKA_CONSUMER, {bootstrap, reader_settings(group), nullptr, {}});
    std::vector<int64_t> from(static_cast<size_t>(partitions), 0);  // the embedded topics are new
    SeqSet view_seqs, covered;
    const auto t = [&](int64_t us) { return static_cast<double>(us - anchor_us) * 1e-6; };
    for (int k = 1;; ++k) {
      const int64_t scheduled = anchor_us + k * interval_us;
      while (run_clock_us() < scheduled && !abandon.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (abandon.load()) return;
      const int64_t started = std::max(scheduled, run_clock_us());
      const std::vector<int64_t> cut = high_watermarks(consumer.get(), topic, partitions, std::chrono::seconds(5));
      if (full_history) {
        view.clear();
        view_seqs.clear();
      }
      std::vector<int64_t> next = full_history ? std::vector<int64_t>(from.size(), 0) : from;
      uint64_t read = 0;
      const size_t first_new = included.size();
      if (next != cut) {
        assign_partitions(consumer.get(), topic, next, 0, 1);
        const int64_t give_up = run_clock_us() + 30'000'000;
        for (;;) {
          bool done = true;
          for (size_t p = 0; p < next.size(); ++p) done = done && next[p] >= cut[p];
          if (done) break;
          if (run_clock_us() > give_up || abandon.load())
            throw KafkaError(fmt::format("batch reader: {} not read up to its end offsets within 30 s", topic));
          rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 20);
          if (m == nullptr) continue;
          const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(m, rd_kafka_message_destroy);
          if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->partition < 0 || m->partition >= partitions) continue;
          const auto p = static_cast<size_t>(m->partition);
          if (m->offset >= cut[p]) continue;  // after the cut: the next run's
          next[p] = std::max(next[p], m->offset + 1);
          ++read;
          RunPayload pl;
          if (!read_run_payload(m, 0, pl) || pl.seq > kRunMaxSeq) continue;
          add_to_view(m, pl, view_seqs, view);
          if (covered.insert(pl.seq)) included.emplace_back(pl.intended_us, 0);
        }
        rd_kafka_assign(consumer.get(), nullptr);
      }
      const int64_t published = run_clock_us();
      for (size_t i = first_new; i < included.size(); ++i) included[i].second = published;
      view_events = view_seqs.size();
      runs.push_back({t(scheduled), t(started), t(published), read, view_events});
      from = cut;
      if (view_events >= target.load() || run_clock_us() > deadline_us.load()) return;
    }
  }
};

/// The speed view: the same aggregate from the output topic.
struct SpeedView {
  std::string bootstrap, topic, group;
  int partitions = 1;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> events{0};
  View view;
  std::string error;

  void run() {
    try {
      KafkaHandle consumer = make_client(RD_KAFKA_CONSUMER, {bootstrap, reader_settings(group), nullptr, {}});
      assign_partitions(consumer.get(), topic, std::vector<int64_t>(static_cast<size_t>(partitions), 0), 0, 1);
      SeqSet seqs;
      while (!stop.load()) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 20);
        if (m == nullptr) continue;
        const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(m, rd_kafka_message_destroy);
        RunPayload pl;
        if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || !read_run_payload(m, 0, pl) || pl.seq > kRunMaxSeq) continue;
        add_to_view(m, pl, seqs, view);
        events.store(seqs.size());
      }
      rd_kafka_consumer_close(consumer.get());
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
};

}  // namespace

double lambda_batch_interval(const Candidate& candidate, double warmup_s, double duration_s,
                             std::optional<double> asked, std::string& reason) {
  if (asked) {
    if (!(*asked > 0) || !std::isfinite(*asked))
      throw std::invalid_argument(fmt::format("--batch-interval {}: expected a positive duration", *asked));
    reason = fmt::format("batch interval {} set by --batch-interval (the candidate's is {})", format_duration(*asked),
                         format_duration(candidate.batch.interval_s));
    return *asked;
  }
  const double scaled = (warmup_s + duration_s) / 4;
  if (candidate.batch.interval_s <= scaled) {
    reason = fmt::format("batch interval {}: the candidate's", format_duration(candidate.batch.interval_s));
    return candidate.batch.interval_s;
  }
  reason = fmt::format(
      "batch interval scaled to the run: {} (a quarter of the {} warm-up + measured window) in place of the "
      "candidate's {}; set --batch-interval to choose another",
      format_duration(scaled), format_duration(warmup_s + duration_s), format_duration(candidate.batch.interval_s));
  return scaled;
}

LambdaRunOutcome run_lambda(const Scenario& scenario, const Candidate& candidate, const LambdaRunOptions& opt) {
  if (candidate.kind != "lambda")
    throw std::invalid_argument(fmt::format("candidate {}: expected kind \"lambda\", found \"{}\"", candidate.name,
                                            candidate.kind));
  if (!opt.speed.bootstrap_servers.empty())
    throw std::invalid_argument(fmt::format(
        "candidate {} is a Lambda design: its real check runs on the embedded broker only in this version "
        "(--bootstrap-servers serves Kappa candidates)",
        candidate.name));
  if (opt.speed.injected_rtt_ms > 0 || !opt.speed.faults.empty())
    throw std::invalid_argument(fmt::format(
        "candidate {} is a Lambda design: --inject-rtt and --broker-down are not supported for its real check in "
        "this version",
        candidate.name));
  LambdaRunOutcome out;
  out.batch_interval_s =
      lambda_batch_interval(candidate, opt.speed.warmup_s, opt.speed.duration_s, opt.batch_interval_s, out.interval_reason);
  out.full_history = candidate.batch.full_history;

  // The broker: started here, so that the batch reader and the speed view
  // can reach the speed layer's topics while run_kappa runs.
  const int partitions = candidate.broker.partitions;
  const std::string in_topic = fmt::format("{}.{}.in", opt.speed.topic_prefix, candidate.name);
  const std::string out_topic = fmt::format("{}.{}.out", opt.speed.topic_prefix, candidate.name);
  EmbeddedCluster cluster(candidate.broker.count);
  cluster.create_topic(in_topic, partitions, candidate.broker.replication_factor);
  cluster.create_topic(out_topic, partitions, candidate.broker.replication_factor);
  const std::string bootstrap = cluster.bootstrap_servers();

  BatchReader batch;
  batch.bootstrap = bootstrap;
  batch.topic = in_topic;
  batch.group = fmt::format("{}.{}.batch", opt.speed.topic_prefix, candidate.name);
  batch.partitions = partitions;
  batch.interval_us = us_of(out.batch_interval_s);
  batch.full_history = out.full_history;
  batch.anchor_us = run_clock_us();
  SpeedView speed_view;
  speed_view.bootstrap = bootstrap;
  speed_view.topic = out_topic;
  speed_view.group = fmt::format("{}.{}.speedview", opt.speed.topic_prefix, candidate.name);
  speed_view.partitions = partitions;
  std::thread batch_thread([&batch] { batch.run(); });
  std::thread view_thread([&speed_view] { speed_view.run(); });
  struct Join {
    BatchReader& b;
    SpeedView& v;
    std::thread& bt;
    std::thread& vt;
    ~Join() {
      b.abandon.store(true);
      v.stop.store(true);
      if (bt.joinable()) bt.join();
      if (vt.joinable()) vt.join();
    }
  } join{batch, speed_view, batch_thread, view_thread};

  KappaRunOptions so = opt.speed;
  so.bootstrap_servers = bootstrap;
  Candidate speed = candidate;
  speed.kind = "kappa";
  out.speed = run_kappa(scenario, speed, so);
  const uint64_t acked = out.speed.delivery.acked;

  // The last views: the batch reader goes on, on its schedule, until a view
  // holds every acknowledged event; the speed view until it has them all.
  const int64_t deadline = run_clock_us() + 2 * batch.interval_us + 10'000'000;
  batch.deadline_us.store(deadline);
  batch.target.store(acked);
  batch_thread.join();
  while (speed_view.events.load() < acked && run_clock_us() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  speed_view.stop.store(true);
  view_thread.join();
  if (!batch.error.empty()) throw KafkaError("batch reader: " + batch.error);
  if (!speed_view.error.empty()) throw KafkaError("speed view: " + speed_view.error);

  // Compare the views.
  out.runs = batch.runs;
  out.view_events = batch.view_events;
  out.speed_events = speed_view.events.load();
  out.keys = batch.view.size();
  for (const auto& [key, agg] : batch.view) {
    const auto it = speed_view.view.find(key);
    if (it == speed_view.view.end() || !(it->second == agg)) ++out.mismatched_keys;
  }
  for (const auto& [key, agg] : speed_view.view)
    if (batch.view.find(key) == batch.view.end()) ++out.mismatched_keys;
  out.aggregate_matches = out.mismatched_keys == 0 && out.view_events == acked && out.speed_events == acked;

  // Accuracy latency over the measured window (by intended send time).
  const double warm = so.warmup_s, dur = so.duration_s;
  LogHistogram accuracy;
  for (const auto& [intended, published] : batch.included) {
    const double t = static_cast<double>(intended - out.speed.t0_us) * 1e-6;
    if (published == 0 || t < warm || t >= warm + dur) continue;
    accuracy.record(static_cast<double>(published - intended) * 1e-6);
  }
  out.accuracy_max_s = accuracy.max();
  CandidateResult& r = out.speed.result;
  out.produce_ack_max_s = r.produce_ack.max_s;
  r.kind = "lambda";
  r.accuracy_latency = histogram_summary(accuracy);
  BatchLayerSummary& bl = r.batch_layer;
  bl.runs = out.runs.size();
  bl.interval_s = out.batch_interval_s;
  double sum = 0;
  for (const BatchViewRun& run : out.runs) {
    const double d = run.published_s - run.started_s;
    sum += d;
    out.run_max_s = std::max(out.run_max_s, d);
    bl.max_start_delay_s = std::max(bl.max_start_delay_s, run.started_s - run.scheduled_s);
  }
  bl.mean_run_s = out.runs.empty() ? 0 : sum / static_cast<double>(out.runs.size());
  bl.max_run_s = out.run_max_s;
  bl.keeps_up = out.run_max_s < out.batch_interval_s;

  // The speed layer ran against "an external cluster" (this one): say what it was.
  out.speed.broker = fmt::format("embedded mock cluster (librdkafka {}, {} brokers) at {}", rd_kafka_version_str(),
                                 candidate.broker.count, bootstrap);
  for (std::string& n : r.notes)
    if (n.rfind("broker: external cluster at", 0) == 0) n = "broker: " + out.speed.broker;
  for (const std::string& limit : EmbeddedCluster::known_limits()) r.notes.push_back(limit);
  r.notes.push_back(out.interval_reason);
  r.notes.push_back(fmt::format(
      "batch layer: every {} a reader cuts {} at its end offsets, reads {} up to the cut, aggregates events and "
      "payload bytes per key, and publishes the view; accuracy latency = intended send -> publication of the first "
      "view holding the event; {} runs, mean {} and longest {} from cut to publication",
      format_duration(out.batch_interval_s), in_topic, out.full_history ? "the whole topic" : "what is new since the last cut",
      out.runs.size(), format_duration(bl.mean_run_s), format_duration(out.run_max_s)));
  r.notes.push_back(fmt::format(
      "batch view vs speed view: {} of {} acknowledged events in the last batch view, {} in the speed view (output "
      "topic), {} keys, {} keys differ: {}",
      out.view_events, acked, out.speed_events, out.keys, out.mismatched_keys,
      out.aggregate_matches ? "the aggregates match" : "MISMATCH"));
  Verdict v;
  v.requirement = "batch view equals the speed view (measured)";
  v.target = 0;
  v.value = static_cast<double>(out.mismatched_keys + (acked - std::min(acked, out.view_events)));
  v.unit = "keys and events";
  v.pass = out.aggregate_matches;
  v.headroom = v.pass ? 1 : -1;
  v.text = fmt::format("batch view {} events / speed view {} events / {} acknowledged, {} keys differ: {}",
                       out.view_events, out.speed_events, acked, out.mismatched_keys, v.pass ? "PASS" : "FAIL");
  r.verdicts.push_back(v);
  r.meets_all = r.meets_all && v.pass;
  return out;
}

}  // namespace archsim
