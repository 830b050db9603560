// NicSchedule implementation.
#include "archsim/nic_schedule.hpp"

#include <algorithm>

namespace archsim {

int NicSchedule::add_nic(double bandwidth_bps) {
  nics_.push_back(Nic{bandwidth_bps});
  return static_cast<int>(nics_.size()) - 1;
}

double NicSchedule::transfer(int from, int to, double start_s, double bytes, double latency_s) {
  Nic& out = nics_[static_cast<size_t>(from)];
  Nic& in = nics_[static_cast<size_t>(to)];
  bytes = std::max(1.0, bytes);
  // the sender's NIC sends its messages in turn; the receiver's port takes
  // them in turn, buffering what arrives while it is busy
  const double sent_from = std::max(start_s, out.out_free_s);
  out.out_free_s = sent_from + bytes / out.bandwidth_bps;
  const double received = std::max(out.out_free_s, std::max(sent_from, in.in_free_s) + bytes / in.bandwidth_bps);
  in.in_free_s = received;
  return received + latency_s;
}

double NicSchedule::uncontended_s(int from, int to, double bytes, double latency_s) const {
  return latency_s + std::max(1.0, bytes) / std::min(nics_[static_cast<size_t>(from)].bandwidth_bps, nics_[static_cast<size_t>(to)].bandwidth_bps);
}

}  // namespace archsim
