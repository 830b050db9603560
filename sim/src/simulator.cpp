// Simulator implementation: one forked process per candidate (SimGrid allows
// one engine per process), results carried back as Result JSON over a pipe.
// Every candidate sees the same random workload (common random numbers:
// streams are named by component, not by candidate), which sharpens the
// comparison between candidates.
#include "archsim/simulator.hpp"

#include <simgrid/s4u.hpp>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>
#include <memory>
#include <thread>

#include "archsim/batch_layer_model.hpp"
#include "archsim/edge_site_model.hpp"
#include "archsim/evaluate.hpp"
#include "archsim/interrupt.hpp"
#include "archsim/kappa_model.hpp"
#include "archsim/result_json.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

/// The SimGrid engine of this process, configured as every archsim run is.
// gcc says __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__; clang 14 only answers __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ARCHSIM_CLANG_SANITIZER 1
#endif
#endif
#ifndef ARCHSIM_CLANG_SANITIZER
#define ARCHSIM_CLANG_SANITIZER 0
#endif

std::unique_ptr<simgrid::s4u::Engine> make_engine() {
  std::vector<std::string> args = {"archsim", "--log=root.thres:critical", "--cfg=network/model:CM02",
                                   "--cfg=network/crosstraffic:0"};
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || ARCHSIM_CLANG_SANITIZER
  // Sanitizers cannot follow SimGrid's hand-written context switches (raw
  // contexts); threads are slower but visible to them.
  args.emplace_back("--cfg=contexts/factory:thread");
#endif
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
}

}  // namespace

CandidateResult simulate_candidate_in_process(const Scenario& scenario, const Candidate& candidate, uint64_t seed, SimMode mode) {
  if (candidate.kind != "kappa" && candidate.kind != "lambda" && candidate.kind != "edge")
    throw std::invalid_argument("candidate kind '" + candidate.kind + "' cannot be simulated by this version");
  auto engine = make_engine();
  // a Lambda candidate's speed layer and an edge candidate's core are Kappa pipelines
  const Scenario pipeline = candidate.kind == "edge" ? edge_core_scenario(scenario, candidate) : scenario;
  KappaModel model(pipeline, candidate, seed, mode);
  return summarise_run(pipeline, candidate, model.run());
}

CandidateResult simulate_edge_site_in_process(const Scenario& scenario, const Candidate& candidate, uint64_t seed) {
  auto engine = make_engine();
  EdgeSiteModel model(scenario, candidate, seed);
  return summarise_edge_site(scenario, candidate, model.run());
}

CandidateResult simulate_batch_layer_in_process(const Scenario& scenario, const Candidate& candidate) {
  auto engine = make_engine();
  BatchLayerModel model(scenario, candidate);
  return summarise_batch_layer(model.run());
}

namespace {

struct Child {
  pid_t pid = -1;
  int fd = -1;
  size_t index = 0;
  std::string output;
};

// What one child process simulates: a candidate's pipeline, or a Lambda
// candidate's batch layer.
struct Job {
  size_t candidate = 0;
  bool second_half = false;  // a Lambda candidate's batch layer or an edge candidate's sites
};

Child start_child(const Scenario& sc, const Candidate& cand, uint64_t seed, SimMode mode, size_t index, bool second_half) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  // Buffered output would otherwise be written twice: by this process and by the child.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("cannot fork a simulation process: {}", std::strerror(errno)));
  if (pid == 0) {
    restore_default_interrupt_handlers();  // a child stops at once; the parent cleans up
    close(fds[0]);
    int code = 0;
    std::string out;
    try {
      out = to_json(!second_half                ? simulate_candidate_in_process(sc, cand, seed, mode)
                    : cand.kind == "edge"       ? simulate_edge_site_in_process(sc, cand, seed)
                                                : simulate_batch_layer_in_process(sc, cand))
                .dump();
    } catch (const std::exception& e) {
      out = nlohmann::json{{"error", e.what()}}.dump();
      code = 1;
    }
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t w = write(fds[1], out.data() + done, out.size() - done);
      if (w <= 0) _exit(1);
      done += static_cast<size_t>(w);
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  return Child{pid, fds[0], index, {}};
}

/// Peak resident memory of a running process (VmHWM, bytes); 0 when unknown.
double peak_resident_bytes(pid_t pid) {
  std::FILE* f = std::fopen(fmt::format("/proc/{}/status", pid).c_str(), "r");
  if (f == nullptr) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1) break;
  std::fclose(f);
  return kib * 1024;
}

/// The same words however far above the bound the process got when it was
/// looked at (that depends on timing), so the Result stays byte-identical.
std::string memory_bound_text(double bound_bytes) {
  return fmt::format("its simulation process went above the --max-memory bound of {} of resident memory",
                     format_bytes(bound_bytes));
}

