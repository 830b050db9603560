// Kafka client helpers (see kafka_client.hpp).
#include "archsim/kafka_client.hpp"

#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace archsim {

namespace {

void quiet_log(const rd_kafka_t*, int, const char*, const char*) {}

void apply(rd_kafka_conf_t* conf, const std::string& key, const std::string& value, const std::string& origin) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) == RD_KAFKA_CONF_OK) return;
  if (KafkaProperties::is_secret_key(key))
    throw std::invalid_argument(fmt::format("{}: invalid value for \"{}\" (value not shown)", origin, key));
  throw std::invalid_argument(fmt::format("{}: {}", origin, errstr));
}

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};
using Metadata = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

int timeout_ms(std::chrono::milliseconds t) { return static_cast<int>(t.count()); }

}  // namespace

KafkaHandle make_client(rd_kafka_type_t type, const ClientSettings& s) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  try {
    apply(conf, "bootstrap.servers", s.bootstrap_servers, "bootstrap servers");
    for (const auto& [k, v] : s.settings) apply(conf, k, v, "runner setting");
    if (s.properties != nullptr)
      for (const KafkaProperty& p : s.properties->items())
        apply(conf, p.key, p.value, fmt::format("{}:{}", s.properties->origin(), p.line));
    for (const auto& [k, v] : s.forced) apply(conf, k, v, "runner setting");
  } catch (...) {
    rd_kafka_conf_destroy(conf);
    throw;
  }
  rd_kafka_conf_set_log_cb(conf, quiet_log);
  if (s.delivery_report != nullptr) rd_kafka_conf_set_dr_msg_cb(conf, s.delivery_report);
  if (s.opaque != nullptr) rd_kafka_conf_set_opaque(conf, s.opaque);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(fmt::format("cannot create a Kafka client: {}", errstr));
  }
  return KafkaHandle(rk);
}

int check_reachable(rd_kafka_t* rk, const std::string& bootstrap_servers, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, timeout_ms(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw BrokerUnreachable(fmt::format(
        "no Kafka broker answered at {} within {:.0f} s ({}); check the address, that the cluster is up, and the "
        "security settings of --kafka-config",
        bootstrap_servers, static_cast<double>(timeout.count()) / 1000.0, rd_kafka_err2str(err)));
  const Metadata holder(md);
  return md->broker_cnt;
}

int partition_count(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, timeout_ms(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw BrokerUnreachable(fmt::format("metadata request failed: {}", rd_kafka_err2str(err)));
  const Metadata holder(md);
  for (int i = 0; i < md->topic_cnt; ++i)
    if (topic == md->topics[i].topic && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
      return md->topics[i].partition_cnt;
  return 0;
}

void create_topic_with_admin_api(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor,
                                 std::chrono::milliseconds timeout) {
  char errstr[512];
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, errstr, sizeof errstr);
  if (new_topic == nullptr) throw KafkaError(fmt::format("topic {}: {}", topic, errstr));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms(timeout), errstr, sizeof errstr);
  rd_kafka_CreateTopics(rk, &new_topic, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, timeout_ms(timeout) + 1000);
  std::string failure;
  bool timed_out = event == nullptr;
  if (event != nullptr) {
    if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      failure = rd_kafka_event_error_string(event);
      timed_out = rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR__TIMED_OUT;
    } else if (const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(event)) {
      size_t n = 0;
      const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &n);
      for (size_t i = 0; i < n; ++i) {
        const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
        if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
          const char* msg = rd_kafka_topic_result_error_string(results[i]);
          failure = fmt::format("{} ({})", rd_kafka_err2name(e), msg != nullptr ? msg : rd_kafka_err2str(e));
        }
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(new_topic);
  if (timed_out)
    throw BrokerUnreachable(fmt::format(
        "topic {} does not exist and creating it with the admin API timed out{}; create it (with {} partitions) or "
        "check that the cluster accepts CreateTopics (the embedded mock broker does not)",
        topic, failure.empty() ? "" : " (" + failure + ")", partitions));
  if (!failure.empty())
    throw KafkaError(fmt::format(
        "topic {} does not exist and could not be created with the admin API: {}; create it (with {} partitions) "
        "or grant CreateTopics",
        topic, failure, partitions));
  // Wait until the metadata shows the new topic with its partitions.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (partition_count(rk, topic, timeout) < partitions) {
    if (std::chrono::steady_clock::now() > deadline)
      throw BrokerUnreachable(fmt::format("topic {} was created but its metadata did not appear in time", topic));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<int64_t> high_watermarks(rd_kafka_t* rk, const std::string& topic, int partitions,
                                     std::chrono::milliseconds timeout) {
  std::vector<int64_t> out(static_cast<size_t>(partitions));
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    const rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, timeout_ms(timeout));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw BrokerUnreachable(
          fmt::format("cannot read the offsets of {} partition {}: {}", topic, p, rd_kafka_err2str(err)));
    out[static_cast<size_t>(p)] = high;
  }
  return out;
}

void assign_partitions(rd_kafka_t* rk, const std::string& topic, const std::vector<int64_t>& offsets, int first,
                       int stride) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
  for (size_t p = static_cast<size_t>(first); p < offsets.size(); p += static_cast<size_t>(stride))
    rd_kafka_topic_partition_list_add(list, topic.c_str(), static_cast<int32_t>(p))->offset = offsets[p];
  const rd_kafka_resp_err_t err = rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw KafkaError(fmt::format("cannot assign {} partitions: {}", topic, rd_kafka_err2str(err)));
}

}  // namespace archsim
