// KappaRunner: the open-loop producer, processor and sink threads of a real
// Kappa run, their delivery bookkeeping and the measured CandidateResult.
#include "archsim/kappa_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "archsim/broker_thread.hpp"
#include "archsim/delivery_semantics.hpp"
#include "archsim/embedded_cluster.hpp"
#include "archsim/exactly_once_result.hpp"
#include "archsim/histogram_summary.hpp"
#include "archsim/fault_injector.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/kafka_probes.hpp"
#include "archsim/latency_recorder.hpp"
#include "archsim/latency_time_series.hpp"
#include "archsim/log_histogram.hpp"
#include "archsim/read_committed_filter.hpp"
#include "archsim/restartable_consumer.hpp"
#include "archsim/rng.hpp"
#include "archsim/run_payload.hpp"
#include "archsim/thread_cpu.hpp"
#include "archsim/transaction_outcomes.hpp"
#include "archsim/transactional_processor.hpp"
#include "archsim/units.hpp"
#include "archsim/workload_generator.hpp"

namespace archsim {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kHeaderBytes = kRunPayloadHeaderBytes;  // run id, sequence, intended send time (µs)
constexpr double kMaxPayloadBytes = 1000000;  // librdkafka's default message.max.bytes
constexpr int kMaxSources = 64;               // generators merged by the producer thread
constexpr double kMaxFetchWaitS = 10e-3;      // cap of fetch.wait.max.ms (the mock holds empty fetches)

using Payload = RunPayload;
void write_header(char* buf, const Payload& p) { write_run_payload(buf, p); }
bool read_header(const rd_kafka_message_t* m, uint64_t run_id, Payload& p) { return read_run_payload(m, run_id, p); }


/// Latency of events whose intended time falls in the measured window.
class WindowRecorder {
 public:
  WindowRecorder(const MeasuredWindow& w, int batches)
      : window_(w), recorder_(w.warmup_s, w.duration_s / batches, batches) {}
  void record(int64_t intended_us, int64_t at_us) {
    if (!window_.measured(intended_us)) return;
    recorder_.record(window_.since_start_s(intended_us), static_cast<double>(at_us - intended_us) * 1e-6);
  }
  const LatencyRecorder& recorder() const { return recorder_; }

 private:
  MeasuredWindow window_;
  LatencyRecorder recorder_;
};

/// State of the producer thread, also reached from its delivery reports.
struct ProducerState {
  MeasuredWindow window;
  WindowRecorder publish_delay;
  WindowRecorder produce_ack;
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> acked{0};
  std::atomic<uint64_t> errors{0};
  uint64_t offered_in_window = 0;
  std::string first_error;
  ProducerState(const MeasuredWindow& w, int batches) : window(w), publish_delay(w, batches), produce_ack(w, batches) {}
};

void producer_delivery_report(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* st = static_cast<ProducerState*>(opaque);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (st->errors.fetch_add(1) == 0) st->first_error = rd_kafka_err2str(m->err);
    return;
  }
  st->acked.fetch_add(1, std::memory_order_relaxed);
  const auto intended = static_cast<int64_t>(reinterpret_cast<uintptr_t>(m->_private));
  st->produce_ack.record(intended, run_clock_us());
}

/// State of the sink thread: distinct sequence numbers and end-to-end latency.
struct SinkState {
  WindowRecorder end_to_end;
  std::vector<LogHistogram> per_second;  ///< end-to-end latency by intended second since t0
  std::vector<uint8_t> seen;
  std::atomic<uint64_t> received{0};
  uint64_t duplicated = 0;
  uint64_t foreign = 0;
  uint64_t received_in_window = 0;  ///< distinct events received during the measured window
  bool keep_receipt_times = false;  ///< exactly-once: first receipt of each sequence number, for read_committed visibility
  std::vector<int64_t> first_at_us;
  /// Exactly-once: read_committed done by the sink (the embedded broker
  /// hands it open and aborted transactions' records); null otherwise.
  std::unique_ptr<ReadCommittedFilter> filter;
  uint64_t reread = 0;              ///< exactly-once: copies read again after the sink's restart (not duplicates)
  std::string fatal;                ///< why the sink stopped early (a failed consumer restart)
  SinkState(const MeasuredWindow& w, int batches) : end_to_end(w, batches) {}
};

/// Counts of one processor thread.
struct ProcessorState {
  LogHistogram receive_latency;  // seconds, measured window only
  uint64_t forwarded = 0;
  uint64_t foreign = 0;
  uint64_t produce_retries = 0;
};

std::string ms_text(double seconds) { return fmt::format("{:g}", seconds * 1e3); }

void spin_for(double seconds) {
  if (seconds <= 0) return;
  const auto until = Clock::now() + std::chrono::nanoseconds(static_cast<int64_t>(seconds * 1e9));
  while (Clock::now() < until) {
  }
}

/// Produces one message, waiting (and serving delivery reports) while the
/// local queue is full. Returns false only on a non-retriable error.
bool produce(rd_kafka_t* rk, const std::string& topic, const std::string& key, const char* value, size_t len,
             int64_t intended_us, uint64_t* retries, std::string* error) {
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value), len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<uintptr_t>(intended_us))), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      *error = rd_kafka_err2str(err);
      return false;
    }
    if (retries != nullptr) ++*retries;
    rd_kafka_poll(rk, 1);
  }
}

/// The producer thread: merges the sources' arrival processes and sends
/// each event at its intended time (or as soon as it can when late).
void run_producer(rd_kafka_t* rk, const std::string& topic, const Scenario& scenario, double rate_eps,
                  int sources, uint64_t run_id, ProducerState& st, std::atomic<uint64_t>& sink_received,
                  double& max_lag, std::string& fatal) {
  const Workload& wl = scenario.workload;
  const KeySampler keys(wl.key_cardinality, wl.key_skew);
  std::vector<WorkloadGenerator> gens;
  std::vector<GeneratedEvent> next;
  gens.reserve(static_cast<size_t>(sources));
  for (int i = 0; i < sources; ++i) {
    gens.emplace_back(wl, rate_eps / sources, keys, Rng(scenario.simulation.seed, fmt::format("real/source/{}", i)),
                      scenario.simulation.start_at_s);
    next.push_back(gens.back().next());
  }
  const double end_s = st.window.warmup_s + st.window.duration_s;
  std::vector<char> buf(kHeaderBytes);
  int64_t next_lag_sample_us = st.window.t0_us;
  uint64_t seq = 0;
  for (;;) {
    throw_if_interrupted();  // Ctrl-C: the caller's guards stop and join every thread
    const auto it = std::min_element(next.begin(), next.end(),
                                     [](const GeneratedEvent& a, const GeneratedEvent& b) { return a.time_s < b.time_s; });
    const GeneratedEvent ev = *it;
    *it = gens[static_cast<size_t>(it - next.begin())].next();
    if (ev.time_s >= end_s) break;
    const int64_t intended = st.window.t0_us + static_cast<int64_t>(ev.time_s * 1e6);
    // Wait for the intended time, serving delivery reports meanwhile.
    for (int64_t now = run_clock_us(); now < intended; now = run_clock_us()) {
      throw_if_interrupted();
      if (intended - now > 1500) {
        rd_kafka_poll(rk, 1);
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(intended - now));
      }
    }
    const double bytes = std::clamp(std::round(ev.bytes), static_cast<double>(kHeaderBytes), kMaxPayloadBytes);
    buf.resize(static_cast<size_t>(bytes));
    write_header(buf.data(), Payload{run_id, seq, intended});
    const std::string key = std::to_string(ev.key);
    if (!produce(rk, topic, key, buf.data(), buf.size(), intended, nullptr, &fatal)) return;
    const int64_t sent_at = run_clock_us();
    st.publish_delay.record(intended, sent_at);
    if (st.window.measured(intended)) ++st.offered_in_window;
    ++seq;
    st.sent.store(seq, std::memory_order_relaxed);
    rd_kafka_poll(rk, 0);
    if (sent_at >= next_lag_sample_us) {
      const double lag = static_cast<double>(seq) - static_cast<double>(sink_received.load());
      max_lag = std::max(max_lag, lag);
      next_lag_sample_us = sent_at + 100000;
    }
  }
}

