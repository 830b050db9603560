// FailureModel: how often each class of a candidate's components fails, how
// long a failure lasts, and the recovery settings (scenario section
// `failures` of a candidate). Parsed by the scenario loader; used by the
// availability model. Times are seconds, sizes bytes.
#pragma once

#include <optional>

namespace archsim {

/// Failures of one instance of a component class: they start every
/// `mtbf_s` on average (Poisson) and last a lognormal repair time with the
/// given mean and p99 (every repair takes the mean when p99 is 0).
struct FailureProfile {
  double mtbf_s = 0;       ///< mean time between failures of one instance; 0: never fails
  double mttr_mean_s = 0;  ///< mean time to repair (the instance back in service)
  double mttr_p99_s = 0;   ///< 99th percentile repair time; 0: constant
  bool enabled() const { return mtbf_s > 0; }
};

/// A candidate's failure model. Recovery settings left out take the
/// catalog's technology defaults (Kafka, Flink, Spark documented defaults).
struct FailureModel {
  FailureProfile brokers;        ///< a broker machine is lost (its page cache too; its disk survives)
  FailureProfile processing;     ///< a processing instance (host) crashes: its tasks restart from the last checkpoint
  FailureProfile batch_storage;  ///< lambda: the batch layer's storage is unavailable
  FailureProfile gateways;       ///< edge: a site's gateway is down (its devices cannot deliver)
  std::optional<double> broker_failover_s;       ///< broker crash -> new leaders known to clients
  std::optional<double> failure_detection_s;     ///< processing crash -> detected (engine's session/heartbeat timeout)
  std::optional<double> producer_buffer_bytes;   ///< buffer.memory per producer
  std::optional<double> max_block_s;             ///< max.block.ms: send() blocks this long on a full buffer, then fails
  std::optional<double> delivery_timeout_s;      ///< delivery.timeout.ms
  int episodes = 200;                            ///< repair-time draws per failure type
  bool any() const { return brokers.enabled() || processing.enabled() || batch_storage.enabled() || gateways.enabled(); }
};

}  // namespace archsim
