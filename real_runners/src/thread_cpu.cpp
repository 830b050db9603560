#include "archsim/thread_cpu.hpp"

#include <dirent.h>

#include <fstream>
#include <string>

namespace archsim {

std::optional<ThreadCpu> thread_cpu(std::string_view name) {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return std::nullopt;
  ThreadCpu total;
  while (const dirent* entry = readdir(dir)) {
    const std::string tid = entry->d_name;
    if (tid.empty() || tid[0] == '.') continue;
    const std::string base = "/proc/self/task/" + tid;
    std::ifstream comm_file(base + "/comm");
    std::string comm;
    if (!std::getline(comm_file, comm) || comm != name) continue;
    std::ifstream stat_file(base + "/schedstat");
    uint64_t run_ns = 0, wait_ns = 0;
    if (!(stat_file >> run_ns >> wait_ns)) continue;  // the thread ended meanwhile, or no schedstats
    total.run_s += static_cast<double>(run_ns) * 1e-9;
    total.wait_s += static_cast<double>(wait_ns) * 1e-9;
    ++total.threads;
  }
  closedir(dir);
  if (total.threads == 0) return std::nullopt;
  return total;
}

ThreadCpu operator-(const ThreadCpu& after, const ThreadCpu& before) {
  return {after.run_s - before.run_s, after.wait_s - before.wait_s, after.threads};
}

}  // namespace archsim
