// `archsim sweep`: plan, confirm, run into the journal, write the outputs.
#include "archsim/cmd_sweep.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <spdlog/logger.h>

#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/progress_line.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/run_estimate.hpp"
#include "archsim/sweep_coordinator.hpp"
#include "archsim/sweep_record.hpp"
#include "archsim/sweep_reporter.hpp"
#include "archsim/sweep_run.hpp"

namespace archsim {

namespace {

namespace fs = std::filesystem;

/// Points above which a grid is refused outright, even with --yes.
constexpr size_t max_grid_points = 100000;

std::string duration_text(double s) {
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

CLI::App* setup_sweep(CLI::App& app, SweepOptions& opts) {
  CLI::App* cmd = app.add_subcommand("sweep", "Simulate a grid of scenario variants (parallel, resumable)");
  cmd->add_option("SCENARIO", opts.scenario_file, "scenario JSON file")->required();
  cmd->add_option("--vary", opts.varies,
                  "PATH=SPEC: vary the value at JSON pointer PATH over SPEC (repeatable; the grid is the "
                  "cross product, the last --vary varying fastest)")
      ->type_name("PATH=SPEC");
  cmd->add_option("--sweep-file", opts.sweep_file,
                  "JSON file of dimensions: {\"vary\": [{\"path\": P, \"spec\": S} or {\"path\": P, \"values\": "
                  "[...]}], \"candidate\": NAME}; taken before any --vary")
      ->type_name("FILE");
  cmd->add_option("--candidate", opts.candidate, "simulate only this candidate at each point")->type_name("NAME");
  cmd->add_option("-j,--jobs", opts.jobs, "points simulated at once, each in its own process; 0 = one per core")
      ->type_name("N")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--out", opts.out_dir,
                  "output directory (created if its parent exists): journal.jsonl, sweep.csv, sweep.json")
      ->type_name("DIR")
      ->capture_default_str();
  cmd->add_option("--report", opts.report_path,
                  "also write a self-contained HTML report (p99 against cost per point, Pareto fronts)")
      ->type_name("FILE.html");
  // --- distributed sweep over Kafka (see sweep_coordinator.hpp) ---
  cmd->add_option("--cluster", opts.cluster,
                  "distribute the points over Kafka: publish them as jobs for `archsim worker --cluster` processes "
                  "and collect their results (host:port,...)")
      ->type_name("BOOTSTRAP");
  cmd->add_option("--kafka-config", opts.kafka_config,
                  "with --cluster: librdkafka properties for every client: key=value lines, # comments "
                  "(security.protocol, sasl.*, ssl.*); secrets are never printed")
      ->type_name("FILE");
  cmd->add_option("--partitions", opts.partitions,
                  "with --cluster: partitions of the jobs and results topics when archsim creates them (the most "
                  "workers that can be busy at once)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  // --- end distributed sweep ---
  cmd->add_flag("--yes", opts.yes, "start a large sweep (more than 200 points or more than 10 min estimated)");
  cmd->add_flag("-q,--quiet", opts.quiet, "no progress, log only warnings and errors to stderr");
  cmd->footer(
      "PATH is a JSON pointer into the scenario, e.g. /workload/rate/mean_eps or\n"
      "/candidates/0/broker/partitions. It must name an existing number, string or boolean, or a\n"
      "setting the scenario leaves out (e.g. /candidates/1/broker/io_threads) inside an existing object.\n"
      "SPEC is one of:\n"
      "  V1,V2,...          a list; each value a JSON literal (4, 2.5, true, \"all\") or a bare\n"
      "                     string (5ms, m5.large); one value alone is a one-point list\n"
      "  START:STOP:STEP    a linear range, STOP included when it lands on it (1000:5000:1000)\n"
      "  START..STOP xF     a log range by factor F > 1 (1e3..1e6 x10: 1000, 10000, 100000, 1e6)\n"
      "  START..STOP nK     K points evenly spaced in log, both ends included (1e3..1e6 n4)\n"
      "Range values are rounded to integers when the scenario holds an integer at PATH.\n"
      "A point the scenario loader rejects (e.g. min_insync_replicas above replication_factor) is\n"
      "recorded as invalid with the loader's reason; the sweep goes on. Each point's seed is the\n"
      "scenario's, so results do not depend on -j.\n"
      "\n"
      "Every finished point is appended to DIR/journal.jsonl (fsynced). Rerun the same command\n"
      "after an interruption (Ctrl-C, kill -9, power loss) to resume: finished points are kept, a\n"
      "torn last line is dropped. At the end DIR/sweep.csv and DIR/sweep.json are written (ordered\n"
      "by point id) and stdout shows, per candidate, the cheapest point meeting every requirement\n"
      "and the Pareto front of monthly cost vs p99. Time estimates assume 5 M simulated events\n"
      "per second per core plus 0.25 s per candidate simulation.\n"
      "\n"
      "Examples:\n"
      "  archsim sweep scenarios/kappa-reference.json --vary /candidates/0/broker/partitions=6,12,24\n"
      "  archsim sweep scenarios/kappa-reference.json --vary '/workload/rate/mean_eps=2e4..1e5 n5' \\\n"
      "      --vary /candidates/0/processing/parallelism=2:8:2 --candidate kappa-baseline -j 2 --out rate-study\n"
      "  archsim sweep scenarios/kappa-reference.json --vary /candidates/1/producer/linger=5ms,20ms,50ms\n"
      "  archsim sweep scenarios/kappa-reference.json --sweep-file study.json --yes --report study.html\n"
      "\n"
      "Distributed (--cluster): the points become jobs on topic archsim-sweep-ID-jobs (ID hashes the\n"
      "scenario text and the grid, so two sweeps never mix), one message per point keyed by its id;\n"
      "`archsim worker --cluster BOOTSTRAP` processes (any number, on any machine, one consumer group)\n"
      "simulate them and publish each point's record to archsim-sweep-ID-results. This command\n"
      "collects them into the same journal and outputs as a local sweep, drops duplicates by point\n"
      "id, and resumes the same way; jobs already published by an interrupted run are not published\n"
      "again. A worker commits a job only after its result is stored, so a worker killed mid-point\n"
      "loses nothing: after the group rebalances another worker redoes the point. Workers need the\n"
      "same archsim version, and a custom catalog at the same absolute path. -j is then unused.\n"
      "  archsim broker > broker.txt &     # or any Kafka cluster\n"
      "  B=$(sed -n 's/^bootstrap.servers=//p' broker.txt)\n"
      "  archsim worker --cluster $B & archsim worker --cluster $B &\n"
      "  archsim sweep scenarios/kappa-reference.json --vary /candidates/0/broker/partitions=6,12,24 \\\n"
      "      --cluster $B --out part-study\n"
      "  archsim sweep scenarios/kappa-reference.json --sweep-file study.json --yes \\\n"
      "      --cluster kafka-1:9092,kafka-2:9092 --kafka-config client.properties\n"
      "\n"
      "Exit status: 0 ok (also when some points are invalid or fail); 2 bad input (invalid scenario,\n"
      "bad --vary: unknown pointer path, wrong type, empty range, unparseable SPEC; a large sweep\n"
      "without --yes; a journal in DIR from another scenario or grid; a malformed --kafka-config);\n"
      "4 when an output cannot be written, or with --cluster when no broker answers or the sweep's\n"
      "topics cannot be created or written; 130 after Ctrl-C (the journal keeps finished points).");
  return cmd;
}

int run_sweep(const SweepOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.cluster.empty() && (!opts.kafka_config.empty()))
    throw std::invalid_argument("--kafka-config is for a distributed sweep: give --cluster BOOTSTRAP too");
  if (opts.jobs < 0) throw std::invalid_argument(fmt::format("--jobs {}: expected 0 or more", opts.jobs));
  if (!opts.report_path.empty() && !(opts.report_path.size() > 5 &&
                                     opts.report_path.compare(opts.report_path.size() - 5, 5, ".html") == 0))
    throw std::invalid_argument(fmt::format("--report {}: expected a .html file", opts.report_path));
  auto log = make_logger(err, opts.quiet);
  const SweepPlan plan = make_sweep_plan(opts.scenario_file, opts.varies, opts.sweep_file, opts.candidate);
  if (plan.dims.empty()) throw std::invalid_argument("nothing to sweep: give at least one --vary PATH=SPEC or a --sweep-file");
  const size_t size = grid_size(plan.dims, max_grid_points);
  if (size > opts.confirm_points && !opts.yes)
    throw std::invalid_argument(fmt::format("the grid has {} points (more than {}): rerun with --yes to start it, or "
                                            "narrow the --vary ranges",
                                            size, opts.confirm_points));
  const int jobs = opts.jobs > 0 ? opts.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::vector<PreparedPoint> points = prepare_points(plan, size);
  const double estimate_s = estimate_wall_s(points, jobs);
  if (estimate_s > opts.confirm_wall_s && !opts.yes)
    throw std::invalid_argument(fmt::format("the grid has {} points, estimated {} of wall time with -j {} (at {:.1f} M "
                                            "simulated events/s per core), more than {}: rerun with --yes to start it",
                                            size, duration_text(estimate_s), jobs,
                                            kEstimatedEventsPerWallSecond / 1e6, duration_text(opts.confirm_wall_s)));

  const fs::path dir(opts.out_dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
    if (!fs::is_directory(parent, ec))
      throw std::invalid_argument(fmt::format("--out {}: directory {} does not exist (only the last level is created)",
                                              opts.out_dir, parent.string()));
    if (!fs::create_directory(dir, ec) && !fs::is_directory(dir))
      throw EnvironmentError(fmt::format("--out {}: cannot create the directory: {}", opts.out_dir, ec.message()));
  }
  check_output_path("--report", opts.report_path);  // after --out is created: the report may go inside it
  size_t invalid = 0;
  for (const PreparedPoint& p : points) invalid += p.scenario ? 0 : 1;
  log->info("sweep of {}: {} points ({} invalid), estimated {} with -j {} at {:.1f} M simulated events/s per core",
            plan.scenario_file, size, invalid, duration_text(estimate_s), jobs, kEstimatedEventsPerWallSecond / 1e6);

  ProgressLine progress(err, opts.terminal, opts.quiet, "points");
  bool started = false;
  SweepRunInfo info;
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<nlohmann::json> records;
  const auto on_progress = [&](size_t done, size_t total) {
    if (!started) {
      progress.start(done, total);
      started = true;
    }
    progress.update(done, total);
  };
  try {
    // --- distributed sweep: the coordinator connects before the journal is touched ---
    std::unique_ptr<SweepCoordinator> coordinator;
    if (!opts.cluster.empty()) {
      SweepClusterOptions cluster;
      cluster.bootstrap_servers = opts.cluster;
      cluster.partitions = opts.partitions;
      if (!opts.kafka_config.empty()) {
        cluster.properties = KafkaProperties::load_file(opts.kafka_config);
        log->info("kafka config: {} properties from {}: {}", cluster.properties.items().size(), opts.kafka_config,
                  cluster.properties.describe());
      }
      cluster.info = [&log](const std::string& line) { log->info("{}", line); };
      cluster.warn = [&log](const std::string& line) { log->warn("{}", line); };
      coordinator = std::make_unique<SweepCoordinator>(plan, std::move(cluster));
    }
    records = coordinator ? archsim::run_sweep(plan, points, dir / "journal.jsonl", coordinator->executor(),
                                               on_progress, info)
                          : archsim::run_sweep(plan, points, dir / "journal.jsonl", jobs, on_progress, info);
    // --- end distributed sweep ---
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const KafkaError& e) {
    throw EnvironmentError(e.what());
  } catch (const Interrupted&) {
    err << "\nsweep interrupted: every finished point is in the journal; the same command resumes it\n";
    throw;
  } catch (const std::runtime_error& e) {
    throw EnvironmentError(e.what());
  }
  progress.finish(records.size(), size);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (info.duplicates > 0) log->info("dropped {} duplicate result{} (points redone after a worker left)", info.duplicates, info.duplicates == 1 ? "" : "s");
  if (info.torn_tail_dropped) log->warn("journal: dropped a torn last line ({})", info.torn_reason);
  log->info("{} points: {} resumed from the journal, {} simulated now in {:.1f} s wall time", records.size(),
            info.resumed, info.simulated, wall);

  SweepOutcome outcome;
  outcome.scenario_name = plan.document.value("name", "");
  outcome.dims = plan.dims;
  outcome.candidate = plan.candidate;
  outcome.records = std::move(records);
  outcome.summaries = summarise_sweep(outcome.records);
  const SweepReporter reporter;
  std::ostringstream csv;
  reporter.write_csv(outcome, csv);
  write_output((dir / "sweep.csv").string(), csv.str());
  write_output((dir / "sweep.json").string(), reporter.to_json(outcome).dump(1) + "\n");
  log->info("wrote {} and {}", (dir / "sweep.csv").string(), (dir / "sweep.json").string());
  if (!opts.report_path.empty()) {
    std::ostringstream html;
    reporter.write_html(outcome, html);
    write_output(opts.report_path, html.str());
    log->info("wrote the report to {}", opts.report_path);
  }
  reporter.write_summary(outcome, out);
  return exit_code::ok;
}

}  // namespace archsim
