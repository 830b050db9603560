// KappaRunner: runs one Kappa candidate of a scenario for real, at a
// scaled-down rate, on a Kafka-protocol broker (the embedded mock cluster by
// default, or an external cluster), and returns a measured CandidateResult
// (source "measured", the same shape as a simulated one).
//
// Path: open-loop producer (events at their intended times from the
// scenario's arrival process, sizes and keys from its distributions) ->
// input topic -> processor threads (consume, spin the candidate's CPU per
// event, produce) -> output topic -> sink consumer. Each payload carries the
// run id, a sequence number and the intended send time (microseconds on the
// steady clock of this process); latency is measured from the intended time,
// so a stalled producer shows up as latency (no coordinated omission).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archsim/broker_thread.hpp"
#include "archsim/delivery_semantics.hpp"
#include "archsim/fault_injector.hpp"
#include "archsim/kafka_properties.hpp"
#include "archsim/result.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// The default cap on the offered rate, events per second: what one
/// process drives comfortably through the embedded broker on a small machine.
inline constexpr double kDefaultMaxRealRateEps = 20000;

/// The offered rate of a real run and how it relates to the scenario's.
struct RateChoice {
  double rate_eps = 0;   ///< offered mean rate, events per second
  double scale = 1;      ///< rate_eps / scenario mean rate
  std::string reason;    ///< one sentence for the notes
};

/// `rate_eps` (absolute) wins over `rate_scale` (fraction of the scenario's
/// mean rate); with neither, min(scenario rate, kDefaultMaxRealRateEps).
/// Throws std::invalid_argument when both are given or one is not positive.
RateChoice choose_rate(const Scenario& scenario, std::optional<double> rate_eps, std::optional<double> rate_scale);

struct KappaRunOptions {
  /// External cluster ("host:port,..."); empty: start an embedded cluster
  /// with the candidate's broker count and topics.
  std::string bootstrap_servers;
  KafkaProperties properties;        ///< applied to every client (external clusters)
  RateChoice rate;                   ///< offered load (see choose_rate)
  double duration_s = 10;            ///< measured window, seconds, after the warm-up
  double warmup_s = 1;               ///< discarded from latency statistics (not from delivery counts)
  std::string topic_prefix = "archsim";  ///< topics PREFIX.CANDIDATE.in and PREFIX.CANDIDATE.out
  double drain_timeout_s = 15;       ///< how long to wait for in-flight events after the last send
  std::chrono::milliseconds connect_timeout{5000};  ///< bound on reaching the cluster
  int batches = 10;                  ///< batch-means batches for the latency intervals
  /// Delay added to every response of every embedded broker
  /// (rd_kafka_mock_broker_set_rtt), milliseconds; 0: none. Embedded only.
  int injected_rtt_ms = 0;
  /// Brokers taken down and up during the run (one, or all). Embedded only.
  std::vector<BrokerFault> faults;
  /// Fraction of every embedded broker's requests (of each kind in request_error_apis) that fail
  /// with a retriable error, for the whole run; 0: none. Embedded only.
  double request_error_fraction = 0;
  std::vector<int> request_error_apis{0, 1};  ///< request kinds that fail: 0 Produce, 1 Fetch
  /// Consumers dropped (no final commit) and re-created in the same group
  /// mid-run. Any cluster. With any restart scheduled, the restarted kind of
  /// consumer commits its offsets every commit_interval.
  std::vector<ConsumerRestart> restarts;
  std::chrono::milliseconds commit_interval{200};
  /// The producers' message.timeout.ms: an event not acknowledged by then fails.
  std::chrono::milliseconds message_timeout{20000};
  /// Progress lines (one sentence each); may be empty.
  std::function<void(const std::string&)> log;
};

/// Delivery bookkeeping by sequence number, over the whole run (warm-up included).
struct DeliveryCounts {
  uint64_t sent = 0;              ///< events accepted by the producer
  uint64_t acked = 0;             ///< delivery reports without error
  uint64_t produce_errors = 0;    ///< delivery reports with an error
  uint64_t received = 0;          ///< distinct sequence numbers at the sink
  uint64_t duplicated = 0;        ///< extra copies of a sequence number at the sink
  uint64_t lost = 0;              ///< sent but never received
  uint64_t foreign = 0;           ///< messages on the output topic not from this run (ignored)
  uint64_t unknown = 0;           ///< sent, but no delivery report when the run stopped
  uint64_t redelivered = 0;       ///< read again by restarted consumers (at-least-once: duplicates; exactly-once: not)
  uint64_t appended_twice = 0;    ///< records the broker appended twice on producer retries (MeasuredDelivery)
};

