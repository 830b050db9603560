// `archsim worker`: options, help and the mapping of Kafka failures to exit codes.
#include "archsim/cmd_worker.hpp"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/sweep_worker.hpp"

namespace archsim {

CLI::App* setup_worker(CLI::App& app, WorkerOptions& opts) {
  CLI::App* cmd =
      app.add_subcommand("worker", "Simulate points of distributed sweeps (`sweep --cluster`) taken from Kafka");
  cmd->add_option("--cluster", opts.cluster, "the Kafka cluster of the sweeps (host:port,...)")
      ->type_name("BOOTSTRAP")
      ->required();
  cmd->add_option("--kafka-config", opts.kafka_config,
                  "librdkafka properties for every client: key=value lines, # comments (security.protocol, "
                  "sasl.*, ssl.*, session.timeout.ms); secrets are never printed")
      ->type_name("FILE");
  cmd->add_option("--group", opts.group, "consumer group shared by the workers")->type_name("NAME")->capture_default_str();
  cmd->add_option("--sweep", opts.sweep_id,
                  "only this sweep's jobs (the ID the coordinator prints); default: every sweep on the cluster")
      ->type_name("ID");
  cmd->add_option("--exit-when-idle", opts.exit_when_idle_s,
                  "exit (status 0) after this many seconds without a job; 0 = run until Ctrl-C or SIGTERM")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->footer(
      "A worker joins consumer group GROUP on the jobs topics of distributed sweeps\n"
      "(archsim-sweep-ID-jobs), simulates one point at a time in a child process, exactly as a\n"
      "local sweep does, publishes the point's record to the sweep's results topic keyed by point\n"
      "id, and commits the job only after Kafka has acknowledged the result. Run one worker per\n"
      "core, on as many machines as you like: the jobs topic's partitions are shared among them.\n"
      "A worker that dies (even by kill -9) loses nothing: when its session times out (10 s by\n"
      "default; session.timeout.ms in --kafka-config) the group rebalances and another worker\n"
      "redoes its uncommitted points; the coordinator drops the duplicates. Workers must run the\n"
      "coordinator's archsim version (a job of another version is refused, exit 2, and left for\n"
      "others); a scenario naming a custom catalog needs it at the same absolute path.\n"
      "\n"
      "Examples:\n"
      "  archsim worker --cluster 127.0.0.1:39092\n"
      "  for i in 1 2 3 4; do archsim worker --cluster kafka-1:9092 --kafka-config client.properties & done\n"
      "  archsim worker --cluster kafka-1:9092 --sweep 3f2a9c0d11e4b5a7 --exit-when-idle 60\n"
      "\n"
      "Exit status: 0 after --exit-when-idle; 2 bad options, malformed --kafka-config, a job from\n"
      "another archsim version; 4 no broker answered, or a result could not be published (the job\n"
      "stays for another worker); 130 after Ctrl-C, 143 after SIGTERM (the point in progress is\n"
      "left uncommitted for another worker).");
  return cmd;
}

int run_worker(const WorkerOptions& opts, std::ostream&, std::ostream& err) {
  auto log = make_logger(err, opts.quiet);
  SweepWorkerOptions w;
  w.bootstrap_servers = opts.cluster;
  w.group = opts.group;
  w.sweep_id = opts.sweep_id;
  w.exit_when_idle_s = opts.exit_when_idle_s;
  if (!opts.kafka_config.empty()) {
    w.properties = KafkaProperties::load_file(opts.kafka_config);
    log->info("kafka config: {} properties from {}: {}", w.properties.items().size(), opts.kafka_config,
              w.properties.describe());
  }
  w.info = [&log](const std::string& line) { log->info("{}", line); };
  w.warn = [&log](const std::string& line) { log->warn("{}", line); };
  SweepWorkerStats stats;
  try {
    stats = run_sweep_worker(w);
  } catch (const KafkaError& e) {
    throw EnvironmentError(e.what());
  }
  log->info("worker done: {} points simulated ({} failed), {} unreadable jobs skipped", stats.simulated, stats.failed,
            stats.skipped);
  return exit_code::ok;
}

}  // namespace archsim
