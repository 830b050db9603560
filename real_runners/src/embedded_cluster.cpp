// EmbeddedCluster: thin RAII wrapper over librdkafka's mock cluster API.
#include "archsim/embedded_cluster.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdexcept>

#include <fmt/format.h>

namespace archsim {

void EmbeddedCluster::HandleDeleter::operator()(rd_kafka_s* rk) const { rd_kafka_destroy(rk); }

EmbeddedCluster::EmbeddedCluster(int broker_count) : broker_count_(broker_count) {
  if (broker_count < 1 || broker_count > 64)
    throw std::invalid_argument(fmt::format("embedded cluster: expected 1 to 64 brokers, found {}", broker_count));
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  // The handle only does the cluster's bookkeeping: keep it quiet.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(fmt::format("embedded cluster: cannot create a librdkafka handle: {}", errstr));
  }
  handle_.reset(rk);
  cluster_ = rd_kafka_mock_cluster_new(rk, broker_count);
  if (cluster_ == nullptr)
    throw std::runtime_error(fmt::format("embedded cluster: librdkafka could not start {} mock brokers", broker_count));
}

EmbeddedCluster::~EmbeddedCluster() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
}

std::string EmbeddedCluster::bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

void EmbeddedCluster::check(int err, const char* what) const {
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error(
        fmt::format("embedded cluster: {} failed: {}", what, rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(err))));
}

void EmbeddedCluster::create_topic(const std::string& name, int partitions, int replication_factor) {
  if (name.empty()) throw std::invalid_argument("embedded cluster: empty topic name");
  if (partitions < 1 || partitions > 100000)
    throw std::invalid_argument(
        fmt::format("embedded cluster: topic {}: expected 1 to 100000 partitions, found {}", name, partitions));
  if (replication_factor < 1)
    throw std::invalid_argument(
        fmt::format("embedded cluster: topic {}: expected a replication factor of 1 or more, found {}", name,
                    replication_factor));
  const int rf = replication_factor < broker_count_ ? replication_factor : broker_count_;
  check(rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, rf), "topic creation");
}

void EmbeddedCluster::set_broker_down(int broker_id) {
  check(rd_kafka_mock_broker_set_down(cluster_, broker_id), "broker down");
}

void EmbeddedCluster::set_broker_up(int broker_id) { check(rd_kafka_mock_broker_set_up(cluster_, broker_id), "broker up"); }

void EmbeddedCluster::set_broker_rtt(int broker_id, int rtt_ms) {
  if (rtt_ms < 0) throw std::invalid_argument(fmt::format("embedded cluster: negative RTT {} ms", rtt_ms));
  check(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, rtt_ms), "setting the RTT");
}

void EmbeddedCluster::push_request_errors(int broker_id, int api_key, const std::vector<int>& errors) {
  if (broker_id < 1 || broker_id > broker_count_)
    throw std::invalid_argument(
        fmt::format("embedded cluster: expected a broker id 1..{}, found {}", broker_count_, broker_id));
  for (const int err : errors)
    check(rd_kafka_mock_broker_push_request_error_rtts(cluster_, broker_id, static_cast<int16_t>(api_key), 1,
                                                       static_cast<rd_kafka_resp_err_t>(err), 0),
          "queueing a request error");
}

size_t EmbeddedCluster::queued_request_errors(int broker_id, int api_key) const {
  size_t count = 0;
  check(rd_kafka_mock_broker_error_stack_cnt(cluster_, broker_id, static_cast<int16_t>(api_key), &count),
        "reading the request-error queue");
  return count;
}

std::vector<std::string> EmbeddedCluster::known_limits() {
  return {
      "embedded broker (librdkafka 2.0 mock cluster) limit: acks and fetch.min.bytes are parsed but not acted on",
      "embedded broker limit: replication is not modelled (replicas exist only in metadata; no data moves "
      "between brokers)",
      "embedded broker limit: one I/O thread serves the whole cluster",
      "embedded broker limit: each partition keeps only about 5 MiB (100,000 message sets) in memory, oldest "
      "dropped",
      "embedded broker limit: an empty fetch is held for the full fetch.wait.max.ms",
      "embedded broker limit: a fetch returns at most one message set (one produce request's batch) per partition "
      "and finds it by walking the partition's message sets from the oldest (no offset index), so with small "
      "batches each fetch costs more as the run goes on and the one I/O thread can saturate within seconds",
      "embedded broker limit: an idempotent (non-transactional) producer's sequence numbers are not checked, so "
      "out-of-order retries are neither rejected nor deduplicated",
      "embedded broker limit: transactions write no commit or abort markers and no last stable offset is kept, "
      "so read_committed consumers also receive records of open and aborted transactions; offsets sent with a "
      "transaction (TxnOffsetCommit) are acknowledged but not stored",
  };
}

}  // namespace archsim
