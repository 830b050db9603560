// Kafka client helpers for the runners: owning handles, client creation from
// settings plus the user's properties, reachability and topic checks with
// bounded timeouts, topic creation through the admin API, and partition high
// watermarks. Every failure says which broker list and which step failed.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "archsim/kafka_properties.hpp"

namespace archsim {

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
/// An owned librdkafka client (producer or consumer).
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;

struct KafkaMessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
/// An owned message (from rd_kafka_consumer_poll).
using KafkaMessage = std::unique_ptr<rd_kafka_message_t, KafkaMessageDeleter>;

/// Client settings in the order they are applied: `settings` first (the
/// runner's), then the user's `properties` (which win), then `forced`
/// (settings the measurement depends on, applied last).
struct ClientSettings {
  std::string bootstrap_servers;
  std::vector<std::pair<std::string, std::string>> settings;
  const KafkaProperties* properties = nullptr;
  std::vector<std::pair<std::string, std::string>> forced;
  /// Called for every delivery report (producers); `opaque` is passed to it.
  void (*delivery_report)(rd_kafka_t*, const rd_kafka_message_t*, void*) = nullptr;
  void* opaque = nullptr;
};

/// Creates a client. Throws std::invalid_argument when a setting is
/// rejected (secret values are never shown) and std::runtime_error when
/// librdkafka cannot create the handle. librdkafka's own log lines at
/// warning level or below are suppressed (errors surface through calls).
KafkaHandle make_client(rd_kafka_type_t type, const ClientSettings& settings);

/// Kafka failed us: the cluster refused a request (e.g. topic creation not
/// authorised) or a client could not produce. An environment failure, not
/// a bug in archsim and not bad input.
class KafkaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The broker cannot be reached (or refused us) within the time allowed.
class BrokerUnreachable : public KafkaError {
 public:
  using KafkaError::KafkaError;
};

/// Fetches cluster metadata within `timeout`; throws BrokerUnreachable
/// naming the broker list when no broker answers. Returns the number of
/// brokers in the metadata.
int check_reachable(rd_kafka_t* rk, const std::string& bootstrap_servers, std::chrono::milliseconds timeout);

/// Partition count of `topic`, or 0 when the cluster does not know it.
int partition_count(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout);

/// Creates `topic` with the admin API (CreateTopics) and waits until its
/// metadata shows it. Throws BrokerUnreachable on timeout and KafkaError
/// naming the broker's error (e.g. not authorised).
void create_topic_with_admin_api(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor,
                                 std::chrono::milliseconds timeout);

/// High watermark (next offset) of each partition 0..partitions-1 of `topic`.
std::vector<int64_t> high_watermarks(rd_kafka_t* rk, const std::string& topic, int partitions,
                                     std::chrono::milliseconds timeout);

/// Assigns every partition of `topic` whose index % stride == first to the
/// consumer `rk`, each at its offset in `offsets`.
void assign_partitions(rd_kafka_t* rk, const std::string& topic, const std::vector<int64_t>& offsets, int first,
                       int stride);

}  // namespace archsim
