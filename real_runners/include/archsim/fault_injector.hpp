// FaultInjector: applies a real run's scheduled faults to the embedded
// cluster from one thread (brokers down and up, one or all; request errors
// on a fraction of Produce and Fetch requests for the whole run; consumer
// restarts, handed to the thread that owns the consumer) and keeps the
// fault timeline on the run's clock for the measured Result.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "archsim/result.hpp"

namespace archsim {

class EmbeddedCluster;

/// Broker ids of a BrokerFault beyond 1..N.
inline constexpr int kLeaderBroker = -1;  ///< the leader of the input topic's partition 0
inline constexpr int kAllBrokers = 0;     ///< every broker of the cluster at once

/// A broker taken down during a run and brought back (embedded cluster only).
struct BrokerFault {
  double at_s = 0;                 ///< seconds after the first intended send
  double duration_s = 0;           ///< down for this long
  int broker_id = kLeaderBroker;   ///< mock broker id 1..N, kLeaderBroker or kAllBrokers
};

/// Which consumer a ConsumerRestart re-creates.
enum class RestartedConsumer { processor, sink };

/// A consumer dropped as a crash would drop it (no final offset commit) and
/// re-created in the same consumer group, resuming from the group's
/// committed offsets.
struct ConsumerRestart {
  double at_s = 0;                                             ///< seconds after the first intended send
  RestartedConsumer consumer = RestartedConsumer::processor;   ///< processor: every processor thread's consumer
};

/// "processor" or "sink".
std::string to_string(RestartedConsumer c);

/// Request errors for the whole run: every broker fails this fraction of
/// its requests of each kind with a retriable error. Produce requests get
/// NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS and REQUEST_TIMED_OUT in turn
/// (the broker appends nothing, as a real one would not); Fetch requests get
/// NOT_LEADER_OR_FOLLOWER.
struct RequestErrorPlan {
  double fraction = 0;                 ///< of each broker's requests of each kind, 0 (none) or (0, 0.5]
  std::vector<int> api_keys{0, 1};     ///< request kinds: 0 Produce, 1 Fetch
};

class FaultInjector {
 public:
  /// `cluster` (null: an external cluster, restarts only) must outlive the
  /// injector. `broker_faults` name resolved ids
  /// (1..N or kAllBrokers). `restart` is called from the injector's thread at
  /// each restart's time; it must only ask the owning thread to restart and
  /// return at once. `seed` places the request errors (deterministic order).
  FaultInjector(EmbeddedCluster* cluster, std::vector<BrokerFault> broker_faults, RequestErrorPlan errors,
                std::vector<ConsumerRestart> restarts, std::function<void(const ConsumerRestart&)> restart,
                uint64_t seed);
  /// Stops the thread if still running (faults still in force stay so).
  ~FaultInjector();
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  /// Starts the thread; `t0_us` is the run's first intended send
  /// (microseconds on the steady clock). Request errors start at once.
  void start(int64_t t0_us);
  /// Stops and joins the thread and closes the timeline: faults still in
  /// force end at now (lifted = false); request-error entries record how many
  /// requests were served and how many failed.
  void stop();

  /// The fault timeline, in order of start time (complete after stop()).
  std::vector<FaultEvent> timeline() const;
  /// One line per timeline entry, e.g. "t=4.00-7.01 s: broker down (broker 2)".
  static std::string describe(const FaultEvent& f);
  /// Requests served and failed by the request-error plan (after stop()).
  uint64_t requests_served() const { return served_; }
  uint64_t requests_failed() const { return failed_; }
  /// The first failure of a mock-cluster call in the thread; "" when none.
  const std::string& error() const { return error_; }

 private:
  struct ErrorQueue {
    int broker = 0;
    int api_key = 0;
    uint64_t pushed = 0;                ///< entries queued so far
    std::vector<uint64_t> error_at;     ///< positions (in pushed order) that carry an error
  };
  void run();
  void top_up_request_errors();
  double now_s() const;

  EmbeddedCluster* cluster_;
  std::vector<BrokerFault> broker_faults_;
  RequestErrorPlan errors_;
  std::vector<ConsumerRestart> restarts_;
  std::function<void(const ConsumerRestart&)> restart_;
  uint64_t rng_state_;
  size_t next_error_code_ = 0;
  std::vector<ErrorQueue> queues_;
  int64_t t0_us_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mutex_;            ///< guards timeline_
  std::vector<FaultEvent> timeline_;
  std::vector<size_t> open_;            ///< timeline_ indexes of faults in force
  uint64_t served_ = 0;
  uint64_t failed_ = 0;
  std::string error_;                   ///< first failure of the thread (mock API call)
};

}  // namespace archsim
