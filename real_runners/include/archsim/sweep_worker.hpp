// SweepWorker: the loop of `archsim worker`. It joins a consumer group on
// the jobs topics of distributed sweeps, simulates each job's point in a
// child process (as a local sweep does), publishes the point's record to the
// job's results topic keyed by point id, and only once Kafka has
// acknowledged the result commits the job's offset. A worker killed at any
// moment therefore loses nothing: after the group rebalances, another worker
// redoes its uncommitted jobs (the coordinator drops the duplicates).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "archsim/kafka_properties.hpp"

namespace archsim {

struct SweepWorkerOptions {
  std::string bootstrap_servers;
  KafkaProperties properties;                  ///< --kafka-config; may be empty
  std::string group = "archsim-sweep-workers"; ///< consumer group shared by all workers
  std::string sweep_id;                        ///< only this sweep's jobs; "" = every sweep's
  double exit_when_idle_s = 0;                 ///< exit after this long without a job; 0 = run until stopped
  std::chrono::milliseconds connect_timeout{10000};
  std::function<void(const std::string&)> info;  ///< progress notes (may be empty)
  std::function<void(const std::string&)> warn;  ///< problems that do not stop the worker (may be empty)
};

/// What a worker did.
struct SweepWorkerStats {
  size_t simulated = 0;  ///< points simulated and published
  size_t failed = 0;     ///< of which the simulation failed (published as "failed" records)
  size_t skipped = 0;    ///< unreadable job messages, committed and skipped
};

/// Runs the worker until interrupted (throws Interrupted) or idle for
/// exit_when_idle_s. Throws BrokerUnreachable when the cluster does not
/// answer at start, KafkaError when a result cannot be published (the job
/// stays uncommitted for another worker), std::invalid_argument for a
/// rejected --kafka-config property or a job from another archsim version.
/// Must be called from the main thread (points run in forked processes).
SweepWorkerStats run_sweep_worker(const SweepWorkerOptions& options);

}  // namespace archsim
