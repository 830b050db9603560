// Point runner: a poll loop over child processes, one per point.
#include "archsim/point_runner.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "archsim/interrupt.hpp"
#include "archsim/result_json.hpp"

namespace archsim {

namespace {

struct Running {
  size_t index = 0;
  pid_t pid = -1;
  int fd = -1;
  std::string output;
};

/// SIGTERM handler of a point process: SIGKILL to its process group
/// (itself and its candidates' processes). Async-signal-safe.
extern "C" void kill_own_group(int) { ::kill(0, SIGKILL); }

Running start(const Scenario& scenario, const SimOptions& options, size_t index) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(fmt::format("cannot fork a simulation process: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    ::close(fds[0]);
    // Drop every descriptor inherited from the sweep but the result pipe: the
    // sweep's journal holds its lock (flock) through any copy, so a point
    // still exiting after the sweep was killed would keep a resumed sweep out
    // ("in use by another running sweep"). Closing a copy never unlocks the
    // parent's.
    if (fds[1] > 3) ::close_range(3, static_cast<unsigned>(fds[1]) - 1, 0);
    ::close_range(static_cast<unsigned>(fds[1]) + 1, ~0U, 0);
    // Die with the sweep, with the candidates' processes: each point is a
    // process group; when the sweep dies (even by SIGKILL) the point gets
    // SIGTERM and kills its whole group.
    ::setpgid(0, 0);
    ::signal(SIGTERM, kill_own_group);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);  // it died before prctl
    std::string out;
    int code = 0;
    try {
      SimOptions one = options;
      one.jobs = 1;  // the parallelism is over points
      const Result result = simulate(scenario, one);
      // A sweep point is simulated whole or not at all: a failed candidate fails the point.
      for (const CandidateResult& c : result.candidates)
        if (c.failed())
          throw std::runtime_error(fmt::format("{} of '{}' failed: {}", c.error->stage, c.name, c.error->message));
      out = to_json(result).dump();
    } catch (const std::exception& e) {
      out = nlohmann::json{{"error", e.what()}}.dump();
      code = 1;
    }
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t w = ::write(fds[1], out.data() + done, out.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) ::_exit(1);
      done += static_cast<size_t>(w);
    }
    ::_exit(code);
  }
  ::setpgid(pid, pid);  // also here, so that killing the group works before the child ran
  ::close(fds[1]);
  return Running{index, pid, fds[0], {}};
}

PointOutcome finish(Running& r) {
  ::close(r.fd);
  int status = 0;
  while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
  }
  PointOutcome outcome;
  const nlohmann::json j = nlohmann::json::parse(r.output, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    outcome.error = j["error"].get<std::string>();
  } else if (WIFSIGNALED(status)) {
    outcome.error = fmt::format("the simulation process was killed by signal {}", WTERMSIG(status));
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || j.is_discarded()) {
    outcome.error = fmt::format("the simulation process failed (exit status {})", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    try {
      outcome.result = result_from_json(j);
    } catch (const std::exception& e) {
      outcome.error = fmt::format("unreadable result from the simulation process: {}", e.what());
    }
  }
  return outcome;
}

}  // namespace

void run_points(const std::vector<const Scenario*>& scenarios, const SimOptions& options, int jobs,
                const std::function<void(size_t, PointOutcome)>& on_done, const std::function<void()>& on_tick,
                double tick_s) {
  const size_t width = static_cast<size_t>(jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Running> running;
  size_t next = 0;
  try {
    while (next < scenarios.size() || !running.empty()) {
      while (next < scenarios.size() && running.size() < width) {
        running.push_back(start(*scenarios[next], options, next));
        ++next;
      }
      std::vector<pollfd> fds;
      for (const Running& r : running) fds.push_back(pollfd{r.fd, POLLIN, 0});
      const int n = ::poll(fds.data(), fds.size(), static_cast<int>(tick_s * 1000));
      if (n < 0 && errno != EINTR) throw std::runtime_error(fmt::format("poll failed: {}", std::strerror(errno)));
      throw_if_interrupted();  // Ctrl-C: the catch below kills every running point
      if (on_tick) on_tick();
      if (n <= 0) continue;
      for (size_t i = fds.size(); i-- > 0;) {
        if (fds[i].revents == 0) continue;
        char buf[65536];
        const ssize_t got = ::read(running[i].fd, buf, sizeof buf);
        if (got > 0) {
          running[i].output.append(buf, static_cast<size_t>(got));
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        Running done = std::move(running[i]);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        on_done(done.index, finish(done));
      }
    }
  } catch (...) {
    for (Running& r : running) {  // leave no simulation behind
      ::kill(-r.pid, SIGKILL);
      ::kill(r.pid, SIGKILL);
      ::close(r.fd);
      ::waitpid(r.pid, nullptr, 0);
    }
    throw;
  }
}

}  // namespace archsim