/// Waits for child `c` and returns what it simulated, or a result whose
/// `error` says why it failed (its message without the candidate's name).
/// Throws only for an interrupt or a cancel (simulate() kills the children).
CandidateResult finish_child(Child& c, const std::string& name, const std::atomic<bool>* cancel,
                             std::optional<double> max_memory_bytes) {
  char buf[65536];
  std::optional<std::string> stopped;  // why this process was killed here
  for (;;) {
    // Wake up at least every 200 ms to notice an interrupt (or a cancel)
    // that arrived outside a blocking call; simulate() kills the children.
    throw_if_interrupted();
    if (cancel != nullptr && cancel->load()) throw SimulationCancelled(fmt::format("simulation of '{}' cancelled", name));
    if (max_memory_bytes && !stopped) {
      if (const double used = peak_resident_bytes(c.pid); used > *max_memory_bytes) {
        kill(c.pid, SIGKILL);
        stopped = memory_bound_text(*max_memory_bytes);  // the same words as at its end
      }
    }
    pollfd pfd{c.fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 200);
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    const ssize_t n = read(c.fd, buf, sizeof buf);
    if (n > 0) {
      c.output.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      throw_if_interrupted();  // simulate() kills the children
      continue;
    }
    break;
  }
  close(c.fd);
  c.fd = -1;
  int status = 0;
  rusage usage{};
  while (wait4(c.pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  c.pid = -1;
  throw_if_interrupted();  // a child killed by the same Ctrl-C is not a failure
  CandidateResult failed;
  auto fail = [&](std::string message) {
    failed.error = CandidateError{"", std::move(message)};
    return failed;
  };
  if (stopped) return fail(*stopped);
  // The peak over the whole run, also when it ended between two looks above:
  // the outcome does not depend on when the bound was checked.
  const double peak_bytes = static_cast<double>(usage.ru_maxrss) * 1024;
  if (max_memory_bytes && peak_bytes > *max_memory_bytes) return fail(memory_bound_text(*max_memory_bytes));
  nlohmann::json j = nlohmann::json::parse(c.output, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return fail(j["error"].get<std::string>());
  if (WIFSIGNALED(status)) return fail(fmt::format("its simulation process was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status))));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || j.is_discarded())
    return fail(fmt::format("its simulation process failed (exit status {})", WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  try {
    return candidate_from_json(j);
  } catch (const std::exception& e) {
    return fail(fmt::format("its simulation process sent an unreadable result: {}", e.what()));
  }
}

/// A candidate that failed: its name and kind, no figures, and why.
CandidateResult failed_candidate(const Candidate& cand, const std::string& stage, const CandidateError& error) {
  CandidateResult r;
  r.name = cand.name;
  r.kind = cand.kind;
  r.source = "simulated";
  r.error = CandidateError{stage, error.message};
  return r;
}

}  // namespace

Result simulate(const Scenario& scenario, const SimOptions& options) {
  std::vector<const Candidate*> chosen;
  for (const auto& c : scenario.candidates)
    if (!options.candidate || c.name == *options.candidate) chosen.push_back(&c);
  if (chosen.empty()) {
    std::string names;
    for (const auto& c : scenario.candidates) names += (names.empty() ? "" : ", ") + c.name;
    throw std::invalid_argument(fmt::format("no candidate named '{}' in scenario '{}' (candidates: {})", *options.candidate, scenario.name, names));
  }
  const uint64_t seed = options.seed.value_or(scenario.simulation.seed);
  const SimMode mode = options.mode.value_or(scenario.simulation.mode);
  const size_t jobs = static_cast<size_t>(options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));

  Result result;
  result.archsim_version = version();
  result.scenario_name = scenario.name;
  result.scenario_file = options.scenario_file;
  result.seed = seed;
  result.mode = mode == SimMode::exact ? "exact" : "batched";
  result.candidates.resize(chosen.size());

  std::vector<Job> todo;
  for (size_t i = 0; i < chosen.size(); ++i) {
    todo.push_back(Job{i, false});
    if (chosen[i]->kind == "lambda" || chosen[i]->kind == "edge") todo.push_back(Job{i, true});  // its second half
  }
  std::vector<CandidateResult> second_halves(chosen.size());
  std::vector<Child> running;
  size_t next = 0;
  try {
    while (next < todo.size() || !running.empty()) {
      while (next < todo.size() && running.size() < jobs) {
        running.push_back(start_child(scenario, *chosen[todo[next].candidate], seed, mode, next, todo[next].second_half));
        ++next;
      }
      Child& c = running.front();  // stays in `running` until reaped, so an interrupt kills it too
      const Job& job = todo[c.index];
      CandidateResult r = finish_child(c, chosen[job.candidate]->name, options.cancel, options.max_memory_bytes);
      running.erase(running.begin());
      (job.second_half ? second_halves[job.candidate] : result.candidates[job.candidate]) = std::move(r);
    }
  } catch (...) {
    for (auto& c : running) {  // leave no simulation behind
      if (c.fd >= 0) close(c.fd);
      if (c.pid <= 0) continue;
      kill(c.pid, SIGKILL);
      while (waitpid(c.pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    throw;
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    // A candidate that failed keeps its reason; the others go on (judge() never sees it).
    if (result.candidates[i].failed()) {
      result.candidates[i] = failed_candidate(*chosen[i], "simulation", *result.candidates[i].error);
      continue;
    }
    if (second_halves[i].failed()) {
      result.candidates[i] = failed_candidate(
          *chosen[i], chosen[i]->kind == "edge" ? "edge site simulation" : "batch layer simulation", *second_halves[i].error);
      continue;
    }
    if (chosen[i]->kind == "lambda") merge_batch_layer(result.candidates[i], second_halves[i], *chosen[i]);
    if (chosen[i]->kind == "edge") merge_edge(result.candidates[i], second_halves[i], *chosen[i], scenario.simulation.histogram_relative_error);
    judge(scenario, *chosen[i], result.candidates[i]);
  }
  recommend(result);
  return result;
}

}  // namespace archsim