struct KappaRunOutcome {
  CandidateResult result;    ///< named "CANDIDATE (measured)", source "measured"
  DeliveryCounts delivery;
  /// Non-empty when the broker did not acknowledge every event sent (some
  /// failed or were still unacknowledged when the run stopped, e.g. every
  /// broker down for longer than message.timeout.ms): what happened, with the
  /// counts. The rest of the outcome is complete; `archsim check` exits 4.
  std::string failure;
  std::string broker;        ///< "embedded mock cluster (3 brokers) at 127.0.0.1:..." or the external list
  double wall_s = 0;         ///< wall time of the run
  int64_t t0_us = 0;         ///< first intended send, microseconds on the run clock (run_payload.hpp)
  // What the run used, for the local twin (local_twin.hpp).
  int processors = 0;              ///< processor threads started
  double fetch_wait_max_s = 0;     ///< consumers' fetch.wait.max.ms
  double cpu_per_event_s = 0;      ///< spin per event in the processors
  /// End-to-end latency per second of the run (by intended send time, from
  /// the first intended send): (second, events, p50_s, p99_s, max_s).
  struct Second {
    int second = 0;
    uint64_t events = 0;
    double p50_s = 0, p99_s = 0, max_s = 0;
  };
  std::vector<Second> latency_over_time;
  /// What happened when, one line per fault (seconds from the first
  /// intended send); result.faults has the same timeline as data.
  std::vector<std::string> fault_timeline;
  /// The candidate's delivery semantics; transactional: the processors ran
  /// exactly-once (transactional producers, read_committed consumers).
  DeliveryPlan delivery_plan;
  uint64_t transactions = 0;          ///< transactions committed, all processors
  uint64_t aborted_transactions = 0;  ///< transactions aborted (or abandoned at a restart) and re-processed
  uint64_t aborted_records_dropped = 0;  ///< records of aborted transactions the sink's read_committed filter dropped
  double commit_mean_s = 0;           ///< mean commit_transaction() call
  /// Embedded broker: its one I/O thread's and the clients' threads' shares
  /// of the measured window (broker_thread.hpp; negative: not measured).
  RunThreadShares threads;
};

/// max.in.flight.requests.per.connection of the runner's producers (all
/// idempotent): the candidate's, within the 1 to 5 librdkafka allows then.
inline int runner_max_in_flight(const ProducerConfig& pc) { return std::clamp(pc.max_in_flight, 1, 5); }

/// What the runner's own produce path achieved when flooded (see probe_runner_produce).
struct ProducePathProbe {
  uint64_t events = 0;   ///< acknowledged events
  uint64_t errors = 0;   ///< delivery reports with an error
  double wall_s = 0;     ///< first send to the last acknowledgement
  double eps = 0;        ///< events / wall_s
  double cpu_s = 0;      ///< CPU time of the whole process (all threads) during the probe
};

/// The runner's producer thread exactly as run_kappa runs it (the scenario's
/// arrival processes, sizes and keys, the candidate's producer settings with
/// enable.idempotence=true and acks=all), but with every intended time in the
/// past, so it sends `events` events as fast as it can to `topic` (no
/// consumers). Used to compare the runner with a plain produce loop.
/// Throws KafkaError / BrokerUnreachable like run_kappa.
ProducePathProbe probe_runner_produce(const Scenario& scenario, const Candidate& candidate,
                                      const std::string& bootstrap_servers, const std::string& topic,
                                      uint64_t events);

/// Runs `candidate` (kind "kappa") of `scenario`. Throws
/// std::invalid_argument for bad options or an unsupported candidate,
/// BrokerUnreachable (kafka_client.hpp) when the cluster cannot be reached
/// within connect_timeout, and KafkaError for other Kafka failures (topic
/// creation refused, produce failed).
KappaRunOutcome run_kappa(const Scenario& scenario, const Candidate& candidate, const KappaRunOptions& options);

}  // namespace archsim
