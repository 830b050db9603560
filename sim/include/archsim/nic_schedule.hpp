// NicSchedule: the network time of messages computed analytically (no
// simulator step), for the batched Kappa model. Each host has a
// split-duplex NIC on a non-blocking, output-queued fabric: the sender's NIC
// sends its messages first come first served at its bandwidth, and the
// receiver's port delivers them first come first served at its bandwidth,
// buffering what arrives while it is busy. A message arrives one network
// latency after its last byte is delivered; alone, it takes latency +
// bytes / min(both bandwidths), as SimGrid's CM02 model gives. Exact for
// FIFO NICs and switch ports when messages are offered in time order;
// SimGrid's max-min sharing (the exact mode) interleaves concurrent
// messages instead: same makespan, small messages finish earlier behind a
// large one. A message offered earlier than one already offered queues
// behind it (conservative).
#pragma once

#include <vector>

namespace archsim {

class NicSchedule {
 public:
  /// Adds a host NIC with `bandwidth_bps` bytes per second each way; returns its id.
  int add_nic(double bandwidth_bps);

  /// A message of `bytes` from NIC `from` to NIC `to`, ready at `start_s`
  /// (seconds since the simulation start), with one-way `latency_s`.
  /// Returns when its last byte arrives.
  double transfer(int from, int to, double start_s, double bytes, double latency_s);

  /// Network time of `bytes` between the two NICs with no other traffic.
  double uncontended_s(int from, int to, double bytes, double latency_s) const;

 private:
  struct Nic {
    double bandwidth_bps;
    double out_free_s = 0;  // when the NIC's sending side is next free
    double in_free_s = 0;   // when its receiving port has delivered everything offered
  };
  std::vector<Nic> nics_;
};

}  // namespace archsim
