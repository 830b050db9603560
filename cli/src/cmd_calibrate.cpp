// `archsim calibrate`: measure this machine's Kafka path and write the calibration file.
#include "archsim/cmd_calibrate.hpp"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include "archsim/calibration.hpp"
#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/kafka_client.hpp"

namespace archsim {

CLI::App* setup_calibrate(CLI::App& app, CalibrateCmdOptions& opts) {
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Measure this machine's Kafka path and write a calibration file for `check --calibration`");
  cmd->add_option("--bootstrap-servers", opts.bootstrap_servers,
                  "calibrate against an external cluster (host:port,...); default: the embedded mock cluster")
      ->type_name("LIST");
  cmd->add_option("-o,--output", opts.output, "calibration file to write (atomically), or - for stdout")
      ->type_name("FILE")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->footer(
      "Runs short probes (about 5 s): TCP round trip and throughput on 127.0.0.1; produce round\n"
      "trips of one 100 B message; pipelined single-message requests of 100 B and 64 KiB (the\n"
      "per-request and per-byte cost of the broker path); a plain produce loop and a consume loop\n"
      "(client cost per message); and whether the broker holds an empty fetch for the full\n"
      "fetch.wait.max.ms. The file is versioned JSON; `archsim check --calibration FILE` simulates\n"
      "the candidate on these figures (the local twin) instead of the catalog's hardware.\n"
      "Measurements on a loaded machine are noisy: calibrate when the machine is as quiet as the\n"
      "runs you will check.\n"
      "\n"
      "Examples:\n"
      "  archsim calibrate -o calibration.json\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --calibration calibration.json\n"
      "\n"
      "Exit status: 0 ok; 2 bad option; 4 broker unreachable or the file cannot be written.");
  return cmd;
}

int run_calibrate(const CalibrateCmdOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.output != "-") check_output_path("--output", opts.output);
  auto log = make_logger(err, opts.quiet);
  CalibrateOptions c;
  c.bootstrap_servers = opts.bootstrap_servers;
  c.log = [&log](const std::string& line) { log->info("{}", line); };
  Calibration cal;
  try {
    cal = calibrate(c);
  } catch (const KafkaError& e) {
    throw EnvironmentError(e.what());
  }
  const std::string json = calibration_to_json(cal);
  if (opts.output == "-") {
    out << json;
  } else {
    write_output(opts.output, json);
    log->info("wrote {}", opts.output);
  }
  log->info("{}", cal.describe(opts.output == "-" ? "(stdout)" : opts.output));
  return exit_code::ok;
}

}  // namespace archsim
