// FifoStation: a first-come-first-served service centre with c identical
// servers. Given each job's arrival time and service time (in arrival
// order) it returns the exact departure time (Kiefer-Wolfowitz recursion),
// so a stage can serve a whole batch of events with no simulator call per
// event. Validated against M/M/1, M/D/1 and M/M/c closed forms.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "archsim/pause_schedule.hpp"

namespace archsim {

class FifoStation {
 public:
  explicit FifoStation(int servers = 1);
  /// A station whose servers all stop during `pauses` (borrowed; must outlive the station).
  FifoStation(int servers, PauseSchedule* pauses);

  /// Serves one job arriving at `arrival_s` (not earlier than the previous
  /// job's arrival) needing `service_s` seconds of one server. Returns its
  /// departure time, seconds since simulation start. Inline: it runs once
  /// per simulated event.
  double serve(double arrival_s, double service_s) {
    // The earliest-free server takes the job (FIFO with c servers): the top
    // of a min-heap of free times. One server, the common case, needs no heap.
    const bool heap = free_at_.size() > 1;
    if (heap) std::pop_heap(free_at_.begin(), free_at_.end(), std::greater<>());
    const double start = std::max(arrival_s, free_at_.back());
    const double departure = pauses_ ? pauses_->finish(start, service_s) : start + service_s;
    free_at_.back() = departure;
    if (heap) std::push_heap(free_at_.begin(), free_at_.end(), std::greater<>());
    busy_s_ += service_s;
    if (start >= window_from_) window_busy_s_ += service_s;
    last_departure_s_ = std::max(last_departure_s_, departure);
    last_arrival_s_ = std::max(last_arrival_s_, arrival_s);
    ++jobs_;
    return departure;
  }

  /// Serves `count` jobs that all arrive at `arrival_s`, each needing
  /// `service_s`, exactly as `count` calls of serve() would; calls
  /// departure(i, departure_s) for job i. One server, the common case, runs
  /// with its state in locals.
  template <class Departure>
  void serve_all_at(double arrival_s, double service_s, size_t count, Departure&& departure) {
    if (free_at_.size() > 1 || count == 0) {
      for (size_t i = 0; i < count; ++i) departure(i, serve(arrival_s, service_s));
      return;
    }
    double free_at = free_at_.back();
    double busy_s = busy_s_, window_busy_s = window_busy_s_, last_departure_s = last_departure_s_;
    const double window_from = window_from_;
    for (size_t i = 0; i < count; ++i) {
      const double start = std::max(arrival_s, free_at);
      free_at = pauses_ ? pauses_->finish(start, service_s) : start + service_s;
      busy_s += service_s;
      if (start >= window_from) window_busy_s += service_s;
      last_departure_s = std::max(last_departure_s, free_at);
      departure(i, free_at);
    }
    free_at_.back() = free_at;
    busy_s_ = busy_s;
    window_busy_s_ = window_busy_s;
    last_departure_s_ = last_departure_s;
    last_arrival_s_ = std::max(last_arrival_s_, arrival_s);
    jobs_ += count;
  }
  int servers() const { return static_cast<int>(free_at_.size()); }
  /// Total service time given so far (server-seconds).
  double busy_s() const { return busy_s_; }
  /// Starts counting busy time for jobs starting at or after `from_s`.
  void start_window(double from_s) { window_from_ = from_s; window_busy_s_ = 0; }
  double window_busy_s() const { return window_busy_s_; }
  /// Arrival time of the last job served.
  double last_arrival_s() const { return last_arrival_s_; }
  /// Time the last job leaves.
  double last_departure_s() const { return last_departure_s_; }
  uint64_t jobs() const { return jobs_; }

 private:
  std::vector<double> free_at_;  // min-heap of the times servers become free
  PauseSchedule* pauses_ = nullptr;
  double busy_s_ = 0;
  double window_from_ = 0;
  double window_busy_s_ = 0;
  double last_departure_s_ = 0;
  double last_arrival_s_ = 0;
  uint64_t jobs_ = 0;
};

}  // namespace archsim
