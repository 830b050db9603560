// thread_cpu: how much CPU this process's threads of one name got, from
// Linux's per-thread scheduler statistics (/proc/self/task/TID/schedstat:
// nanoseconds run on a CPU, nanoseconds waited on a run queue). The real
// runners use it for the embedded broker's one I/O thread ("rdk:mock"):
// how busy it was over the measured window, and how long it waited for a
// CPU that other threads (clients, processors, other programs) held.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archsim {

struct ThreadCpu {
  double run_s = 0;    ///< seconds on a CPU
  double wait_s = 0;   ///< seconds runnable but waiting for a CPU
  int threads = 0;     ///< threads of that name found
};

/// One thread of this process: its id, name (comm) and times so far.
struct ThreadTimes {
  long tid = 0;
  std::string comm;
  double run_s = 0;
  double wait_s = 0;
};

/// Every thread of this process now (empty without scheduler statistics).
std::vector<ThreadTimes> thread_times();

/// The times each thread of `after` not named `except` added since
/// `before`, one entry per thread (a thread absent from `before` counts
/// whole; one that ended meanwhile is not in `after`, so not counted).
std::vector<ThreadTimes> thread_deltas(const std::vector<ThreadTimes>& before, const std::vector<ThreadTimes>& after,
                                       std::string_view except);

/// The summed times of `threads`.
ThreadCpu total_of(const std::vector<ThreadTimes>& threads);

/// The summed times of the threads of `snapshot` named `name`.
ThreadCpu threads_named(const std::vector<ThreadTimes>& snapshot, std::string_view name);

/// The summed times of this process's threads named `name` (their comm, at
/// most 15 characters), or nothing when none is found or the kernel keeps no
/// scheduler statistics.
std::optional<ThreadCpu> thread_cpu(std::string_view name);

/// Lowers the scheduling priority (raises the nice value by `nice`, which
/// needs no privilege) of every thread of this process but the calling one
/// and those named `keep`; returns how many it lowered. Threads they create
/// later inherit the lower priority. The real runners use it so that the
/// embedded broker's thread, which stands for a broker on a machine of its
/// own, is not starved by the clients' threads on a small machine
/// (librdkafka's broker threads poll hard while their partitions wait for an
/// in-flight request).
int lower_other_threads(std::string_view keep, int nice);

/// `after` minus `before` (threads: those of `after`).
ThreadCpu operator-(const ThreadCpu& after, const ThreadCpu& before);

}  // namespace archsim
