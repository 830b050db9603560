// `archsim worker --cluster BOOTSTRAP`: simulate the points of distributed
// sweeps (`archsim sweep --cluster`) taken from Kafka, as one member of a
// consumer group, and publish their results.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim {

struct WorkerOptions {
  std::string cluster;                          ///< bootstrap servers
  std::string kafka_config;                     ///< librdkafka properties file; "" = none
  std::string group = "archsim-sweep-workers";  ///< consumer group
  std::string sweep_id;                         ///< only this sweep's jobs; "" = every sweep's
  double exit_when_idle_s = 0;                  ///< exit after this long without a job; 0 = never
  bool quiet = false;
};

/// Adds the `worker` subcommand to `app`, storing its arguments in `opts`.
CLI::App* setup_worker(CLI::App& app, WorkerOptions& opts);

/// Runs the worker until Ctrl-C/SIGTERM (throws Interrupted: exit 130/143)
/// or idle for --exit-when-idle (returns exit_code::ok). Throws
/// EnvironmentError (exit 4) when the cluster is unreachable or a result
/// cannot be published, std::invalid_argument (exit 2) for bad options, a
/// malformed --kafka-config or a job from another archsim version.
int run_worker(const WorkerOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
