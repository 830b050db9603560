// RunMetrics: what a model emits during one simulated run of one candidate.
// Filled by the topology models, turned into a CandidateResult by evaluate().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archsim/latency_recorder.hpp"
#include "archsim/latency_time_series.hpp"
#include "archsim/log_histogram.hpp"
#include "archsim/result.hpp"

namespace archsim {

/// Per-event latency of one stage of the path.
struct StageHistogram {
  std::string stage;
  std::string description;
  LogHistogram histogram;
};

struct RunMetrics {
  /// The measured window is [start_s, window_end_s_at_most) (earlier on an early stop); the latency recorder slices it
  /// into `max_slices` slices of `slice_s`.
  RunMetrics(double start_s, double window_end_s_at_most, double slice_s, int max_slices, double relative_error)
      : end_to_end(start_s, slice_s, max_slices, relative_error), timeline(start_s, window_end_s_at_most), produce_ack(relative_error) {}

  LatencyRecorder end_to_end;           ///< event creation -> sink write acknowledged
  LatencyTimeSeries timeline;           ///< every delivery inside the measured window, by delivery time
  std::vector<StageHistogram> stages;   ///< in path order
  LogHistogram produce_ack;             ///< event created -> producer acknowledgement (per acks), per event

  double window_start_s = 0;            ///< measured window (events created inside it count)
  double window_end_s = 0;
  double end_s = 0;                     ///< when the run ended (window end + drain)
  bool stopped_early = false;
  bool drained = true;                  ///< every in-window event reached the sink before the drain limit

  uint64_t window_events_offered = 0;   ///< created inside the window
  uint64_t window_events_delivered = 0; ///< of those, delivered to the sink
  uint64_t deliveries_in_window = 0;    ///< any events the sink acknowledged while the window was open (throughput)
  double max_lag_events = 0;            ///< max over time of appended - fetched, all partitions

  std::vector<Utilisation> utilisation;
  ProfileSummary profile;               ///< broker-kind / engine figures, when the candidate uses such a profile
  std::vector<std::string> overloads;   ///< resource: reason, one per overloaded resource
  std::vector<std::string> notes;       ///< modelling notes for this run
};

}  // namespace archsim
