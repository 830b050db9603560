// EdgeSiteModel: one representative edge site on SimGrid (sites of an edge
// candidate are identical, so one is simulated and its figures scaled by the
// site count; exact for everything per site, an approximation only where
// sites would share something, which they do not before the core). Devices
// send events to the gateway over the local network; the gateway decides
// locally (CPU per event), filters, optionally aggregates per window, and
// forwards records over its WAN link to the core. The run has a normal
// window, then one WAN outage of the mean duration: the gateway buffers,
// drops what overflows, and drains the backlog when the link returns.
#pragma once

#include <cstdint>

#include "archsim/log_histogram.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

struct EdgeSiteMetrics {
  explicit EdgeSiteMetrics(double relative_error)
      : local_decision(relative_error), to_core_normal(relative_error), to_core_outage(relative_error) {}
  LogHistogram local_decision;   ///< device event -> local decision taken
  LogHistogram to_core_normal;   ///< event -> its record reaches the core, outside outages (forwarded events)
  LogHistogram to_core_outage;   ///< the same for events created during the outage or its drain
  double window_s = 0;           ///< normal measured window
  uint64_t events_window = 0;    ///< device events created in the normal window
  uint64_t forwarded_window = 0; ///< of those, forwarded (kept by the filter)
  double wan_bytes_window = 0;   ///< WAN bytes sent for the normal window's records
  double outage_s = 0;
  double drain_s = 0;            ///< outage end -> backlog sent
  double peak_buffer_bytes = 0;
  uint64_t outage_events = 0;    ///< forwarded events created during outage + drain
  uint64_t lost_events = 0;      ///< forwarded events dropped because the buffer overflowed
};

/// The scenario the core cluster of an edge candidate sees: the records all
/// sites forward (the filtered, aggregated stream), from one producer per
/// site, with the original rate pattern.
Scenario edge_core_scenario(const Scenario& scenario, const Candidate& candidate);

class EdgeSiteModel {
 public:
  EdgeSiteModel(const Scenario& scenario, const Candidate& candidate, uint64_t seed);
  EdgeSiteMetrics run();

 private:
  const Scenario& sc_;
  const Candidate& cand_;
  uint64_t seed_;
  EdgeSiteMetrics metrics_;
};

}  // namespace archsim
