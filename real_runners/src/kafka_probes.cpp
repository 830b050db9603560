// Kafka probes (see kafka_probes.hpp): produce, consume, round-trip,
// held-fetch and loopback measurements shared by the microbenchmarks and
// `archsim calibrate`.
#include "archsim/kafka_probes.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <stdexcept>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "archsim/embedded_cluster.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/log_histogram.hpp"

namespace archsim {

namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

constexpr std::chrono::milliseconds kConnectTimeout{5000};

struct ProduceState {
  std::mutex mutex;  // delivery reports come from whichever thread polls the producer (TSan found two)
  LogHistogram latency;
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> errors{0};
  int64_t last_ns = 0;
};

void on_probe_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* st = static_cast<ProduceState*>(opaque);
  const int64_t t = now_ns();
  const std::lock_guard lock(st->mutex);
  st->last_ns = t;
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    st->errors.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  st->delivered.fetch_add(1, std::memory_order_relaxed);
  const auto sent = static_cast<int64_t>(reinterpret_cast<intptr_t>(m->_private));
  st->latency.record(static_cast<double>(t - sent) * 1e-9);
}

void fill(ProbeResult& r, const LogHistogram& h) {
  r.latency_p50_s = h.quantile(0.50);
  r.latency_p99_s = h.quantile(0.99);
  r.latency_mean_s = h.mean();
}

rd_kafka_resp_err_t produce_one(rd_kafka_t* rk, const std::string& topic, int32_t partition, const std::string& key,
                                const char* value, size_t len, int64_t opaque_ns) {
  return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                           RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value), len),
                           RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                           RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<intptr_t>(opaque_ns))),
                           RD_KAFKA_V_END);
}

KafkaHandle make_producer(const std::string& bootstrap, std::vector<std::pair<std::string, std::string>> settings,
                          ProduceState* state) {
  settings.emplace_back("socket.connection.setup.timeout.ms", std::to_string(kConnectTimeout.count()));
  ClientSettings cs{bootstrap, std::move(settings), nullptr, {}, on_probe_delivery, state};
  KafkaHandle rk = make_client(RD_KAFKA_PRODUCER, cs);
  check_reachable(rk.get(), bootstrap, kConnectTimeout);
  return rk;
}

KafkaHandle make_consumer(const std::string& bootstrap, double fetch_wait_max_ms) {
  ClientSettings cs{bootstrap,
                    {{"group.id", "archsim.probe"},
                     {"enable.auto.commit", "false"},
                     {"enable.auto.offset.store", "false"},
                     {"enable.partition.eof", "false"},
                     {"fetch.wait.max.ms", fmt::format("{:.0f}", std::max(1.0, fetch_wait_max_ms))},
                     {"socket.connection.setup.timeout.ms", std::to_string(kConnectTimeout.count())}},
                    nullptr,
                    {}};
  KafkaHandle rk = make_client(RD_KAFKA_CONSUMER, cs);
  check_reachable(rk.get(), bootstrap, kConnectTimeout);
  return rk;
}

/// A probe message's header: sequence number and intended send time (ns),
/// the first 16 bytes of the payload. False for an error or a short message.
bool probe_header(const rd_kafka_message_t* m, uint64_t& seq, int64_t& intended_ns) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->len < 16) return false;
  std::memcpy(&seq, m->payload, 8);
  std::memcpy(&intended_ns, static_cast<const char*>(m->payload) + 8, 8);
  return true;
}

}  // namespace

double process_cpu_s() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

