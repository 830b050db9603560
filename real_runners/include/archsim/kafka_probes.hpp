// Kafka probes: short, self-contained produce and consume loops against a
// Kafka-protocol broker (the embedded mock cluster or an external one), used
// by the Google Benchmark microbenchmarks (real_runners/bench/) and by
// `archsim calibrate`. One helper serves both, so the calibration measures
// exactly what the benchmarks report.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace archsim {

/// A plain librdkafka produce loop: `messages` values of `message_bytes`
/// bytes, keys "0".."key_count-1" in turn, as fast as the client accepts
/// them (closed loop on the local queue only), then a flush.
struct ProduceProbeConfig {
  std::string bootstrap_servers;
  std::string topic;
  uint64_t messages = 100000;
  size_t message_bytes = 100;
  int key_count = 1000;
  double linger_ms = 5;
  int64_t batch_size_bytes = 1000000;
  int batch_num_messages = 10000;
  std::string compression = "none";   ///< compression.type
  bool idempotence = true;            ///< enable.idempotence (forces acks=all)
  int max_in_flight = 5;              ///< max.in.flight.requests.per.connection
  /// Extra librdkafka settings, applied last.
  std::vector<std::pair<std::string, std::string>> extra;
};

/// What a probe measured. Latencies are seconds from produce() to the
/// delivery report (produce loops) or from produce to consume (round trips).
struct ProbeResult {
  uint64_t messages = 0;        ///< delivered (produce) or consumed (consume)
  uint64_t errors = 0;          ///< delivery reports with an error
  double wall_s = 0;            ///< first produce() to the last delivery report (or last message consumed)
  double msgs_per_s = 0;
  double bytes_per_s = 0;       ///< payload bytes per second
  double latency_p50_s = 0;
  double latency_p99_s = 0;
  double latency_mean_s = 0;
  double cpu_s = 0;             ///< CPU time of the whole process (all threads, user + system) during the probe
};

/// CPU time used so far by this process, all threads, user + system, seconds.
double process_cpu_s();

/// Runs the produce loop. Throws KafkaError (kafka_client.hpp) when the
/// client cannot be created or the broker cannot be reached within 5 s.
ProbeResult probe_produce(const ProduceProbeConfig& config);

/// Reads `messages` messages from partitions 0..partitions-1 of `topic`,
/// from the beginning, with one consumer (assign, no group). Throws
/// KafkaError when fewer arrive within `timeout_s`. Timed from the first
/// message received (connecting and the first fetch are not counted).
ProbeResult probe_consume(const std::string& bootstrap_servers, const std::string& topic, int partitions,
                          uint64_t messages, double timeout_s = 30, double fetch_wait_max_ms = 10);

/// Sequential request round trips: `count` single messages of
/// `message_bytes` bytes, each produced with linger.ms=0 and waited for
/// (delivery report) before the next. latency_* are per round trip.
ProbeResult probe_produce_round_trips(const std::string& bootstrap_servers, const std::string& topic, int count,
                                      size_t message_bytes);

/// How long a message produced while a consumer's fetch is waiting on an
/// empty partition takes to reach that consumer: `samples` messages, each
/// produced at a random moment into the wait, with fetch.wait.max.ms =
/// `fetch_wait_max_ms`. A broker that answers a fetch as soon as data
/// arrives gives about one round trip; one that holds an empty fetch for the
/// full wait gives about half the wait on average. latency_* are produce ->
/// consume times.
ProbeResult probe_empty_fetch_wait(const std::string& bootstrap_servers, const std::string& topic, int samples,
                                   double fetch_wait_max_ms);

/// An edge run in miniature: two embedded clusters, an edge (one broker)
/// and a core (one broker) whose responses are delayed by `wan_rtt_ms` (the
/// WAN, rd_kafka_mock_broker_set_rtt). An open-loop producer sends
/// `rate_eps` events for `duration_s` to the edge topic; a forwarder
/// consumes them there (the local decision, measured at the edge) and
/// produces them, idempotently, to the core topic; a sink consumer reads the
/// core topic. Latencies are from each event's intended send time.
struct EdgeProbeResult {
  uint64_t sent = 0;
  uint64_t at_edge = 0;          ///< distinct events the forwarder decided on
  uint64_t at_core = 0;          ///< distinct events at the core sink
  uint64_t lost = 0;             ///< sent but not at the core
  uint64_t duplicated = 0;       ///< extra copies at the core
  double local_p50_s = 0, local_p99_s = 0;  ///< intended send -> local decision at the edge
  double core_p50_s = 0, core_p99_s = 0;    ///< intended send -> core sink
};
/// Throws KafkaError on Kafka failures.
EdgeProbeResult probe_edge_forward(double rate_eps, double duration_s, int wan_rtt_ms);

/// Loopback TCP round trip (1-byte ping-pong between two sockets on
/// 127.0.0.1) and bulk loopback throughput, without Kafka.
struct LoopbackProbe {
  double rtt_p50_s = 0;
  double rtt_mean_s = 0;
  double bytes_per_s = 0;
};
/// Throws std::runtime_error when loopback sockets cannot be opened.
LoopbackProbe probe_loopback(int round_trips = 2000, size_t bulk_bytes = 64u << 20);

}  // namespace archsim
