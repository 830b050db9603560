// `archsim export omb`: see cmd_export.hpp.
#include "archsim/cmd_export.hpp"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/omb.hpp"
#include "archsim/scenario_loader.hpp"

namespace archsim {

CLI::App* setup_export(CLI::App& app, ExportOptions& opts) {
  CLI::App* exp = app.add_subcommand("export", "Export a candidate for another tool (OpenMessaging Benchmark)");
  exp->require_subcommand(1);
  CLI::App* omb = exp->add_subcommand("omb", "Write a candidate's load and Kafka settings as OpenMessaging Benchmark files");
  omb->add_option("SCENARIO", opts.scenario_file, "scenario JSON file")->required();
  omb->add_option("--candidate", opts.candidate, "the candidate to export (default: the first one)")->type_name("NAME");
  omb->add_option("-o,--output-dir", opts.output_dir, "directory for workload.yaml and driver-kafka.yaml (must exist; default .)")
      ->type_name("DIR");
  omb->add_option("--bootstrap-servers", opts.bootstrap_servers,
                  "your cluster, written into the driver's commonConfig (default: a BROKER_HOST:9092 placeholder)")
      ->type_name("LIST");
  omb->footer(
      "Writes DIR/workload.yaml (topics, partitionsPerTopic, keyDistributor, messageSize,\n"
      "producersPerTopic, consumerPerSubscription, producerRate, test and warm-up minutes) and\n"
      "DIR/driver-kafka.yaml (replicationFactor, topicConfig, commonConfig, producerConfig with acks,\n"
      "linger.ms and batch.size, consumerConfig with fetch settings) from the scenario's workload and\n"
      "the candidate's Kafka settings, and prints what OMB cannot express (size distributions, rate\n"
      "patterns, the processing and sink stages). Run them with OMB, then compare:\n"
      "  bin/benchmark --drivers driver-kafka.yaml workload.yaml        (writes a result JSON)\n"
      "  archsim report result.json --omb-result <that JSON> -o predicted-vs-omb.html\n"
      "\n"
      "Examples:\n"
      "  archsim export omb scenarios/kappa-reference.json --candidate kappa-baseline -o omb/\n"
      "  archsim export omb scenarios/clickstream-kappa.json --bootstrap-servers kafka-1:9092,kafka-2:9092\n"
      "\n"
      "Exit status: 0 ok; 2 bad input (invalid scenario, unknown candidate, missing directory, a\n"
      "candidate that is not Kafka-based); 4 when a file cannot be written.");
  return omb;
}

int run_export_omb(const ExportOptions& opts, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(opts.output_dir, ec))
    throw std::invalid_argument(fmt::format("-o {}: no such directory", opts.output_dir));
  const Scenario scenario = load_scenario_file(opts.scenario_file);
  const Candidate& cand = opts.candidate ? find_candidate(scenario, *opts.candidate, opts.scenario_file) : scenario.candidates.front();
  const OmbExport e = export_omb(scenario, cand, opts.bootstrap_servers);
  const auto dir = std::filesystem::path(opts.output_dir);
  write_output((dir / "workload.yaml").string(), e.workload_yaml);
  write_output((dir / "driver-kafka.yaml").string(), e.driver_yaml);
  out << fmt::format("wrote {} and {} for candidate '{}'\n", (dir / "workload.yaml").string(), (dir / "driver-kafka.yaml").string(), cand.name);
  if (!e.caveats.empty()) {
    out << "what OMB cannot express:\n";
    for (const auto& c : e.caveats) out << "  - " << c << '\n';
  }
  if (opts.bootstrap_servers.empty()) err << "note: edit bootstrap.servers in driver-kafka.yaml (BROKER_HOST:9092) or pass --bootstrap-servers\n";
  return exit_code::ok;
}

}  // namespace archsim
