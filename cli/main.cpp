// archsim: the command-line entry point. Builds the CLI11 app, registers the
// subcommands (each a file pair in cli/), and maps every error to the
// documented exit codes, once, here.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "archsim/cli_errors.hpp"
#include "archsim/cmd_broker.hpp"
#include "archsim/cmd_calibrate.hpp"
#include "archsim/cmd_check.hpp"
#include "archsim/cmd_export.hpp"
#include "archsim/cmd_recommend.hpp"
#include "archsim/cmd_report.hpp"
#include "archsim/cmd_simulate.hpp"
#include "archsim/cmd_sweep.hpp"
#include "archsim/cmd_validate.hpp"
#include "archsim/cmd_worker.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/simulator.hpp"

namespace {

/// Colour only for a terminal, and never when NO_COLOR is set or TERM=dumb.
bool stdout_wants_colour() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::strcmp(term, "dumb") == 0);
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) must fail the write (exit 4), not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app(
      "archsim simulates candidate real-time data architectures (Lambda, Kappa, edge) on SimGrid\n"
      "from a JSON scenario, predicts their tail latency, cost and availability, says which\n"
      "candidates meet the scenario's targets and by what margin, sweeps and searches design\n"
      "spaces, and checks a design against a real Kafka broker.",
      "archsim");
  app.set_version_flag("--version", [] { return archsim::version(); }, "print archsim's version and exit");
  app.require_subcommand(1);
  app.footer(archsim::exit_code_help() +
             "\nRun 'archsim SUBCOMMAND --help' for its options and examples, e.g.\n"
             "  archsim validate scenarios/kappa-reference.json\n"
             "  archsim simulate scenarios/kappa-reference.json --json result.json\n"
             "  archsim report result.json --format html -o report.html");

  archsim::ValidateOptions validate_opts;
  archsim::SimulateOptions simulate_opts;
  archsim::ReportOptions report_opts;
  CLI::App* validate = archsim::setup_validate(app, validate_opts);
  CLI::App* simulate = archsim::setup_simulate(app, simulate_opts);
  archsim::BrokerOptions broker_opts;
  archsim::CheckOptions check_opts;
  CLI::App* broker = archsim::setup_broker(app, broker_opts);
  CLI::App* check = archsim::setup_check(app, check_opts);
  archsim::CalibrateCmdOptions calibrate_opts;
  CLI::App* calibrate = archsim::setup_calibrate(app, calibrate_opts);
  CLI::App* report = archsim::setup_report(app, report_opts);
  archsim::ExportOptions export_opts;
  CLI::App* export_omb = archsim::setup_export(app, export_opts);
  archsim::SweepOptions sweep_opts;
  archsim::RecommendOptions recommend_opts;
  CLI::App* sweep = archsim::setup_sweep(app, sweep_opts);
  CLI::App* recommend = archsim::setup_recommend(app, recommend_opts);
  archsim::WorkerOptions worker_opts;
  CLI::App* worker = archsim::setup_worker(app, worker_opts);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0.
    return app.exit(e) == 0 ? archsim::exit_code::ok : archsim::exit_code::invalid_input;
  }

  try {
    if (validate->parsed()) return archsim::run_validate(validate_opts, std::cout, std::cerr);
    if (simulate->parsed()) {
      archsim::install_interrupt_handlers();  // Ctrl-C: children killed, nothing written, exit 130
      simulate_opts.colour = stdout_wants_colour();
      return archsim::run_simulate(simulate_opts, std::cout, std::cerr);
    }
    if (report->parsed()) return archsim::run_report(report_opts, std::cout, std::cerr);
    if (broker->parsed()) return archsim::run_broker(broker_opts, std::cout, std::cerr);
    if (check->parsed()) {
      archsim::install_interrupt_handlers();  // Ctrl-C: runner threads joined, broker stopped, nothing written, exit 130
      return archsim::run_check(check_opts, std::cout, std::cerr);
    }
    if (export_omb->parsed()) return archsim::run_export_omb(export_opts, std::cout, std::cerr);
    if (sweep->parsed()) {
      archsim::install_interrupt_handlers();  // Ctrl-C: points killed, the journal keeps finished ones, exit 130
      sweep_opts.terminal = ::isatty(STDERR_FILENO) != 0;
      return archsim::run_sweep(sweep_opts, std::cout, std::cerr);
    }
    if (recommend->parsed()) {
      archsim::install_interrupt_handlers();
      return archsim::run_recommend(recommend_opts, std::cout, std::cerr);
    }
    if (worker->parsed()) {
      archsim::install_interrupt_handlers();  // Ctrl-C: the point in progress is killed and left uncommitted, exit 130
      return archsim::run_worker(worker_opts, std::cout, std::cerr);
    }
    if (calibrate->parsed()) return archsim::run_calibrate(calibrate_opts, std::cout, std::cerr);
    return archsim::exit_code::internal_error;  // require_subcommand(1) makes this unreachable
  } catch (...) {
    return archsim::report_exception(std::current_exception(), std::cerr);
  }
}
