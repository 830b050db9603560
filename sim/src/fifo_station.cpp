// FifoStation implementation.
#include "archsim/fifo_station.hpp"

#include <stdexcept>

namespace archsim {

FifoStation::FifoStation(int servers) {
  if (servers < 1) throw std::invalid_argument("FifoStation needs at least one server");
  free_at_.assign(static_cast<size_t>(servers), 0.0);
}

FifoStation::FifoStation(int servers, PauseSchedule* pauses) : FifoStation(servers) { pauses_ = pauses; }

}  // namespace archsim