ProbeResult probe_produce(const ProduceProbeConfig& c) {
  auto st = std::make_unique<ProduceState>();
  std::vector<std::pair<std::string, std::string>> settings = {
      {"linger.ms", fmt::format("{:g}", c.linger_ms)},
      {"batch.size", std::to_string(c.batch_size_bytes)},
      {"batch.num.messages", std::to_string(c.batch_num_messages)},
      {"compression.type", c.compression},
      {"enable.idempotence", c.idempotence ? "true" : "false"},
      {"max.in.flight.requests.per.connection", std::to_string(c.max_in_flight)},
      {"queue.buffering.max.messages", "1000000"},
      {"queue.buffering.max.kbytes", "2097151"},
  };
  if (c.idempotence) settings.emplace_back("acks", "all");
  for (const auto& kv : c.extra) settings.push_back(kv);
  KafkaHandle rk = make_producer(c.bootstrap_servers, settings, st.get());
  std::vector<std::string> keys;
  for (int k = 0; k < std::max(1, c.key_count); ++k) keys.push_back(std::to_string(k));
  std::vector<char> value(std::max<size_t>(1, c.message_bytes), 'x');
  const double cpu0 = process_cpu_s();
  const int64_t start = now_ns();
  for (uint64_t i = 0; i < c.messages; ++i) {
    const std::string& key = keys[i % keys.size()];
    for (;;) {
      const rd_kafka_resp_err_t err =
          produce_one(rk.get(), c.topic, RD_KAFKA_PARTITION_UA, key, value.data(), value.size(), now_ns());
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        throw KafkaError(fmt::format("produce to {} failed: {}", c.topic, rd_kafka_err2str(err)));
      rd_kafka_poll(rk.get(), 1);
    }
    rd_kafka_poll(rk.get(), 0);
  }
  rd_kafka_flush(rk.get(), 30000);
  ProbeResult r;
  r.cpu_s = process_cpu_s() - cpu0;
  r.messages = st->delivered.load();
  r.errors = st->errors.load();
  r.wall_s = static_cast<double>(std::max(st->last_ns, start + 1) - start) * 1e-9;
  r.msgs_per_s = static_cast<double>(r.messages) / r.wall_s;
  r.bytes_per_s = r.msgs_per_s * static_cast<double>(value.size());
  fill(r, st->latency);
  return r;
}

ProbeResult probe_consume(const std::string& bootstrap, const std::string& topic, int partitions, uint64_t messages,
                          double timeout_s, double fetch_wait_max_ms) {
  KafkaHandle rk = make_consumer(bootstrap, fetch_wait_max_ms);
  assign_partitions(rk.get(), topic, std::vector<int64_t>(static_cast<size_t>(partitions), RD_KAFKA_OFFSET_BEGINNING),
                    0, 1);
  ProbeResult r;
  uint64_t bytes = 0;
  // Timed from the first message: connecting and the first fetch are not per-message costs.
  int64_t start = now_ns();
  const auto deadline = start + static_cast<int64_t>(timeout_s * 1e9);
  int64_t last = start;
  while (r.messages < messages && now_ns() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (r.messages == 0) start = now_ns();
      ++r.messages;
      bytes += m->len;
      last = now_ns();
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk.get());
  if (r.messages < messages)
    throw KafkaError(fmt::format("consume from {}: {} of {} messages within {:g} s", topic, r.messages, messages,
                                 timeout_s));
  r.wall_s = static_cast<double>(std::max(last, start + 1) - start) * 1e-9;
  r.msgs_per_s = static_cast<double>(r.messages) / r.wall_s;
  r.bytes_per_s = static_cast<double>(bytes) / r.wall_s;
  return r;
}

ProbeResult probe_produce_round_trips(const std::string& bootstrap, const std::string& topic, int count,
                                      size_t message_bytes) {
  auto st = std::make_unique<ProduceState>();
  KafkaHandle rk = make_producer(bootstrap,
                                 {{"linger.ms", "0"}, {"enable.idempotence", "false"}, {"acks", "all"}},
                                 st.get());
  std::vector<char> value(std::max<size_t>(1, message_bytes), 'x');
  // One message first: the connection to the partition's leader is set up.
  produce_one(rk.get(), topic, 0, "k", value.data(), value.size(), now_ns());
  rd_kafka_flush(rk.get(), 5000);
  st->latency.clear();
  st->delivered = 0;
  const int64_t start = now_ns();
  for (int i = 0; i < count; ++i) {
    const uint64_t before = st->delivered.load() + st->errors.load();
    const rd_kafka_resp_err_t err = produce_one(rk.get(), topic, 0, "k", value.data(), value.size(), now_ns());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw KafkaError(fmt::format("produce to {} failed: {}", topic, rd_kafka_err2str(err)));
    while (st->delivered.load() + st->errors.load() == before) rd_kafka_poll(rk.get(), 1);
  }
  ProbeResult r;
  r.messages = st->delivered.load();
  r.errors = st->errors.load();
  r.wall_s = static_cast<double>(now_ns() - start) * 1e-9;
  r.msgs_per_s = static_cast<double>(r.messages) / r.wall_s;
  r.bytes_per_s = r.msgs_per_s * static_cast<double>(value.size());
  fill(r, st->latency);
  return r;
}

