#include "archsim/thread_cpu.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace archsim {

namespace {

/// The threads of this process: (tid, comm).
template <class F> void for_each_thread(F&& f) {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return;
  while (const dirent* entry = readdir(dir)) {
    const std::string tid = entry->d_name;
    if (tid.empty() || tid[0] == '.') continue;
    std::ifstream comm_file("/proc/self/task/" + tid + "/comm");
    std::string comm;
    if (!std::getline(comm_file, comm)) continue;  // ended meanwhile
    f(tid, comm);
  }
  closedir(dir);
}

}  // namespace

int lower_other_threads(std::string_view keep, int nice) {
  const long self = ::syscall(SYS_gettid);
  int lowered = 0;
  for_each_thread([&](const std::string& tid, const std::string& comm) {
    const long id = std::stol(tid);
    if (id == self || comm == keep) return;
    // A nice value, not SCHED_IDLE: an idle-policy thread gets no CPU at all
    // while any ordinary program wants one, so outside load (a compiler on
    // the same machine) would stop the measured data path; a niced thread
    // keeps a share.
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, static_cast<id_t>(id));
    if (errno != 0) return;
    if (::setpriority(PRIO_PROCESS, static_cast<id_t>(id), std::min(19, current + nice)) == 0) ++lowered;
  });
  return lowered;
}

std::vector<ThreadTimes> thread_times() {
  std::vector<ThreadTimes> all;
  for_each_thread([&](const std::string& tid, const std::string& comm) {
    std::ifstream stat_file("/proc/self/task/" + tid + "/schedstat");
    uint64_t run_ns = 0, wait_ns = 0;
    if (!(stat_file >> run_ns >> wait_ns)) return;  // the thread ended meanwhile, or no schedstats
    all.push_back({std::stol(tid), comm, static_cast<double>(run_ns) * 1e-9, static_cast<double>(wait_ns) * 1e-9});
  });
  return all;
}

ThreadCpu threads_named(const std::vector<ThreadTimes>& snapshot, std::string_view name) {
  std::vector<ThreadTimes> named;
  std::copy_if(snapshot.begin(), snapshot.end(), std::back_inserter(named),
               [name](const ThreadTimes& t) { return t.comm == name; });
  return total_of(named);
}

std::optional<ThreadCpu> thread_cpu(std::string_view name) {
  const ThreadCpu total = threads_named(thread_times(), name);
  if (total.threads == 0) return std::nullopt;
  return total;
}

std::vector<ThreadTimes> thread_deltas(const std::vector<ThreadTimes>& before, const std::vector<ThreadTimes>& after,
                                       std::string_view except) {
  std::vector<ThreadTimes> deltas;
  for (const ThreadTimes& a : after) {
    if (a.comm == except) continue;
    ThreadTimes d = a;  // a thread started meanwhile: all of its times
    for (const ThreadTimes& b : before)
      if (b.tid == a.tid) {
        d.run_s -= b.run_s;
        d.wait_s -= b.wait_s;
        break;
      }
    deltas.push_back(std::move(d));
  }
  return deltas;
}

ThreadCpu total_of(const std::vector<ThreadTimes>& threads) {
  ThreadCpu total;
  for (const ThreadTimes& t : threads) {
    total.run_s += t.run_s;
    total.wait_s += t.wait_s;
    ++total.threads;
  }
  return total;
}

ThreadCpu operator-(const ThreadCpu& after, const ThreadCpu& before) {
  return {after.run_s - before.run_s, after.wait_s - before.wait_s, after.threads};
}

}  // namespace archsim
