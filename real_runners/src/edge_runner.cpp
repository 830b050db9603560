// EdgeRunner: the devices' producer, gateway, core processor and core sink
// threads of a real edge run on two embedded clusters (see edge_runner.hpp).
#include "archsim/edge_runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "archsim/broker_thread.hpp"
#include "archsim/embedded_cluster.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/latency_recorder.hpp"
#include "archsim/rng.hpp"
#include "archsim/run_payload.hpp"
#include "archsim/units.hpp"
#include "archsim/workload_generator.hpp"

namespace archsim {

namespace {

constexpr double kFetchWaitS = 10e-3;      // every consumer's fetch.wait.max.ms (the mock holds empty fetches)

struct DeliveryTally {
  std::atomic<uint64_t> acked{0};
  std::atomic<uint64_t> errors{0};
};

void count_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* a = static_cast<DeliveryTally*>(opaque);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
    a->errors.fetch_add(1);
  else
    a->acked.fetch_add(1);
}

/// Produces a copy of `value`, waiting while the local queue is full. False
/// (with `error`) on any other error.
bool produce_copy(rd_kafka_t* rk, const std::string& topic, const void* key, size_t key_len, const void* value,
                  size_t len, std::string& error) {
  for (;;) {
    const rd_kafka_resp_err_t err =
        rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key, key_len),
                          RD_KAFKA_V_VALUE(const_cast<void*>(value), len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      error = fmt::format("produce to {}: {}", topic, rd_kafka_err2str(err));
      return false;
    }
    rd_kafka_poll(rk, 1);
  }
}

void spin(double seconds) {
  const int64_t until = run_clock_us() + static_cast<int64_t>(seconds * 1e6);
  while (run_clock_us() < until) {
  }
}

/// First-copy bookkeeping by sequence number.
class Seen {
 public:
  bool first(uint64_t seq) {
    if (seq >= seen_.size()) seen_.resize(std::max<size_t>(seq + 1, seen_.size() * 2), 0);
    if (seen_[seq] != 0) return false;
    seen_[seq] = 1;
    return true;
  }

 private:
  std::vector<uint8_t> seen_;
};

using Message = std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)>;

/// The next message of this run from `consumer`, or null.
Message poll_run(rd_kafka_t* consumer, uint64_t run_id, RunPayload& p) {
  Message m(rd_kafka_consumer_poll(consumer, 20), rd_kafka_message_destroy);
  if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR || !read_run_payload(m.get(), run_id, p) || p.seq > kRunMaxSeq)
    return Message(nullptr, rd_kafka_message_destroy);
  return m;
}

std::vector<std::pair<std::string, std::string>> consumer_settings(const std::string& group) {
  return {{"group.id", group},
          {"enable.auto.commit", "false"},
          {"enable.auto.offset.store", "false"},
          {"enable.partition.eof", "false"},
          {"isolation.level", "read_committed"},
          {"fetch.wait.max.ms", fmt::format("{:.0f}", kFetchWaitS * 1e3)}};
}

}  // namespace

