// SweepCoordinator: the Kafka side of `archsim sweep --cluster`. It creates
// the sweep's jobs and results topics, publishes one job per missing point
// (skipping points an earlier run already published), and collects results
// from the results topic as `archsim worker` processes publish them. It is
// used as a PointExecutor, so the journal, deduplication by point id and
// resume are the local sweep's.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "archsim/kafka_client.hpp"
#include "archsim/kafka_properties.hpp"
#include "archsim/sweep_run.hpp"

namespace archsim {

/// How to reach the cluster and how to lay out the sweep's topics.
struct SweepClusterOptions {
  std::string bootstrap_servers;
  KafkaProperties properties;                      ///< --kafka-config (security, SASL); may be empty
  int partitions = 12;                             ///< of the topics archsim creates (caps the useful workers)
  int replication_factor = 3;                      ///< of the topics archsim creates, capped at the broker count
  std::chrono::milliseconds connect_timeout{10000};
  double stall_warning_s = 60;                     ///< say so when no result arrived for this long
  std::function<void(const std::string&)> info;   ///< progress notes (may be empty)
  std::function<void(const std::string&)> warn;   ///< problems that do not stop the sweep (may be empty)
};

class SweepCoordinator {
 public:
  /// Connects and makes sure both topics exist. Throws BrokerUnreachable
  /// when no broker answers within options.connect_timeout, KafkaError when
  /// a topic cannot be created, std::invalid_argument for a rejected
  /// --kafka-config property.
  SweepCoordinator(const SweepPlan& plan, SweepClusterOptions options);

  const std::string& id() const { return id_; }
  const std::string& jobs_topic() const { return jobs_topic_; }
  const std::string& results_topic() const { return results_topic_; }

  /// Publishes the jobs of `pending` not yet on the jobs topic, then reads
  /// the results topic from its start, calling on_record for each result of
  /// this sweep, until every pending point has one. Throws Interrupted on
  /// Ctrl-C and KafkaError when a job cannot be published.
  void run(const std::vector<PendingPoint>& pending, const std::function<void(nlohmann::json)>& on_record,
           const std::function<void()>& on_tick);

  /// run() as a PointExecutor; the coordinator must outlive it.
  PointExecutor executor();

 private:
  std::vector<size_t> published_points();
  void publish(const std::vector<PendingPoint>& pending);
  void note(const std::string& text) const;
  void warn(const std::string& text) const;

  const SweepPlan& plan_;
  SweepClusterOptions options_;
  std::string id_;
  std::string jobs_topic_;
  std::string results_topic_;
  int jobs_partitions_ = 0;
  int results_partitions_ = 0;
  KafkaHandle producer_;
  KafkaHandle consumer_;
};

/// Makes sure `topic` exists: the admin API creates it with `partitions`;
/// a cluster without the admin API (the embedded broker) auto-creates it on
/// a metadata request with its default partition count. Returns the
/// partition count. Throws KafkaError / BrokerUnreachable naming the topic.
int ensure_sweep_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor,
                       std::chrono::milliseconds timeout);

}  // namespace archsim
