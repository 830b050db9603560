// Calibration: measuring this machine's Kafka path. The calibration file
// (versioned JSON) is read and written by calibration_file.cpp.
#include "archsim/calibration.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "archsim/embedded_cluster.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/kafka_probes.hpp"

namespace archsim {

namespace {

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

/// Makes sure `topic` (1 partition) exists on an external cluster.
void ensure_topic(const std::string& bootstrap, const std::string& topic) {
  KafkaHandle rk = make_client(RD_KAFKA_PRODUCER, {bootstrap, {}, nullptr, {}});
  check_reachable(rk.get(), bootstrap, std::chrono::milliseconds(5000));
  if (partition_count(rk.get(), topic, std::chrono::milliseconds(5000)) > 0) return;
  // A metadata request naming the topic lets a cluster that auto-creates
  // topics (the default, and `archsim broker`) create it; else the admin API.
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
  for (int i = 0; i < 10; ++i) {
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk.get(), 0, rkt, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_metadata_destroy(md);
    if (partition_count(rk.get(), topic, std::chrono::milliseconds(5000)) > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  rd_kafka_topic_destroy(rkt);
  if (partition_count(rk.get(), topic, std::chrono::milliseconds(5000)) == 0)
    create_topic_with_admin_api(rk.get(), topic, 1, 1, std::chrono::milliseconds(5000));
}

}  // namespace

Calibration calibrate(const CalibrateOptions& opt) {
  auto log = [&](const std::string& s) {
    if (opt.log) opt.log(s);
  };
  Calibration c;
  c.created_utc = utc_now();
  c.host = host_name();
  c.cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  c.librdkafka = rd_kafka_version_str();
  std::unique_ptr<EmbeddedCluster> embedded;
  std::string bootstrap = opt.bootstrap_servers;
  if (bootstrap.empty()) {
    embedded = std::make_unique<EmbeddedCluster>(1);
    bootstrap = embedded->bootstrap_servers();
    c.broker = fmt::format("embedded mock cluster (librdkafka {})", c.librdkafka);
    c.broker_io_threads = 1;  // rdkafka_mock.c: one thread runs every mock broker's I/O
  } else {
    c.broker = fmt::format("external cluster at {}", bootstrap);
    c.broker_io_threads = 8;  // Kafka's num.io.threads default; not measurable from a client
  }
  const std::string rtt_topic = opt.topic + ".rtt", bulk_topic = opt.topic + ".bulk",
                    fetch_topic = opt.topic + ".fetch", loop_topic = opt.topic + ".loop";
  for (const std::string& t : {rtt_topic, bulk_topic, fetch_topic, loop_topic}) {
    if (embedded)
      embedded->create_topic(t, 1, 1);
    else
      ensure_topic(bootstrap, t);
  }

  log("loopback TCP round trip and throughput...");
  const LoopbackProbe lb = probe_loopback();
  c.loopback_rtt_s = lb.rtt_p50_s;
  c.loopback_bytes_per_s = lb.bytes_per_s;

  log("produce round trips (one 100 B message at a time)...");
  const ProbeResult rtt = probe_produce_round_trips(bootstrap, rtt_topic, 500, 100);
  c.produce_rtt_s = rtt.latency_p50_s;

  log("pipelined single-message requests, 100 B and 64 KiB...");
  ProduceProbeConfig small;
  small.bootstrap_servers = bootstrap;
  small.topic = bulk_topic;
  small.messages = 20000;
  small.message_bytes = 100;
  small.key_count = 1;
  small.linger_ms = 0;
  small.batch_num_messages = 1;
  small.idempotence = false;
  small.max_in_flight = 1000;
  ProduceProbeConfig big = small;
  big.messages = 1500;
  big.message_bytes = 65536;
  const ProbeResult rs = probe_produce(small);
  const ProbeResult rb = probe_produce(big);
  c.request_cost_s = 1.0 / rs.msgs_per_s;
  c.byte_cost_s = std::max(0.0, (1.0 / rb.msgs_per_s - c.request_cost_s) / (65536.0 - 100.0));

  log("client costs: plain produce loop and consume loop (100 B)...");
  ProduceProbeConfig loop;
  loop.bootstrap_servers = bootstrap;
  loop.topic = bulk_topic;
  loop.messages = 200000;
  loop.message_bytes = 100;
  loop.idempotence = true;
  const ProbeResult rp = probe_produce(loop);
  c.producer_message_cost_s = 1.0 / rp.msgs_per_s;
  ProduceProbeConfig fill = loop;
  fill.topic = loop_topic;
  fill.messages = 30000;  // stays under the mock's 5 MiB per partition: all of it is read back
  fill.idempotence = false;
  const ProbeResult filled = probe_produce(fill);
  int loop_partitions = 1;
  if (!embedded) {  // an auto-created topic has the cluster's default partition count
    KafkaHandle meta = make_client(RD_KAFKA_PRODUCER, {bootstrap, {}, nullptr, {}});
    loop_partitions = std::max(1, partition_count(meta.get(), loop_topic, std::chrono::milliseconds(5000)));
  }
  const ProbeResult rc = probe_consume(bootstrap, loop_topic, loop_partitions, filled.messages, 30, 10);
  c.consumer_message_cost_s = 1.0 / rc.msgs_per_s;

  log("empty fetch: is it held for the full fetch.wait.max.ms (10 ms and 50 ms)?");
  const ProbeResult hf = probe_empty_fetch_wait(bootstrap, fetch_topic, 40, 10);
  const ProbeResult hf2 = probe_empty_fetch_wait(bootstrap, fetch_topic, 20, 50);
  c.held_fetch_probe_wait_s = 10e-3;
  c.held_fetch_mean_s = hf.latency_mean_s;
  c.held_fetch_probe_wait2_s = 50e-3;
  c.held_fetch_mean2_s = hf2.latency_mean_s;
  // Answered on arrival: about one round trip. Held: uniform over the wait, mean about half of it.
  c.empty_fetch_held = hf2.latency_mean_s > 0.2 * c.held_fetch_probe_wait2_s;
  return c;
}

}  // namespace archsim