/// A processor thread: consume the input partitions assigned to it, spin
/// the per-event CPU, forward the payload unchanged to the output topic.
void run_processor(RestartableConsumer& consumer, rd_kafka_t* out, const std::string& out_topic, uint64_t run_id,
                   double cpu_per_event_s, const MeasuredWindow& window, const std::atomic<bool>& stop, ProcessorState& st,
                   std::string& fatal) {
  while (!stop.load()) {
    if (!consumer.restart_if_requested()) {
      fatal = consumer.error();
      return;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 50);
    if (m == nullptr) continue;
    const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(m, rd_kafka_message_destroy);
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;  // transient fetch errors are retried by librdkafka
    const int64_t at = run_clock_us();
    Payload p{};
    if (!read_header(m, run_id, p)) {
      ++st.foreign;
      continue;
    }
    if (window.measured(p.intended_us)) st.receive_latency.record(static_cast<double>(at - p.intended_us) * 1e-6);
    spin_for(cpu_per_event_s);
    const std::string key(static_cast<const char*>(m->key), m->key == nullptr ? 0 : m->key_len);
    if (!produce(out, out_topic, key, static_cast<const char*>(m->payload), m->len, p.intended_us,
                 &st.produce_retries, &fatal))
      return;
    ++st.forwarded;
    consumer.processed(m->partition, m->offset);
    rd_kafka_poll(out, 0);
  }
}

/// The sink thread: read the output topic, count sequence numbers, record
/// end-to-end latency from the intended send time. Exactly-once (st.filter
/// set): records pass the read_committed filter first, and a copy read
/// again after the sink's own restart (an offset it had read before) is
/// counted as re-read, not duplicated: a duplicate is a second copy in the
/// topic's committed data. At-least-once counts every extra copy as a duplicate.
void run_sink(RestartableConsumer& consumer, uint64_t run_id, const MeasuredWindow& window, const std::atomic<bool>& stop,
              SinkState& st) {
  const ReadCommittedFilter::Deliver deliver = [&](const SinkRecord& r) {
    if (r.seq >= st.seen.size()) st.seen.resize(std::max<size_t>(r.seq + 1, st.seen.size() * 2), 0);
    if (st.seen[r.seq] != 0) {
      ++(r.reread ? st.reread : st.duplicated);
      return;
    }
    st.seen[r.seq] = 1;
    const int64_t at = r.received_us;
    if (st.keep_receipt_times) {
      if (r.seq >= st.first_at_us.size()) st.first_at_us.resize(st.seen.size(), 0);
      st.first_at_us[r.seq] = at;
    }
    st.received.fetch_add(1);
    if (window.measured(at)) ++st.received_in_window;  // delivered rate: by receive time, not intended time
    st.end_to_end.record(r.intended_us, at);
    const int64_t second = (r.intended_us - window.t0_us) / 1000000;
    if (second >= 0 && second < 100000) {
      if (static_cast<size_t>(second) >= st.per_second.size()) st.per_second.resize(static_cast<size_t>(second) + 1);
      st.per_second[static_cast<size_t>(second)].record(static_cast<double>(at - r.intended_us) * 1e-6);
    }
  };
  while (!stop.load()) {
    if (st.filter) st.filter->release(deliver);
    if (!consumer.restart_if_requested()) {
      st.fatal = consumer.error();
      return;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 50);
    if (m == nullptr) continue;
    const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(m, rd_kafka_message_destroy);
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    const int64_t at = run_clock_us();
    consumer.processed(m->partition, m->offset);
    Payload p{};
    if (!read_header(m, run_id, p) || p.seq > kRunMaxSeq) {
      ++st.foreign;
      continue;
    }
    const SinkRecord record{p.seq, p.intended_us, at, st.filter && consumer.rereading(m->partition, m->offset)};
    if (!st.filter) {
      deliver(record);
      continue;
    }
    const std::optional<uint64_t> txn = read_transaction_id(m);
    if (!txn) {
      ++st.foreign;  // not written by a transactional processor of this run
      continue;
    }
    st.filter->offer(*txn, record, deliver);
  }
  if (st.filter) st.filter->release(deliver);
}

/// Stops and joins the run's threads on every path out of run_kappa, so an
/// exception never leaves a joinable std::thread behind.
struct ThreadGuard {
  std::atomic<bool>& stop_processors;
  std::atomic<bool>& stop_sink;
  std::vector<std::thread>& processors;
  std::thread& sink;
  ~ThreadGuard() {
    stop_processors.store(true);
    for (std::thread& t : processors)
      if (t.joinable()) t.join();
    stop_sink.store(true);
    if (sink.joinable()) sink.join();
  }
};

/// A latency summary without confidence intervals (lo = hi = value).
LatencySummary summary_of(const LogHistogram& h) { return histogram_summary(h); }

Verdict latency_verdict(const std::string& name, double target_s, double value_s) {
  Verdict v;
  v.requirement = name + " latency (measured, scaled load)";
  v.target = target_s;
  v.value = value_s;
  v.unit = "s";
  v.pass = value_s <= target_s;
  v.headroom = target_s > 0 ? (target_s - value_s) / target_s : 0;
  v.text = fmt::format("{} {} vs target {}: {}, {:.0f}% headroom", name, format_duration(value_s),
                       format_duration(target_s), v.pass ? "PASS" : "FAIL", v.headroom * 100);
  return v;
}

Verdict delivery_verdict(const DeliveryCounts& d) {
  Verdict v;
  v.requirement = "delivery (measured: every event exactly once)";
  v.target = 0;
  v.value = static_cast<double>(d.lost + d.duplicated);
  v.unit = "events";
  v.pass = d.lost == 0 && d.duplicated == 0 && d.produce_errors == 0;
  v.headroom = v.pass ? 1 : -1;
  v.text = fmt::format("{} events sent, {} received, {} lost, {} duplicated: {}", d.sent, d.received, d.lost,
                       d.duplicated, v.pass ? "PASS" : "FAIL");
  return v;
}

