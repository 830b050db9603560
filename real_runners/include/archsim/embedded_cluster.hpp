// EmbeddedCluster: an in-process Kafka-protocol broker, librdkafka's mock
// cluster (rdkafka_mock.h), listening on loopback TCP. Any Kafka client
// (librdkafka, kcat, ...) reaches it through bootstrap_servers(). Its known
// limits (acks and replication not modelled, one I/O thread, about 5 MiB kept
// per partition, empty fetches held for fetch.wait.max.ms) are listed by
// known_limits() and must be stated in every result measured on it.
#pragma once

#include <memory>
#include <string>
#include <vector>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace archsim {

class EmbeddedCluster {
 public:
  /// Starts `broker_count` (1..64) mock brokers, ids 1..broker_count, each
  /// on an ephemeral 127.0.0.1 port. Throws std::invalid_argument for a bad
  /// count and std::runtime_error when librdkafka cannot start the cluster.
  explicit EmbeddedCluster(int broker_count);
  /// Stops the brokers and closes their listeners.
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  /// "127.0.0.1:PORT,127.0.0.1:PORT,...", one entry per broker.
  std::string bootstrap_servers() const;
  int broker_count() const { return broker_count_; }

  /// Creates `name` with `partitions` partitions; `replication_factor` is
  /// clamped to the broker count (replicas exist only in metadata). Throws
  /// std::invalid_argument for bad arguments, std::runtime_error on failure.
  void create_topic(const std::string& name, int partitions, int replication_factor);

  /// Broker `broker_id` (1..N, or -1 for all) drops its connections and
  /// refuses new ones; leadership does not move.
  void set_broker_down(int broker_id);
  /// Broker `broker_id` (1..N, or -1 for all) accepts connections again.
  void set_broker_up(int broker_id);
  /// Adds `rtt_ms` milliseconds of delay to every response of `broker_id`
  /// (1..N, or -1 for all); 0 removes it.
  void set_broker_rtt(int broker_id, int rtt_ms);

  /// Appends entries to broker `broker_id`'s (1..N) request-error queue for
  /// protocol request `api_key` (0 Produce, 1 Fetch, ...): the broker answers
  /// its next requests of that kind with these error codes in order, one
  /// entry per request; an entry of 0 lets that request through.
  void push_request_errors(int broker_id, int api_key, const std::vector<int>& errors);
  /// Entries still queued by push_request_errors for `broker_id` and `api_key`.
  size_t queued_request_errors(int broker_id, int api_key) const;

  /// The mock cluster's known limits, one sentence each, for result notes.
  static std::vector<std::string> known_limits();

 private:
  void check(int err, const char* what) const;
  struct HandleDeleter {
    void operator()(rd_kafka_s* rk) const;
  };
  std::unique_ptr<rd_kafka_s, HandleDeleter> handle_;  ///< owns the cluster's bookkeeping handle
  rd_kafka_mock_cluster_s* cluster_ = nullptr;        ///< destroyed before handle_
  int broker_count_;
};

}  // namespace archsim