ProbeResult probe_empty_fetch_wait(const std::string& bootstrap, const std::string& topic, int samples,
                                   double fetch_wait_max_ms) {
  auto st = std::make_unique<ProduceState>();
  KafkaHandle producer = make_producer(bootstrap, {{"linger.ms", "0"}, {"enable.idempotence", "false"}}, st.get());
  KafkaHandle consumer = make_consumer(bootstrap, fetch_wait_max_ms);
  int64_t low = 0, high = 0;
  const rd_kafka_resp_err_t werr =
      rd_kafka_query_watermark_offsets(producer.get(), topic.c_str(), 0, &low, &high, 5000);
  if (werr != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw KafkaError(fmt::format("cannot read the offsets of {}: {}", topic, rd_kafka_err2str(werr)));
  assign_partitions(consumer.get(), topic, {high}, 0, 1);
  // Let the consumer settle into its fetch loop on the empty partition.
  for (int i = 0; i < 3; ++i)
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), static_cast<int>(fetch_wait_max_ms)))
      rd_kafka_message_destroy(m);
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> phase(0.0, fetch_wait_max_ms * 1e-3);
  LogHistogram h;
  ProbeResult r;
  const char value[16] = "archsim-probe";
  for (int i = 0; i < samples; ++i) {
    std::this_thread::sleep_for(std::chrono::duration<double>(phase(rng)));
    const int64_t sent = now_ns();
    if (produce_one(producer.get(), topic, 0, "k", value, sizeof value, sent) != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw KafkaError(fmt::format("produce to {} failed", topic));
    rd_kafka_poll(producer.get(), 0);
    const int64_t deadline = sent + static_cast<int64_t>((3 * fetch_wait_max_ms + 2000) * 1e6);
    bool got = false;
    while (!got && now_ns() < deadline) {
      rd_kafka_poll(producer.get(), 0);
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 1);
      if (m == nullptr) continue;
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        h.record(static_cast<double>(now_ns() - sent) * 1e-9);
        got = true;
      }
      rd_kafka_message_destroy(m);
    }
    if (!got) throw KafkaError(fmt::format("held-fetch probe: a message on {} never reached the consumer", topic));
    ++r.messages;
  }
  rd_kafka_consumer_close(consumer.get());
  fill(r, h);
  return r;
}

EdgeProbeResult probe_edge_forward(double rate_eps, double duration_s, int wan_rtt_ms) {
  if (!(rate_eps > 0) || !(duration_s > 0) || wan_rtt_ms < 0)
    throw std::invalid_argument("edge probe: expected a positive rate and duration and a WAN RTT >= 0 ms");
  EmbeddedCluster edge(1), core(1);
  edge.create_topic("edge.in", 1, 1);
  core.create_topic("core.in", 1, 1);
  if (wan_rtt_ms > 0) core.set_broker_rtt(1, wan_rtt_ms);
  auto producer_state = std::make_unique<ProduceState>();
  auto forward_state = std::make_unique<ProduceState>();
  KafkaHandle producer = make_producer(edge.bootstrap_servers(), {{"linger.ms", "1"}, {"enable.idempotence", "true"}},
                                       producer_state.get());
  KafkaHandle forward = make_producer(core.bootstrap_servers(), {{"linger.ms", "1"}, {"enable.idempotence", "true"}},
                                      forward_state.get());
  KafkaHandle edge_consumer = make_consumer(edge.bootstrap_servers(), 5);
  KafkaHandle core_consumer = make_consumer(core.bootstrap_servers(), 5);
  assign_partitions(edge_consumer.get(), "edge.in", {0}, 0, 1);
  assign_partitions(core_consumer.get(), "core.in", {0}, 0, 1);

  const auto expected = static_cast<uint64_t>(rate_eps * duration_s);
  std::vector<uint8_t> seen_edge(expected, 0), seen_core(expected, 0);
  LogHistogram local, at_core;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> core_count{0};
  EdgeProbeResult r;
  std::string forward_error;
  // The forwarder: the local decision happens when the edge consumer has the event.
  std::thread forwarder([&] {
    while (!stop.load()) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(edge_consumer.get(), 20);
      if (m == nullptr) continue;
      uint64_t seq = 0;
      int64_t intended = 0;
      if (probe_header(m, seq, intended)) {
        if (seq < expected && seen_edge[seq] == 0) {
          seen_edge[seq] = 1;
          ++r.at_edge;
          local.record(static_cast<double>(now_ns() - intended) * 1e-9);
        }
        if (produce_one(forward.get(), "core.in", 0, "k", static_cast<const char*>(m->payload), m->len, intended) !=
            RD_KAFKA_RESP_ERR_NO_ERROR)
          forward_error = "the forwarder could not produce to the core";
        rd_kafka_poll(forward.get(), 0);
      }
      rd_kafka_message_destroy(m);
    }
  });
  std::thread sink([&] {
    while (!stop.load()) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(core_consumer.get(), 20);
      if (m == nullptr) continue;
      uint64_t seq = 0;
      int64_t intended = 0;
      if (probe_header(m, seq, intended)) {
        if (seq < expected && seen_core[seq] == 0) {
          seen_core[seq] = 1;
          core_count.fetch_add(1);
          at_core.record(static_cast<double>(now_ns() - intended) * 1e-9);
        } else {
          ++r.duplicated;
        }
      }
      rd_kafka_message_destroy(m);
    }
  });
  // Open-loop producer: event i is due at t0 + i / rate.
  char payload[64] = {};
  const int64_t t0 = now_ns() + 300'000'000;  // consumers settle first
  for (uint64_t i = 0; i < expected; ++i) {
    const int64_t intended = t0 + static_cast<int64_t>(static_cast<double>(i) / rate_eps * 1e9);
    while (now_ns() < intended) {
      rd_kafka_poll(producer.get(), 0);
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    std::memcpy(payload, &i, 8);
    std::memcpy(payload + 8, &intended, 8);
    if (produce_one(producer.get(), "edge.in", 0, "k", payload, sizeof payload, intended) ==
        RD_KAFKA_RESP_ERR_NO_ERROR)
      ++r.sent;
    rd_kafka_poll(producer.get(), 0);
  }
  rd_kafka_flush(producer.get(), 10000);
  const int64_t deadline = now_ns() + 15'000'000'000LL;
  while (core_count.load() < r.sent && now_ns() < deadline) {
    rd_kafka_poll(forward.get(), 10);
  }
  rd_kafka_flush(forward.get(), 5000);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop.store(true);
  forwarder.join();
  sink.join();
  rd_kafka_consumer_close(edge_consumer.get());
  rd_kafka_consumer_close(core_consumer.get());
  if (!forward_error.empty()) throw KafkaError(forward_error);
  r.at_core = core_count.load();
  r.lost = r.sent > r.at_core ? r.sent - r.at_core : 0;
  r.local_p50_s = local.quantile(0.5);
  r.local_p99_s = local.quantile(0.99);
  r.core_p50_s = at_core.quantile(0.5);
  r.core_p99_s = at_core.quantile(0.99);
  return r;
}