/// The leader broker id of `topic` partition `partition`, from metadata.
int leader_of(rd_kafka_t* rk, const std::string& topic, int partition, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw BrokerUnreachable(fmt::format("metadata: {}", rd_kafka_err2str(err)));
  int leader = -1;
  for (int i = 0; i < md->topic_cnt; ++i)
    if (topic == md->topics[i].topic)
      for (int p = 0; p < md->topics[i].partition_cnt; ++p)
        if (md->topics[i].partitions[p].id == partition) leader = md->topics[i].partitions[p].leader;
  rd_kafka_metadata_destroy(md);
  if (leader < 0) throw KafkaError(fmt::format("no leader known for {} partition {}", topic, partition));
  return leader;
}

uint64_t make_run_id() {
  return mix64(static_cast<uint64_t>(run_clock_us()) ^ (static_cast<uint64_t>(::getpid()) << 32));
}

}  // namespace

RateChoice choose_rate(const Scenario& scenario, std::optional<double> rate_eps, std::optional<double> rate_scale) {
  const double full = scenario.workload.rate_eps;
  if (rate_eps && rate_scale) throw std::invalid_argument("--rate and --rate-scale: give one of them, not both");
  RateChoice c;
  if (rate_eps) {
    if (!(*rate_eps > 0) || !std::isfinite(*rate_eps))
      throw std::invalid_argument(fmt::format("--rate {}: expected a positive number of events per second", *rate_eps));
    c.rate_eps = *rate_eps;
    c.scale = c.rate_eps / full;
    c.reason = fmt::format("rate set by --rate: {:.0f} ev/s, {:.4g} x the scenario's {:.0f} ev/s", c.rate_eps,
                           c.scale, full);
  } else if (rate_scale) {
    if (!(*rate_scale > 0) || !std::isfinite(*rate_scale))
      throw std::invalid_argument(fmt::format("--rate-scale {}: expected a positive factor", *rate_scale));
    c.scale = *rate_scale;
    c.rate_eps = full * c.scale;
    c.reason = fmt::format("rate scaled by --rate-scale {:.4g}: {:.0f} ev/s of the scenario's {:.0f} ev/s", c.scale,
                           c.rate_eps, full);
  } else if (full > kDefaultMaxRealRateEps) {
    c.rate_eps = kDefaultMaxRealRateEps;
    c.scale = c.rate_eps / full;
    c.reason = fmt::format(
        "rate scaled by {:.4g} to fit this machine: {:.0f} ev/s of the scenario's {:.0f} ev/s (default cap {:.0f} "
        "ev/s; set --rate or --rate-scale)",
        c.scale, c.rate_eps, full, kDefaultMaxRealRateEps);
  } else {
    c.rate_eps = full;
    c.scale = 1;
    c.reason = fmt::format("rate not scaled: the scenario's {:.0f} ev/s", full);
  }
  return c;
}

namespace {

/// The producer settings of a run: the candidate's batching, then the
/// settings the measurement depends on (idempotence, acks=all, no compression).
struct ProducerSettings {
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<std::pair<std::string, std::string>> forced;
};

/// reconnect.backoff.max.ms of every client of a run. librdkafka's default
/// (10 s) doubles the wait after each refused reconnect, so a client that
/// tried while a broker was down for 3 s could wait ~6 s more after it came
/// back: consumers then stalled past the end of the run and their
/// partitions' events were counted lost (realrunners.broker_down_exactly_once
/// failed ~1 run in 15). With 1 s the recovery the Result shows is the
/// broker's, not the client's backoff schedule; a user's properties file can
/// still set another value.
constexpr int kReconnectBackoffMaxMs = 1000;

ProducerSettings producer_settings(const ProducerConfig& pc, std::chrono::milliseconds connect_timeout,
                                   std::chrono::milliseconds message_timeout = std::chrono::milliseconds(20000)) {
  return {{
              {"linger.ms", ms_text(pc.linger_s)},
              {"batch.size", fmt::format("{:.0f}", std::clamp(pc.batch_size_bytes, 1.0, 2147483647.0))},
              {"max.in.flight.requests.per.connection", std::to_string(runner_max_in_flight(pc))},
              {"queue.buffering.max.messages", "1000000"},
              {"message.timeout.ms", std::to_string(message_timeout.count())},
              {"socket.connection.setup.timeout.ms", std::to_string(connect_timeout.count())},
              {"reconnect.backoff.max.ms", std::to_string(kReconnectBackoffMaxMs)},
          },
          {{"enable.idempotence", "true"}, {"acks", "all"}, {"compression.type", "none"}}};
}

}  // namespace

ProducePathProbe probe_runner_produce(const Scenario& scenario, const Candidate& candidate,
                                      const std::string& bootstrap_servers, const std::string& topic,
                                      uint64_t events) {
  if (events == 0) throw std::invalid_argument("probe_runner_produce: expected 1 or more events");
  // Every intended time falls in the first moments of the run, so the
  // open-loop producer is always late and sends as fast as it can.
  constexpr double kFloodRateEps = 1e9;
  const MeasuredWindow window{0, 0, static_cast<double>(events) / kFloodRateEps};
  auto state = std::make_unique<ProducerState>(window, 1);
  const ProducerSettings ps = producer_settings(candidate.producer, std::chrono::milliseconds(5000));
  KafkaHandle producer = make_client(
      RD_KAFKA_PRODUCER, {bootstrap_servers, ps.settings, nullptr, ps.forced, producer_delivery_report, state.get()});
  check_reachable(producer.get(), bootstrap_servers, std::chrono::milliseconds(5000));
  MeasuredWindow w = window;
  w.t0_us = run_clock_us();
  state->window = w;
  state->publish_delay = WindowRecorder(w, 1);
  state->produce_ack = WindowRecorder(w, 1);
  std::atomic<uint64_t> no_sink{0};
  double max_lag = 0;
  std::string error;
  const double cpu0 = process_cpu_s();
  const auto start = Clock::now();
  run_producer(producer.get(), topic, scenario, kFloodRateEps, std::clamp(scenario.workload.sources, 1, kMaxSources),
               make_run_id(), *state, no_sink, max_lag, error);
  rd_kafka_flush(producer.get(), 30000);
  ProducePathProbe p;
  p.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  p.cpu_s = process_cpu_s() - cpu0;
  if (!error.empty()) throw KafkaError(fmt::format("runner produce probe on {}: {}", topic, error));
  p.events = state->acked.load();
  p.errors = state->errors.load();
  p.eps = static_cast<double>(p.events) / p.wall_s;
  return p;
}

