// OperatorStage: a processing operator (a stream-processing task, or a pool
// of threads sharing one input queue) that spends CPU per event. Per-event
// departures come from a FifoStation, so a whole fetched batch is served
// exactly without a simulator call per event. The same class serves the
// Kappa processing tasks and the queueing-theory validation.
#pragma once

#include <vector>

#include "archsim/fifo_station.hpp"
#include "archsim/rng.hpp"

namespace archsim {

class OperatorStage {
 public:
  /// `threads`: servers sharing the input queue (1 for a stream task);
  /// `cpu_per_event_s`: mean service time on a dedicated core;
  /// `cpu_cv`: coefficient of variation of the service time;
  /// `core_share`: fraction of a core each thread gets (tasks > cores).
  /// `pauses`: the process's stop-the-world pauses (borrowed), or nullptr.
  OperatorStage(int threads, double cpu_per_event_s, double cpu_cv, double core_share, Rng rng, PauseSchedule* pauses = nullptr);

  /// Serves events arriving at `arrivals_s` (non-decreasing, and not earlier
  /// than previously served arrivals), in order. Writes each departure time
  /// to `departures_s` (resized) and returns the last departure.
  double serve(const std::vector<double>& arrivals_s, std::vector<double>& departures_s);
  /// Serves `count` events that all arrive at `arrival_s`, calling
  /// departure(i, departure_s) for event i; returns the last departure.
  template <class Departure>
  double serve_all_at_each(double arrival_s, size_t count, Departure&& departure) {
    if (cpu_cv_ <= 0) {  // constant service: sample_service_s()'s value, computed once
      station_.serve_all_at(arrival_s, cpu_per_event_s_ * 1.0 / core_share_, count, departure);
    } else {
      for (size_t i = 0; i < count; ++i) departure(i, station_.serve(arrival_s, sample_service_s()));
    }
    return station_.last_departure_s();
  }

  /// Samples one event's service time (seconds), as serve() does.
  double sample_service_s() { return cpu_per_event_s_ * rng_.unit_mean_factor(cpu_cv_) / core_share_; }
  const FifoStation& station() const { return station_; }
  FifoStation& station() { return station_; }

 private:
  FifoStation station_;
  double cpu_per_event_s_;
  double cpu_cv_;
  double core_share_;
  Rng rng_;
};

}  // namespace archsim