LoopbackProbe probe_loopback(int round_trips, size_t bulk_bytes) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) throw std::runtime_error("loopback probe: cannot open a socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listener);
    throw std::runtime_error("loopback probe: cannot listen on 127.0.0.1");
  }
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  if (client < 0 || ::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(listener);
    if (client >= 0) ::close(client);
    throw std::runtime_error("loopback probe: cannot connect to 127.0.0.1");
  }
  const int server = ::accept(listener, nullptr, nullptr);
  ::close(listener);
  const int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // Echo thread: ping-pong first, then drain the bulk transfer.
  std::thread echo([server, round_trips] {
    char b = 0;
    for (int i = 0; i < round_trips; ++i) {
      if (::recv(server, &b, 1, MSG_WAITALL) != 1) return;
      if (::send(server, &b, 1, 0) != 1) return;
    }
    std::vector<char> buf(1 << 20);
    while (::recv(server, buf.data(), buf.size(), 0) > 0) {
    }
  });
  LogHistogram h;
  char b = 1;
  for (int i = 0; i < round_trips; ++i) {
    const int64_t t = now_ns();
    if (::send(client, &b, 1, 0) != 1 || ::recv(client, &b, 1, MSG_WAITALL) != 1) break;
    h.record(static_cast<double>(now_ns() - t) * 1e-9);
  }
  std::vector<char> chunk(1 << 20, 'x');
  const int64_t t0 = now_ns();
  size_t sent = 0;
  while (sent < bulk_bytes) {
    const ssize_t n = ::send(client, chunk.data(), std::min(chunk.size(), bulk_bytes - sent), 0);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(client, SHUT_WR);
  echo.join();
  const double bulk_s = static_cast<double>(now_ns() - t0) * 1e-9;
  ::close(client);
  ::close(server);
  LoopbackProbe p;
  p.rtt_p50_s = h.quantile(0.5);
  p.rtt_mean_s = h.mean();
  p.bytes_per_s = bulk_s > 0 ? static_cast<double>(sent) / bulk_s : 0;
  return p;
}

}  // namespace archsim
