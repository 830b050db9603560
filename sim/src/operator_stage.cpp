// OperatorStage implementation.
#include "archsim/operator_stage.hpp"

#include <algorithm>

namespace archsim {

OperatorStage::OperatorStage(int threads, double cpu_per_event_s, double cpu_cv, double core_share, Rng rng, PauseSchedule* pauses)
    : station_(threads, pauses), cpu_per_event_s_(cpu_per_event_s), cpu_cv_(cpu_cv), core_share_(std::clamp(core_share, 1e-9, 1.0)), rng_(rng) {}


double OperatorStage::serve(const std::vector<double>& arrivals_s, std::vector<double>& departures_s) {
  departures_s.resize(arrivals_s.size());
  double last = station_.last_departure_s();
  for (size_t i = 0; i < arrivals_s.size(); ++i) {
    departures_s[i] = station_.serve(arrivals_s[i], sample_service_s());
    last = std::max(last, departures_s[i]);
  }
  return last;
}

}  // namespace archsim