EdgeRunOutcome run_edge(const Scenario& scenario, const Candidate& candidate, const KappaRunOptions& opt) {
  if (candidate.kind != "edge")
    throw std::invalid_argument(fmt::format("candidate {}: expected kind \"edge\", found \"{}\"", candidate.name,
                                            candidate.kind));
  if (!opt.bootstrap_servers.empty())
    throw std::invalid_argument(fmt::format(
        "candidate {} is an edge design: its real check needs two clusters with a WAN between them and runs on two "
        "embedded clusters only in this version (--bootstrap-servers serves Kappa candidates)",
        candidate.name));
  if (!opt.faults.empty())
    throw std::invalid_argument(fmt::format(
        "candidate {} is an edge design: --broker-down is not supported for its real check in this version",
        candidate.name));
  if (!(opt.duration_s > 0) || !(opt.warmup_s >= 0) || !(opt.rate.rate_eps > 0) || opt.batches < 1 ||
      opt.injected_rtt_ms < 0)
    throw std::invalid_argument("edge run: expected a positive duration and rate, a warm-up >= 0 and an RTT >= 0");
  const auto log = [&](const std::string& line) {
    if (opt.log) opt.log(line);
  };
  const auto wall_start = run_clock_us();
  const EdgeConfig& e = candidate.edge;
  EdgeRunOutcome out;
  CandidateResult& r = out.result;
  r.name = candidate.name + " (measured)";
  r.kind = "edge";
  r.source = "measured";
  r.notes.push_back(opt.rate.reason);

  // Two clusters: the site's edge broker and the core; the WAN is the
  // delay the core brokers add to every response.
  const std::string edge_topic = fmt::format("{}.{}.edge", opt.topic_prefix, candidate.name);
  const std::string core_in = fmt::format("{}.{}.core.in", opt.topic_prefix, candidate.name);
  const std::string core_out = fmt::format("{}.{}.core.out", opt.topic_prefix, candidate.name);
  const int partitions = candidate.broker.partitions;
  EmbeddedCluster edge(1), core(candidate.broker.count);
  edge.create_topic(edge_topic, 1, 1);
  core.create_topic(core_in, partitions, candidate.broker.replication_factor);
  core.create_topic(core_out, partitions, candidate.broker.replication_factor);
  if (opt.injected_rtt_ms > 0) core.set_broker_rtt(-1, opt.injected_rtt_ms);
  out.wan_rtt_ms = opt.injected_rtt_ms;
  const std::string edge_bs = edge.bootstrap_servers(), core_bs = core.bootstrap_servers();
  out.broker = fmt::format("two embedded mock clusters (librdkafka {}): edge (1 broker) at {}, core ({} brokers) at {}",
                           rd_kafka_version_str(), edge_bs, candidate.broker.count, core_bs);
  r.notes.push_back("broker: " + out.broker);
  for (const std::string& limit : EmbeddedCluster::known_limits()) r.notes.push_back(limit);
  log("brokers: " + out.broker);

  const ProducerConfig& pc = candidate.producer;
  const std::vector<std::pair<std::string, std::string>> psettings = {
      {"linger.ms", fmt::format("{:g}", pc.linger_s * 1e3)},
      {"batch.size", fmt::format("{:.0f}", std::clamp(pc.batch_size_bytes, 1.0, 2147483647.0))},
      {"queue.buffering.max.messages", "1000000"},
      {"message.timeout.ms", "20000"}};
  const std::vector<std::pair<std::string, std::string>> forced = {
      {"enable.idempotence", "true"}, {"acks", "all"}, {"compression.type", "none"}};
  DeliveryTally device_acks, forward_acks, output_acks;
  KafkaHandle devices = make_client(RD_KAFKA_PRODUCER, {edge_bs, psettings, nullptr, forced, count_delivery, &device_acks});
  KafkaHandle forwarder = make_client(RD_KAFKA_PRODUCER, {core_bs, psettings, nullptr, forced, count_delivery, &forward_acks});
  KafkaHandle output = make_client(RD_KAFKA_PRODUCER, {core_bs, psettings, nullptr, forced, count_delivery, &output_acks});
  check_reachable(devices.get(), edge_bs, opt.connect_timeout);
  check_reachable(forwarder.get(), core_bs, opt.connect_timeout + std::chrono::milliseconds(4 * opt.injected_rtt_ms));
  const std::string group = fmt::format("{}.{}.check", opt.topic_prefix, candidate.name);
  KafkaHandle gateway_c = make_client(RD_KAFKA_CONSUMER, {edge_bs, consumer_settings(group), nullptr, {}});
  KafkaHandle core_c = make_client(RD_KAFKA_CONSUMER, {core_bs, consumer_settings(group), nullptr, {}});
  KafkaHandle sink_c = make_client(RD_KAFKA_CONSUMER, {core_bs, consumer_settings(group), nullptr, {}});
  assign_partitions(gateway_c.get(), edge_topic, {0}, 0, 1);
  assign_partitions(core_c.get(), core_in, std::vector<int64_t>(static_cast<size_t>(partitions), 0), 0, 1);
  assign_partitions(sink_c.get(), core_out, std::vector<int64_t>(static_cast<size_t>(partitions), 0), 0, 1);

  out.fetch_wait_max_s = kFetchWaitS;
  out.gateway_cpu_per_event_s = std::min(e.gateway_cpu_per_event_s, kRunMaxCpuPerEventS);
  out.core_cpu_per_event_s = std::min(candidate.processing.cpu_per_event_s, kRunMaxCpuPerEventS);
  const double forward_ratio = std::clamp(e.forward_ratio, 0.0, 1.0);
  const uint64_t run_id = mix64(static_cast<uint64_t>(run_clock_us()));
  MeasuredWindow w{run_clock_us() + 300000, opt.warmup_s, opt.duration_s};
  const double slice = opt.duration_s / opt.batches;
  LatencyRecorder local(opt.warmup_s, slice, opt.batches), at_core(opt.warmup_s, slice, opt.batches);
  std::atomic<uint64_t> decided{0}, forwarded{0}, processed{0}, received{0};
  uint64_t received_in_window = 0, duplicated_edge = 0, duplicated_core = 0, sent_in_window = 0;
  std::atomic<bool> stop{false};
  std::string gateway_error, core_error;

  // The gateway: the local decision happens when the edge consumer has the
  // event and its CPU is spent; a hash of the sequence number keeps the
  // forward ratio.
  std::thread gateway([&] {
    Seen seen;
    while (!stop.load()) {
      RunPayload p;
      const Message m = poll_run(gateway_c.get(), run_id, p);
      if (!m) continue;
      if (!seen.first(p.seq)) {
        ++duplicated_edge;
        continue;
      }
      spin(out.gateway_cpu_per_event_s);
      const int64_t at = run_clock_us();
      if (w.measured(p.intended_us)) local.record(w.since_start_s(p.intended_us), static_cast<double>(at - p.intended_us) * 1e-6);
      decided.fetch_add(1);
      // The same events are kept in every run of the same scenario seed.
      if (static_cast<double>(mix64(p.seq ^ scenario.simulation.seed) >> 11) * 0x1p-53 >= forward_ratio) continue;
      if (!produce_copy(forwarder.get(), core_in, m->key, m->key == nullptr ? 0 : m->key_len, m->payload, m->len,
                        gateway_error))
        return;
      forwarded.fetch_add(1);
      rd_kafka_poll(forwarder.get(), 0);
    }
  });
  // The core processor: consume, spin, produce to the output topic.
  std::thread processor([&] {
    while (!stop.load()) {
      RunPayload p;
      const Message m = poll_run(core_c.get(), run_id, p);
      if (!m) continue;
      spin(out.core_cpu_per_event_s);
      if (!produce_copy(output.get(), core_out, m->key, m->key == nullptr ? 0 : m->key_len, m->payload, m->len,
                        core_error))
        return;
      processed.fetch_add(1);
      rd_kafka_poll(output.get(), 0);
    }
  });
  // The core sink.
  std::thread sink([&] {
    Seen seen;
    while (!stop.load()) {
      RunPayload p;
      const Message m = poll_run(sink_c.get(), run_id, p);
      if (!m) continue;
      if (!seen.first(p.seq)) {
        ++duplicated_core;
        continue;
      }
      const int64_t at = run_clock_us();
      if (w.measured(at)) ++received_in_window;
      if (w.measured(p.intended_us)) at_core.record(w.since_start_s(p.intended_us), static_cast<double>(at - p.intended_us) * 1e-6);
      received.fetch_add(1);
    }
  });
  struct Join {
    std::atomic<bool>& stop;
    std::thread& a;
    std::thread& b;
    std::thread& c;
    ~Join() {
      stop.store(true);
      for (std::thread* t : {&a, &b, &c})
        if (t->joinable()) t->join();
    }
  } join{stop, gateway, processor, sink};

  // The clusters' threads are measured. The clients keep their priority
  // here: the gateway spins its decision CPU on this machine, and niced it
  // stalled for seconds whenever another program kept the cores busy (two
  // busy loops beside a check: local decision p50 4.5 s).
  BrokerThreadSampler broker_threads(true, w);

  // The devices: one open-loop producer for the site's arrivals.
  log(fmt::format("running {:.0f} ev/s for {} s (after {} s warm-up): {} -> gateway -> {} -> {}", opt.rate.rate_eps,
                  opt.duration_s, opt.warmup_s, edge_topic, core_in, core_out));
  const Workload& wl = scenario.workload;
  const KeySampler keys(wl.key_cardinality, wl.key_skew);
  WorkloadGenerator gen(wl, opt.rate.rate_eps, keys, Rng(scenario.simulation.seed, "real/edge/devices"),
                        scenario.simulation.start_at_s);
  std::vector<char> buf;
  std::string device_error;
  const double end_s = opt.warmup_s + opt.duration_s;
  for (GeneratedEvent ev = gen.next(); ev.time_s < end_s; ev = gen.next()) {
    throw_if_interrupted();
    const int64_t intended = w.t0_us + static_cast<int64_t>(ev.time_s * 1e6);
    for (int64_t now = run_clock_us(); now < intended; now = run_clock_us()) {
      if (intended - now > 1500)
        rd_kafka_poll(devices.get(), 1);
      else
        std::this_thread::sleep_for(std::chrono::microseconds(intended - now));
    }
    buf.assign(static_cast<size_t>(std::clamp(std::round(ev.bytes), static_cast<double>(kRunPayloadHeaderBytes), 1e6)), 0);
    write_run_payload(buf.data(), RunPayload{run_id, out.sent, intended});
    const std::string key = std::to_string(ev.key);
    if (!produce_copy(devices.get(), edge_topic, key.data(), key.size(), buf.data(), buf.size(), device_error)) break;
    if (w.measured(intended)) ++sent_in_window;
    ++out.sent;
    rd_kafka_poll(devices.get(), 0);
  }
  const std::optional<ThreadCpu> broker_cpu = broker_threads.finish();
  rd_kafka_flush(devices.get(), static_cast<int>(opt.drain_timeout_s * 1000));

  // Drain: until every acknowledged event is decided and every forwarded
  // one reached the core sink, no progress for 3 s, or the drain timeout.
  const int64_t deadline = run_clock_us() + static_cast<int64_t>(opt.drain_timeout_s * 1e6);
  uint64_t last = 0;
  int64_t last_progress = run_clock_us();
  while ((decided.load() < device_acks.acked.load() || received.load() < forwarded.load()) &&
         run_clock_us() < deadline && run_clock_us() - last_progress < 3'000'000) {
    throw_if_interrupted();
    rd_kafka_poll(forwarder.get(), 10);
    const uint64_t progress = decided.load() + received.load();
    if (progress != last) {
      last = progress;
      last_progress = run_clock_us();
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // late duplicates
  stop.store(true);
  gateway.join();
  processor.join();
  sink.join();
  rd_kafka_flush(forwarder.get(), 5000);
  rd_kafka_flush(output.get(), 5000);
  for (KafkaHandle* c : {&gateway_c, &core_c, &sink_c}) rd_kafka_consumer_close(c->get());
  if (!device_error.empty()) throw KafkaError("devices' producer: " + device_error);
  if (!gateway_error.empty()) throw KafkaError("gateway forwarder: " + gateway_error);
  if (!core_error.empty()) throw KafkaError("core processor: " + core_error);

  out.acked = device_acks.acked.load();
  out.decided = decided.load();
  out.forwarded = forwarded.load();
  out.at_core = received.load();
  out.duplicated = duplicated_edge + duplicated_core;
  out.lost = (out.acked > out.decided ? out.acked - out.decided : 0) +
             (out.forwarded > out.at_core ? out.forwarded - out.at_core : 0) + (out.sent - out.acked);
  r.local_decision = local.summary(opt.batches);
  r.end_to_end = at_core.summary(opt.batches);
  r.stages.push_back({"local decision", "at the edge: the gateway decided on the event, minus intended send time",
                      r.local_decision});
  if (broker_cpu) {
    out.threads =
        record_run_threads(*broker_cpu, broker_threads, opt.duration_s, "embedded brokers' I/O threads (edge and core)", r);
  }
  r.offered_eps = static_cast<double>(sent_in_window) / opt.duration_s;
  r.achieved_eps = static_cast<double>(received_in_window) / opt.duration_s;
  r.simulated_s = opt.duration_s;
  r.warmup_s = opt.warmup_s;
  r.edge.sites = 1;
  r.notes.push_back(fmt::format(
      "WAN: every core broker delays each response by {} ms (rd_kafka_mock_broker_set_rtt), so the forwarder's "
      "produce requests cross the WAN round trip; the mock cannot delay one client only, so the core processor's "
      "and the core sink's requests carry it too",
      opt.injected_rtt_ms));
  r.notes.push_back(fmt::format(
      "gateway: one thread spins {} per local decision{} and forwards {:.3g} of the events (by a hash of the "
      "sequence number){}; core: one processor thread spins {} per event",
      format_duration(out.gateway_cpu_per_event_s),
      e.gateway_cpu_per_event_s > kRunMaxCpuPerEventS ? " (capped)" : "", forward_ratio,
      e.aggregation_window_s > 0 ? "; the candidate's aggregation window is not emulated" : "",
      format_duration(out.core_cpu_per_event_s)));
  r.notes.push_back(fmt::format(
      "delivery: {} events sent, {} acknowledged by the edge, {} decided at the edge, {} forwarded, {} at the core "
      "sink, lost {}, duplicated {}",
      out.sent, out.acked, out.decided, out.forwarded, out.at_core, out.lost, out.duplicated));
  Verdict v;
  v.requirement = "delivery (measured: every event decided once at the edge, every forwarded one once at the core)";
  v.value = static_cast<double>(out.lost + out.duplicated);
  v.unit = "events";
  v.pass = out.lost == 0 && out.duplicated == 0 && device_acks.errors.load() == 0;
  v.headroom = v.pass ? 1 : -1;
  v.text = fmt::format("{} sent, {} decided, {} forwarded, {} at the core, {} lost, {} duplicated: {}", out.sent,
                       out.decided, out.forwarded, out.at_core, out.lost, out.duplicated, v.pass ? "PASS" : "FAIL");
  r.verdicts.push_back(v);
  if (e.local_decision_target_s) {
    Verdict t;
    t.requirement = "local decision p99 (measured, scaled load)";
    t.target = *e.local_decision_target_s;
    t.value = r.local_decision.p99_s.value;
    t.unit = "s";
    t.pass = t.value <= t.target;
    t.headroom = (t.target - t.value) / t.target;
    t.text = fmt::format("local decision p99 {} vs target {}: {}", format_duration(t.value), format_duration(t.target),
                         t.pass ? "PASS" : "FAIL");
    r.verdicts.push_back(t);
  }
  r.meets_all = std::all_of(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& x) { return x.pass; });
  devices.reset();
  forwarder.reset();
  output.reset();
  gateway_c.reset();
  core_c.reset();
  sink_c.reset();
  out.wall_s = static_cast<double>(run_clock_us() - wall_start) * 1e-6;
  return out;
}

}  // namespace archsim
