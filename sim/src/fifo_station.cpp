// FifoStation implementation.
#include "archsim/fifo_station.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace archsim {

FifoStation::FifoStation(int servers) {
  if (servers < 1) throw std::invalid_argument("FifoStation needs at least one server");
  free_at_.assign(static_cast<size_t>(servers), 0.0);
}

FifoStation::FifoStation(int servers, PauseSchedule* pauses) : FifoStation(servers) { pauses_ = pauses; }

double FifoStation::serve(double arrival_s, double service_s) {
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

}  // namespace archsim
