// Simulation speed: simulated events per wall-clock second on the reference
// Kappa scenario (scenarios/kappa-reference.json, first candidate: 100,000
// events/s from 4 producers, linger.ms 5, 3 brokers, 12 partitions,
// replication 3 with acks=all, one processing stage with parallelism 4), and
// the peak memory of the simulation process for growing simulated durations
// (it must not grow with the duration). Each run is a forked process on one
// core, as `archsim simulate` runs it.
//   build/release/bench/simulation_speed [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace {

struct ChildRun {
  double wall_s = 0;
  double events = 0;
  double max_rss_mib = 0;
  bool ok = false;
};

ChildRun run_in_child(const archsim::Scenario& sc) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double events = -1;
    try {
      const auto r = archsim::simulate_candidate_in_process(sc, sc.candidates.front(), sc.simulation.seed, archsim::SimMode::batched);
      events = r.offered_eps * r.simulated_s + r.offered_eps * r.warmup_s;  // all generated events, warm-up included
    } catch (...) {
    }
    (void)!write(fds[1], &events, sizeof events);
    _exit(events >= 0 ? 0 : 1);
  }
  close(fds[1]);
  ChildRun run;
  (void)!read(fds[0], &run.events, sizeof run.events);
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.max_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

void BM_KappaReference(benchmark::State& state) {
  archsim::Scenario sc;
  try {
    sc = archsim::load_scenario_file(std::string(ARCHSIM_SOURCE_DIR) + "/scenarios/kappa-reference.json");
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  sc.simulation.duration_s = static_cast<double>(state.range(0));
  sc.simulation.p99_ci_rel_width = 0;  // fixed duration: measure speed, not precision
  double events = 0, wall = 0, rss = 0;
  for (auto _ : state) {
    const ChildRun r = run_in_child(sc);
    if (!r.ok) {
      state.SkipWithError("simulation process failed");
      return;
    }
    events += r.events;
    wall += r.wall_s;
    rss = std::max(rss, r.max_rss_mib);
    state.SetIterationTime(r.wall_s);
  }
  state.counters["sim_events_per_wall_s"] = benchmark::Counter(events / wall);
  state.counters["x_real_time"] = benchmark::Counter((sc.simulation.duration_s + sc.simulation.warmup_s) * static_cast<double>(state.iterations()) / wall);
  state.counters["peak_rss_MiB"] = benchmark::Counter(rss);
}

// Simulated seconds after warm-up: 30 s (the shipped scenario) and 4x longer,
// to show memory does not grow with the simulated duration.
BENCHMARK(BM_KappaReference)->Arg(30)->Arg(120)->UseManualTime()->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