KappaRunOutcome run_kappa(const Scenario& scenario, const Candidate& candidate, const KappaRunOptions& opt) {
  if (candidate.kind != "kappa")
    throw std::invalid_argument(fmt::format("candidate {}: real runs support kind \"kappa\" only, found \"{}\"",
                                            candidate.name, candidate.kind));
  if (!(opt.duration_s > 0)) throw std::invalid_argument("--duration: expected a positive duration");
  if (!(opt.warmup_s >= 0)) throw std::invalid_argument("warm-up: expected zero or more seconds");
  if (!(opt.rate.rate_eps > 0)) throw std::invalid_argument("rate: expected a positive rate");
  if (opt.batches < 1) throw std::invalid_argument("batches: expected 1 or more");
  if (opt.injected_rtt_ms < 0) throw std::invalid_argument("--inject-rtt: expected 0 or more milliseconds");
  if (!opt.bootstrap_servers.empty() &&
      (opt.injected_rtt_ms > 0 || !opt.faults.empty() || opt.request_error_fraction > 0))
    throw std::invalid_argument(
        "--inject-rtt, --broker-down and --request-errors need the embedded broker: they act through the mock "
        "cluster's API, which an external cluster does not have");
  for (const BrokerFault& f : opt.faults)
    if (!(f.at_s >= 0) || !(f.duration_s > 0) ||
        (f.broker_id != kLeaderBroker && f.broker_id != kAllBrokers &&
         (f.broker_id < 1 || f.broker_id > candidate.broker.count)))
      throw std::invalid_argument(fmt::format(
          "--broker-down: expected a start >= 0 s, a duration > 0 s and a broker id 1..{} (or the leader, or all), "
          "found start {} s, duration {} s, broker {}",
          candidate.broker.count, f.at_s, f.duration_s, f.broker_id));
  if (opt.request_error_fraction != 0 && !(opt.request_error_fraction > 0 && opt.request_error_fraction <= 0.5))
    throw std::invalid_argument(fmt::format("--request-errors: expected a share of requests in (0%, 50%], found {}%",
                                            opt.request_error_fraction * 100));
  for (const ConsumerRestart& cr : opt.restarts)
    if (!(cr.at_s >= 0) || !std::isfinite(cr.at_s))
      throw std::invalid_argument(fmt::format("--restart-consumer: expected a time >= 0 s, found {} s", cr.at_s));
  if (!opt.restarts.empty() && !(opt.commit_interval.count() > 0))
    throw std::invalid_argument("consumer restarts need a commit interval > 0 ms");
  if (!(opt.message_timeout.count() > 0)) throw std::invalid_argument("message timeout: expected more than 0 ms");
  auto log = [&](const std::string& line) {
    if (opt.log) opt.log(line);
  };
  const auto wall_start = Clock::now();
  KappaRunOutcome outcome;
  CandidateResult& r = outcome.result;
  r.name = candidate.name + " (measured)";
  r.kind = candidate.kind;
  r.source = "measured";
  r.notes.push_back(opt.rate.reason);

  const int partitions = candidate.broker.partitions;
  const std::string in_topic = fmt::format("{}.{}.in", opt.topic_prefix, candidate.name);
  const std::string out_topic = fmt::format("{}.{}.out", opt.topic_prefix, candidate.name);

  // The broker: embedded (started here, with the candidate's topics) or external.
  std::unique_ptr<EmbeddedCluster> embedded;
  std::string bootstrap = opt.bootstrap_servers;
  if (bootstrap.empty()) {
    embedded = std::make_unique<EmbeddedCluster>(candidate.broker.count);
    embedded->create_topic(in_topic, partitions, candidate.broker.replication_factor);
    embedded->create_topic(out_topic, partitions, candidate.broker.replication_factor);
    bootstrap = embedded->bootstrap_servers();
    outcome.broker = fmt::format("embedded mock cluster (librdkafka {}, {} brokers) at {}", rd_kafka_version_str(),
                                 candidate.broker.count, bootstrap);
    for (const std::string& limit : EmbeddedCluster::known_limits()) r.notes.push_back(limit);
    if (opt.injected_rtt_ms > 0) {
      for (int b = 1; b <= candidate.broker.count; ++b) embedded->set_broker_rtt(b, opt.injected_rtt_ms);
      r.notes.push_back(fmt::format("injected: every embedded broker delays each response by {} ms "
                                    "(rd_kafka_mock_broker_set_rtt)",
                                    opt.injected_rtt_ms));
    }
  } else {
    outcome.broker = fmt::format("external cluster at {}", bootstrap);
  }
  r.notes.push_back("broker: " + outcome.broker);
  log(fmt::format("broker: {}", outcome.broker));

  // Client settings from the candidate.
  const ProducerConfig& pc = candidate.producer;
  ProducerSettings psettings = producer_settings(pc, opt.connect_timeout, opt.message_timeout);
  if (opt.request_error_fraction > 0 &&
      std::find(opt.request_error_apis.begin(), opt.request_error_apis.end(), 0) != opt.request_error_apis.end()) {
    // The mock does not check an idempotent producer's sequence numbers: a
    // failed request overtaken by a later one that succeeds is then treated as
    // delivered by librdkafka (a real broker would reject the later one with
    // OUT_OF_ORDER_SEQUENCE_NUMBER) and its events are lost. One request in
    // flight keeps retries in order.
    psettings.forced.emplace_back("max.in.flight.requests.per.connection", "1");
    r.notes.push_back(
        "producers: max.in.flight.requests.per.connection=1 while Produce requests fail on purpose: the embedded "
        "broker does not check idempotent sequence numbers, so with more requests in flight a failed request "
        "overtaken by a successful one can be lost although librdkafka reports it delivered; a real broker rejects "
        "the overtaking request instead");
  }
  if (pc.acks != Acks::all)
    r.notes.push_back(fmt::format("producer: the candidate asks acks={}, but the idempotent producer needs "
                                  "acks=all, which was used (the embedded broker does not act on acks anyway)",
                                  pc.acks == Acks::none ? "0" : "1"));
  if (pc.compression_ratio < 1)
    r.notes.push_back("producer: compression.type=none was used; the candidate's compression ratio is not applied");
  const double fetch_wait_s = std::min(candidate.consumer.fetch_wait_max_s, kMaxFetchWaitS);
  const std::vector<std::pair<std::string, std::string>> consumer_settings = {
      {"fetch.wait.max.ms", std::to_string(std::max(1L, std::lround(fetch_wait_s * 1e3)))},
      {"fetch.min.bytes", fmt::format("{:.0f}", std::max(1.0, candidate.consumer.fetch_min_bytes))},
      // assign() needs a group id; no group is joined and no offset is committed.
      {"group.id", fmt::format("{}.{}.check", opt.topic_prefix, candidate.name)},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "false"},
      {"isolation.level", "read_committed"},  // librdkafka's default too; exactly-once depends on it
      {"socket.connection.setup.timeout.ms", std::to_string(opt.connect_timeout.count())},
      {"reconnect.backoff.max.ms", std::to_string(kReconnectBackoffMaxMs)},
  };
  if (candidate.consumer.fetch_wait_max_s > kMaxFetchWaitS)
    r.notes.push_back(fmt::format(
        "consumers: fetch.wait.max.ms capped at {} ms (the candidate asks {} ms) because an empty fetch is held for "
        "the full wait; the local twin simulates this value, --platform catalog the candidate's",
        ms_text(kMaxFetchWaitS), ms_text(candidate.consumer.fetch_wait_max_s)));
  r.notes.push_back(fmt::format("producer: linger.ms={}, batch.size={:.0f}, enable.idempotence=true, acks=all, "
                                "compression none; consumers: fetch.wait.max.ms={}; all clients: "
                                "reconnect.backoff.max.ms={} (librdkafka's default 10 s would let a client's backoff, "
                                "not the broker, decide when it recovers from a broker outage)",
                                ms_text(pc.linger_s), pc.batch_size_bytes, ms_text(fetch_wait_s), kReconnectBackoffMaxMs));

  const KafkaProperties* props = opt.properties.empty() ? nullptr : &opt.properties;
  const MeasuredWindow window0{0, opt.warmup_s, opt.duration_s};
  auto producer_state = std::make_unique<ProducerState>(window0, opt.batches);
  ClientSettings ps{bootstrap, psettings.settings, props, psettings.forced, producer_delivery_report,
                    producer_state.get()};
  KafkaHandle producer = make_client(RD_KAFKA_PRODUCER, ps);
  const int brokers_seen = check_reachable(producer.get(), bootstrap, opt.connect_timeout);
  log(fmt::format("connected: {} broker{} in the metadata", brokers_seen, brokers_seen == 1 ? "" : "s"));

  // Topics: the embedded cluster has them; an external one may need them created.
  if (!embedded) {
    for (const std::string& topic : {in_topic, out_topic}) {
      const int have = partition_count(producer.get(), topic, opt.connect_timeout);
      if (have == 0) {
        const int rf = std::min(candidate.broker.replication_factor, brokers_seen);
        log(fmt::format("topic {} is missing: creating it with the admin API ({} partitions, replication {})", topic,
                        partitions, rf));
        create_topic_with_admin_api(producer.get(), topic, partitions, rf, opt.connect_timeout);
        r.notes.push_back(fmt::format("topic {} was missing and was created ({} partitions, replication {})", topic,
                                      partitions, rf));
      } else if (have != partitions) {
        r.notes.push_back(fmt::format("topic {} exists with {} partitions (the candidate asks {}); used as it is",
                                      topic, have, partitions));
      }
    }
  }
  const int in_partitions = embedded ? partitions : partition_count(producer.get(), in_topic, opt.connect_timeout);
  const int out_partitions = embedded ? partitions : partition_count(producer.get(), out_topic, opt.connect_timeout);

  // Consumers start at the current end of each partition, so earlier runs'
  // messages are skipped; the run id in every payload guards the rest.
  const std::vector<int64_t> in_offsets = high_watermarks(producer.get(), in_topic, in_partitions, opt.connect_timeout);
  const std::vector<int64_t> out_offsets =
      high_watermarks(producer.get(), out_topic, out_partitions, opt.connect_timeout);

  const ProcessingConfig& proc = candidate.processing;
  const int processors = std::clamp(std::min(proc.parallelism, in_partitions), 1,
                                    std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  const double cpu_s = std::min(proc.cpu_per_event_s, kRunMaxCpuPerEventS);
  outcome.processors = processors;
  outcome.fetch_wait_max_s = static_cast<double>(std::max(1L, std::lround(fetch_wait_s * 1e3))) * 1e-3;
  outcome.cpu_per_event_s = cpu_s;
  r.notes.push_back(fmt::format(
      "processor: {} thread{} (the candidate's parallelism {}, at most one per partition and per core here), each "
      "event spins {} of CPU{} and is forwarded unchanged; windows, keyed shuffles and the sink's write latency "
      "are not emulated in this milestone",
      processors, processors == 1 ? "" : "s", proc.parallelism, format_duration(cpu_s),
      proc.cpu_per_event_s > kRunMaxCpuPerEventS ? fmt::format(" (capped; the candidate asks {})",
                                                            format_duration(proc.cpu_per_event_s))
                                              : ""));

  KafkaHandle forward = make_client(RD_KAFKA_PRODUCER, {bootstrap, psettings.settings, props, psettings.forced});
  // Exactly-once: one transactional producer per processor thread.
  const DeliveryPlan plan = delivery_plan(scenario, candidate);
  const bool eos = plan.transactional;
  outcome.delivery_plan = plan;
  std::vector<KafkaHandle> txn_producers;
  std::vector<TransactionalProducerFactory> txn_factories;  // a restarted processor's new producer, same transactional.id
  if (eos) {
    for (int i = 0; i < processors; ++i) {
      auto txn_settings = psettings.forced;
      txn_settings.emplace_back("transactional.id", fmt::format("{}.{}.txn.{}", opt.topic_prefix, candidate.name, i));
      const ClientSettings settings{bootstrap, psettings.settings, props, txn_settings};
      txn_factories.emplace_back([settings] { return make_client(RD_KAFKA_PRODUCER, settings); });
      txn_producers.push_back(txn_factories.back()());
      init_transactional_producer(txn_producers.back().get(), opt.connect_timeout * 2);
    }
    log(fmt::format("exactly-once: {} transactional producer{} ready, commit every {}", processors,
                    processors == 1 ? "" : "s", format_duration(plan.commit_interval_s)));
  }
  note_delivery_plan(plan, eos, embedded != nullptr, r);
  // Consumers commit offsets only when one of their kind is restarted (the
  // restart resumes from them); otherwise no group offset is used.
  const auto restarted = [&](RestartedConsumer kind) {
    return std::any_of(opt.restarts.begin(), opt.restarts.end(),
                       [&](const ConsumerRestart& cr) { return cr.consumer == kind; });
  };
  const std::chrono::milliseconds no_commits{0};
  std::vector<std::unique_ptr<RestartableConsumer>> proc_consumers;
  for (int i = 0; i < processors; ++i)
    proc_consumers.push_back(std::make_unique<RestartableConsumer>(
        ClientSettings{bootstrap, consumer_settings, props, {}}, in_topic, in_offsets, i, processors,
        restarted(RestartedConsumer::processor) ? opt.commit_interval : no_commits));
  auto sink_consumer = std::make_unique<RestartableConsumer>(
      ClientSettings{bootstrap, consumer_settings, props, {}}, out_topic, out_offsets, 0, 1,
      restarted(RestartedConsumer::sink) ? opt.commit_interval : no_commits);
  if (!opt.restarts.empty() && !eos)
    r.notes.push_back(fmt::format(
        "consumer restarts: the restarted consumers commit the offsets of the events they handled, synchronously, "
        "every {} ms; a restart drops the consumer without a final commit (as a crash would) and re-creates it in "
        "the same group, resuming from the committed offsets: at-least-once, so events handled after the last "
        "commit are read again; a restarted processor forwards them twice unless it runs transactions (exactly-once)",
        opt.commit_interval.count()));
  if (!opt.restarts.empty() && eos)
    r.notes.push_back(fmt::format(
        "consumer restarts under exactly-once: a processor restart is a crash in the middle of its open "
        "transaction: what it produced is flushed to the log, the producer is dropped without ending the "
        "transaction, a new producer with the same transactional.id initialises (fencing the old one; the "
        "abandoned transaction counts as aborted) and the consumer is re-created in the same group, resuming from "
        "the offsets its last committed transaction sent, so the abandoned events are processed again in a new "
        "transaction; the sink's consumer commits its offsets every {} ms and a sink restart resumes from them, "
        "its re-read records recognised by offset (re-read, not duplicated){}",
        opt.commit_interval.count(),
        embedded && restarted(RestartedConsumer::processor)
            ? "; embedded broker only: librdkafka 2.0's mock cluster acknowledges the offsets a transaction sends "
              "(TxnOffsetCommit) but does not store them, so each processor also commits the same offsets with a "
              "plain OffsetCommit right after each transaction commit (on a real cluster the transaction's offsets "
              "are the authoritative ones and this step is skipped)"
            : ""));

  const int sources = std::clamp(scenario.workload.sources, 1, kMaxSources);
  if (scenario.workload.sources > kMaxSources)
    r.notes.push_back(fmt::format("producer: the scenario's {} sources are merged into {} arrival processes",
                                  scenario.workload.sources, kMaxSources));
  r.notes.push_back(fmt::format(
      "open loop: one producer thread sends each event at its intended time; latency counts from the intended time "
      "(microseconds, steady clock), so sending late shows as publish delay and end-to-end latency"));

  // Run: start the consumers, give them a moment to connect, then produce.
  const uint64_t run_id = make_run_id();
  std::atomic<bool> stop_processors{false}, stop_sink{false};
  std::vector<ProcessorState> proc_states(static_cast<size_t>(processors));
  std::vector<std::string> proc_errors(static_cast<size_t>(processors));
  MeasuredWindow window = window0;
  window.t0_us = run_clock_us() + 300000;  // consumers connect while the first events wait for their time
  outcome.t0_us = window.t0_us;
  producer_state->window = window;
  producer_state->publish_delay = WindowRecorder(window, opt.batches);
  producer_state->produce_ack = WindowRecorder(window, opt.batches);
  TransactionOutcomes txn_outcomes;  // written by the transactional processors, read by the sink
  SinkState sink(window, opt.batches);
  sink.keep_receipt_times = eos;
  if (eos) sink.filter = std::make_unique<ReadCommittedFilter>(txn_outcomes);
  std::vector<TransactionalProcessorStats> txn_states(eos ? static_cast<size_t>(processors) : 0);

  std::thread sink_thread(run_sink, std::ref(*sink_consumer), run_id, std::cref(window), std::cref(stop_sink),
                          std::ref(sink));
  std::vector<std::thread> proc_threads;
  const ThreadGuard guard{stop_processors, stop_sink, proc_threads, sink_thread};
  for (int i = 0; i < processors && eos; ++i) {
    TransactionalProcessorConfig tc;
    tc.out_topic = out_topic;
    tc.run_id = run_id;
    tc.cpu_per_event_s = cpu_s;
    tc.commit_interval_s = plan.commit_interval_s;
    tc.t0_us = window.t0_us;
    tc.warmup_s = window.warmup_s;
    tc.duration_s = window.duration_s;
    tc.index = i;
    tc.plain_offset_commit = embedded != nullptr && restarted(RestartedConsumer::processor);
    const auto n = static_cast<size_t>(i);
    proc_threads.emplace_back(run_transactional_processor, std::ref(*proc_consumers[n]), std::ref(txn_producers[n]),
                              std::cref(txn_factories[n]), std::ref(txn_outcomes), tc, std::cref(stop_processors),
                              std::ref(txn_states[n]), std::ref(proc_errors[n]));
  }
  for (int i = 0; i < processors && !eos; ++i)
    proc_threads.emplace_back(run_processor, std::ref(*proc_consumers[static_cast<size_t>(i)]), forward.get(),
                              std::cref(out_topic), run_id, cpu_s, std::cref(window), std::cref(stop_processors),
                              std::ref(proc_states[static_cast<size_t>(i)]), std::ref(proc_errors[static_cast<size_t>(i)]));
  log(fmt::format("running {:.0f} ev/s for {} s (after {} s warm-up) on {} -> {}", opt.rate.rate_eps, opt.duration_s,
                  opt.warmup_s, in_topic, out_topic));
  // Faults: one thread applies them at their times (FaultInjector).
  std::unique_ptr<FaultInjector> injector;
  if (!opt.faults.empty() || opt.request_error_fraction > 0 || !opt.restarts.empty()) {
    std::vector<BrokerFault> faults = opt.faults;
    for (BrokerFault& f : faults)
      if (f.broker_id == kLeaderBroker) f.broker_id = leader_of(producer.get(), in_topic, 0, opt.connect_timeout);
    RequestErrorPlan errors;
    errors.fraction = opt.request_error_fraction;
    errors.api_keys = opt.request_error_apis;
    const auto restart = [&](const ConsumerRestart& cr) {
      if (cr.consumer == RestartedConsumer::sink) {
        sink_consumer->request_restart();
      } else {
        for (auto& c : proc_consumers) c->request_restart();
      }
    };
    // Restarts alone work on an external cluster too (embedded is null then).
    injector = std::make_unique<FaultInjector>(embedded.get(), std::move(faults), errors, opt.restarts, restart,
                                               scenario.simulation.seed);
    injector->start(window.t0_us);
  }
  // The embedded broker stands for a broker on a machine of its own: the
  // clients' threads run at a lower priority (broker_thread.hpp). The lambda
  // runner starts the embedded cluster itself and passes its bootstrap list:
  // its mock thread is in this process all the same.
  const bool broker_in_process = embedded != nullptr || thread_cpu(kMockThreadName).has_value();
  if (broker_in_process) r.notes.push_back(serve_embedded_broker_first("the broker's I/O thread"));
  // The embedded broker's one I/O thread over the measured window: how busy,
  // and how long it waited for a CPU.
  BrokerThreadSampler broker_thread(broker_in_process, window);
  std::string producer_error;
  double max_lag = 0;
  run_producer(producer.get(), in_topic, scenario, opt.rate.rate_eps, sources, run_id, *producer_state, sink.received,
               max_lag, producer_error);
  const int64_t producer_done_us = run_clock_us();
  const std::optional<ThreadCpu> broker_cpu = broker_thread.finish();
  rd_kafka_flush(producer.get(), static_cast<int>(opt.drain_timeout_s * 1000));

  // Drain: wait until every acknowledged event reached the sink, or no
  // progress for 3 s, or the drain timeout.
  const int64_t drain_deadline = producer_done_us + static_cast<int64_t>(opt.drain_timeout_s * 1e6);
  uint64_t last_seen = sink.received.load();
  int64_t last_progress = run_clock_us();
  while (sink.received.load() < producer_state->acked.load() && run_clock_us() < drain_deadline &&
         run_clock_us() - last_progress < 3000000) {
    throw_if_interrupted();
    rd_kafka_poll(producer.get(), 10);
    const uint64_t got = sink.received.load();
    if (got != last_seen) {
      last_seen = got;
      last_progress = run_clock_us();
    }
  }
  stop_processors.store(true);
  for (std::thread& t : proc_threads) t.join();  // ThreadGuard joins them on an exception
  rd_kafka_flush(forward.get(), 5000);
  // Late duplicates still in flight get a last short chance to show up.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop_sink.store(true);
  sink_thread.join();
  DeliveryCounts& d = outcome.delivery;
  d.sent = producer_state->sent.load();
  d.acked = producer_state->acked.load();
  d.produce_errors = producer_state->errors.load();
  d.unknown = d.sent > d.acked + d.produce_errors ? d.sent - d.acked - d.produce_errors : 0;
  // Faults end with the run (brokers still down come back so that the clients close promptly).
  if (injector) injector->stop();
  // Records the broker appended twice: a producer that retries a request
  // whose answer was lost with its connection makes the broker append the
  // batch again unless it deduplicates idempotent producers (a real broker
  // does, the embedded one does not). The topics' offsets count them: the
  // input topic holds the acknowledged events plus such copies, the output
  // topic what the processors forwarded plus theirs. Only without foreign
  // records and transactions (whose commit markers take offsets too).
  uint64_t forwarded = 0;
  for (const ProcessorState& s : proc_states) forwarded += s.forwarded;
  const bool foreign_records = sink.foreign > 0 || std::any_of(proc_states.begin(), proc_states.end(),
                                                                [](const ProcessorState& s) { return s.foreign > 0; });
  if (!eos && !foreign_records) {
    try {
      const auto appended = [&](const std::string& topic, int parts, const std::vector<int64_t>& from) {
        const std::vector<int64_t> to = high_watermarks(producer.get(), topic, parts, opt.connect_timeout);
        int64_t n = 0;
        for (size_t p = 0; p < to.size() && p < from.size(); ++p) n += std::max<int64_t>(0, to[p] - from[p]);
        return static_cast<uint64_t>(n);
      };
      const uint64_t in_records = appended(in_topic, in_partitions, in_offsets);
      const uint64_t out_records = appended(out_topic, out_partitions, out_offsets);
      const uint64_t acked = producer_state->acked.load();
      d.appended_twice = (in_records > acked ? in_records - acked : 0) + (out_records > forwarded ? out_records - forwarded : 0);
    } catch (const KafkaError&) {
      // No offsets after the run: the copies stay uncounted (the explanation says "not explained").
    }
  }
  for (auto& c : proc_consumers) c->close();
  sink_consumer->close();

  for (const std::string& e : proc_errors)
    if (!e.empty()) throw KafkaError(fmt::format("processor could not produce to {}: {}", out_topic, e));
  if (!producer_error.empty())
    throw KafkaError(fmt::format("producer could not produce to {}: {}", in_topic, producer_error));
  if (!sink.fatal.empty()) throw KafkaError(fmt::format("sink consumer of {}: {}", out_topic, sink.fatal));
  if (injector && !injector->error().empty())
    throw KafkaError(fmt::format("fault injection on the embedded cluster failed: {}", injector->error()));

  d.received = sink.received.load();
  d.duplicated = sink.duplicated;
  d.foreign = sink.foreign;
  for (const ProcessorState& s : proc_states) d.foreign += s.foreign;
  for (const TransactionalProcessorStats& s : txn_states) d.foreign += s.foreign;
  d.lost = d.sent > d.received ? d.sent - d.received : 0;
  uint64_t processor_redelivered = 0;
  for (const auto& c : proc_consumers) processor_redelivered += c->redelivered();
  d.redelivered = processor_redelivered + sink_consumer->redelivered();

  r.end_to_end = sink.end_to_end.recorder().summary(opt.batches);
  r.stages.push_back({"publish delay", "actual minus intended send time (open-loop producer)",
                      producer_state->publish_delay.recorder().summary(opt.batches)});
  r.produce_ack = producer_state->produce_ack.recorder().summary(opt.batches);
  r.stages.push_back({"produce ack", "delivery report minus intended send time (input topic)", r.produce_ack});
  LogHistogram receive;
  for (const ProcessorState& s : proc_states) receive.merge(s.receive_latency);
  for (const TransactionalProcessorStats& s : txn_states) receive.merge(s.receive_latency);
  r.stages.push_back({"processor receive", "processor consumed the event, minus intended send time",
                      summary_of(receive)});
  // Exactly-once across restarts: what the processors abandoned and the sink filtered.
  uint64_t abandoned_events = 0, processor_restarts = 0, offset_commit_failures = 0;
  double longest_restart_s = 0;
  for (const TransactionalProcessorStats& s : txn_states) {
    abandoned_events += s.abandoned_events;
    processor_restarts += s.restarts;
    offset_commit_failures += s.offset_commit_failures;
    for (const double t : s.restart_s) longest_restart_s = std::max(longest_restart_s, t);
  }
  if (eos) {
    summarise_transactions(txn_states, sink.first_at_us, {window.t0_us, window.warmup_s, window.duration_s, opt.batches},
                           embedded != nullptr, outcome);
    outcome.aborted_records_dropped = sink.filter->dropped();
    r.notes.push_back(fmt::format(
        "exactly-once, read_committed at the sink: {} records of aborted transactions dropped, {} records of "
        "transactions still open when the run stopped (never visible, counted lost){}",
        sink.filter->dropped(), sink.filter->held(),
        embedded ? " (the embedded broker hands them to read_committed readers; the sink reads each record's "
                   "archsim-txn header and the processors' transaction outcomes instead)"
                 : ""));
    if (processor_restarts > 0)
      r.notes.push_back(fmt::format(
          "exactly-once processor restarts: {} (all processors), {} events of the abandoned transactions processed "
          "again, the longest restart took {} (the restart taken up -> the next transaction begun: new producer "
          "initialised, consumer re-created at its committed offsets){}",
          processor_restarts, abandoned_events, format_duration(longest_restart_s),
          offset_commit_failures > 0 ? fmt::format("; {} plain offset commits failed (retried with the next one)",
                                                   offset_commit_failures)
                                     : ""));
  }
  if (broker_cpu) {
    outcome.threads = record_run_threads(*broker_cpu, broker_thread, opt.duration_s, "embedded broker I/O thread", r);
  }
  r.offered_eps = static_cast<double>(producer_state->offered_in_window) / opt.duration_s;
  r.achieved_eps = static_cast<double>(sink.received_in_window) / opt.duration_s;
  r.max_consumer_lag_events = max_lag;
  r.simulated_s = opt.duration_s;
  r.warmup_s = opt.warmup_s;

  r.notes.push_back(fmt::format("delivery: {} events sent, {} acknowledged, {} produce errors{}, {} received at the "
                                "sink, lost {}, duplicated {}",
                                d.sent, d.acked, d.produce_errors,
                                producer_state->first_error.empty() ? "" : " (" + producer_state->first_error + ")",
                                d.received, d.lost, d.duplicated));
  MeasuredDelivery& md = r.measured_delivery;
  md.sent = d.sent;
  md.acked = d.acked;
  md.failed = d.produce_errors;
  md.unknown = d.unknown;
  md.received = d.received;
  md.lost = d.lost;
  md.duplicated = d.duplicated;
  md.redelivered = d.redelivered;
  md.appended_twice = d.appended_twice;
  std::vector<std::string> why;
  if (d.produce_errors > 0 || d.unknown > 0)
    why.push_back(fmt::format(
        "the broker acknowledged {} of {} events: {} failed ({}), {} unknown (no delivery report when the run "
        "stopped); message.timeout.ms is {} ms",
        d.acked, d.sent, d.produce_errors,
        producer_state->first_error.empty() ? "no error reported" : producer_state->first_error, d.unknown,
        opt.message_timeout.count()));
  if (d.lost > d.produce_errors + d.unknown)
    why.push_back(fmt::format("{} acknowledged events never reached the sink", d.lost - d.produce_errors - d.unknown));
  if (eos && (d.redelivered > 0 || d.duplicated > 0 || outcome.aborted_transactions > 0)) {
    why.push_back(fmt::format(
        "exactly-once: {} duplicates; {} events read again by restarted consumers: {} "
        "processed again by the restarted processors in new transactions (their first copies were in transactions "
        "abandoned at the restarts and aborted; {} transactions aborted in all), {} re-read by the restarted sink "
        "(offsets it had read before: re-read, not duplicated); the sink dropped {} records of aborted "
        "transactions{}",
        d.duplicated, d.redelivered, processor_redelivered, outcome.aborted_transactions,
        sink_consumer->redelivered(), outcome.aborted_records_dropped,
        d.duplicated > 0 ? fmt::format("; {} duplicates not explained", d.duplicated) : ""));
  } else if (d.redelivered > 0 || d.duplicated > 0) {
    const uint64_t explained = d.redelivered + d.appended_twice;
    why.push_back(fmt::format(
        "{} duplicates, {} explained by consumer restarts at-least-once ({} re-forwarded by restarted processors, "
        "{} re-read by the restarted sink: events handled after the last offset commit){}{}",
        d.duplicated, d.redelivered, processor_redelivered, sink_consumer->redelivered(),
        d.appended_twice > 0
            ? fmt::format(", {} appended twice by the broker on a producer retry{}", d.appended_twice,
                          embedded ? " (the embedded broker does not deduplicate idempotent producers' retries; a "
                                     "real broker would)"
                                   : "")
            : "",
        d.duplicated > explained ? fmt::format("; {} not explained", d.duplicated - explained) : ""));
  }
  for (const std::string& w : why) md.explanation += (md.explanation.empty() ? "" : "; ") + w;
  if (!md.explanation.empty()) r.notes.push_back("delivery explained: " + md.explanation);
  if (d.produce_errors > 0 || d.unknown > 0) outcome.failure = md.explanation;
  if (!outcome.failure.empty() && injector) {
    // Say which outage caused it, when one did.
    for (const FaultEvent& f : injector->timeline())
      if (f.fault == "all brokers down" || f.fault == "broker down")
        outcome.failure = fmt::format(
            "{} from t={:.2f} s {}; {}", f.fault == "all brokers down" ? "every broker was down" : f.target + " was down",
            f.start_s, f.lifted ? fmt::format("to t={:.2f} s", f.end_s) : std::string("until the run ended"),
            outcome.failure);
  }
  if (d.foreign > 0)
    r.notes.push_back(fmt::format("{} messages not written by this run were ignored", d.foreign));
  r.verdicts.push_back(delivery_verdict(d));
  for (size_t i = 0; i < sink.per_second.size(); ++i) {
    const LogHistogram& h = sink.per_second[i];
    if (h.count() == 0) continue;
    outcome.latency_over_time.push_back(
        {static_cast<int>(i), h.count(), h.quantile(0.5), h.quantile(0.99), h.max()});
  }
  // The same series as the Result's timeline, the shape simulated candidates
  // carry (at most LatencyTimeSeries::kMaxWindows windows of 1, 2 or 5 x 10^k
  // seconds), on the clock of the fault timeline: seconds since the first
  // intended send.
  const size_t seconds_per_window = static_cast<size_t>(
      std::max(1L, std::lround(LatencyTimeSeries::window_for(static_cast<double>(sink.per_second.size())))));
  r.timeline.source = "measured";
  r.timeline.basis = "measured run, by intended send time, from the first intended send (warm-up included)";
  r.timeline.window_s = static_cast<double>(seconds_per_window);
  for (size_t start = 0; start < sink.per_second.size(); start += seconds_per_window) {
    LogHistogram merged = sink.per_second[start];
    for (size_t i = start + 1; i < std::min(start + seconds_per_window, sink.per_second.size()); ++i) merged.merge(sink.per_second[i]);
    TimelinePoint p;
    p.t_s = static_cast<double>(start);
    p.count = merged.count();
    if (p.count > 0) p.p50_s = merged.quantile(0.5), p.p99_s = merged.quantile(0.99), p.max_s = merged.max();
    p.delivered_eps = static_cast<double>(p.count) / static_cast<double>(seconds_per_window);
    r.timeline.points.push_back(p);
  }
  if (injector) {
    r.faults = injector->timeline();
    for (FaultEvent& f : r.faults) {
      if (f.fault != "consumer restart") continue;
      if (f.target == "sink consumer")
        f.detail += fmt::format("; the sink resumed from its committed offsets and read {} events again (all sink "
                                "restarts together){}",
                                sink_consumer->redelivered(), eos ? "; exactly-once: re-read, not duplicated" : "");
      else if (eos)
        f.detail += fmt::format("; exactly-once: the processors abandoned their open transactions ({} events, "
                                "aborted), resumed from the offsets of their last committed transactions and "
                                "processed {} events again in new transactions (all processor restarts together)",
                                abandoned_events, processor_redelivered);
      else
        f.detail += fmt::format("; the processors resumed from their committed offsets and forwarded {} events "
                                "again (all processor restarts together)",
                                processor_redelivered);
    }
    for (const FaultEvent& f : r.faults) outcome.fault_timeline.push_back(FaultInjector::describe(f));
    for (const std::string& line : outcome.fault_timeline) r.notes.push_back("fault timeline: " + line);
    std::string series;
    for (const auto& sec : outcome.latency_over_time)
      series += fmt::format("{}{}s p99 {}", series.empty() ? "" : "; ", sec.second, format_duration(sec.p99_s));
    r.notes.push_back("end-to-end latency over time (by intended second): " + series);
  }
  const Requirements& req = scenario.requirements;
  if (req.p95_s) r.verdicts.push_back(latency_verdict("p95", *req.p95_s, r.end_to_end.p95_s.value));
  if (req.p99_s) r.verdicts.push_back(latency_verdict("p99", *req.p99_s, r.end_to_end.p99_s.value));
  r.meets_all = std::all_of(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& v) { return v.pass; });
  if (r.achieved_eps < 0.95 * r.offered_eps) {
    r.overloaded = true;
    r.overload_reason = fmt::format(
        "the sink received {:.0f} ev/s of the {:.0f} ev/s offered during the measured window (publish delay p99 {})",
        r.achieved_eps, r.offered_eps, format_duration(r.stages[0].latency.p99_s.value));
  }

  // Consumers and producers close before the embedded cluster stops.
  proc_consumers.clear();
  txn_producers.clear();
  sink_consumer.reset();
  forward.reset();
  producer.reset();
  embedded.reset();
  outcome.wall_s = std::chrono::duration<double>(Clock::now() - wall_start).count();
  return outcome;
}

}  // namespace archsim
