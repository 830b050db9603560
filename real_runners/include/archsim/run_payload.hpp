// RunPayload: the 24-byte header every event of a real run carries (run id,
// sequence number, intended send time in microseconds on the steady clock of
// this process), and the one clock all timestamps of a run are taken on.
// Shared by the Kappa, Lambda and edge runners so that they read and write
// events the same way.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace archsim {

/// Bytes of the header at the start of every payload.
inline constexpr size_t kRunPayloadHeaderBytes = 24;

struct RunPayload {
  uint64_t run_id = 0;
  uint64_t seq = 0;          ///< 0, 1, 2, ... in intended-time order
  int64_t intended_us = 0;   ///< intended send time, microseconds on the steady clock
};

/// Microseconds on the steady clock: the one clock of every timestamp of a run.
inline int64_t run_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Highest sequence number a run accepts: a larger one is not ours (a
/// corrupted or foreign payload) and is skipped.
inline constexpr uint64_t kRunMaxSeq = 4'000'000'000ULL;

/// Cap of a spun per-event CPU cost in a runner's processing stage: a real
/// run must keep up on this machine, so a larger cost is capped (and the
/// runner says so).
inline constexpr double kRunMaxCpuPerEventS = 1e-3;

/// Times of a run: t0 (µs on run_clock_us) and the measured window
/// [warmup, warmup + duration) of intended send times.
struct MeasuredWindow {
  int64_t t0_us = 0;
  double warmup_s = 0;
  double duration_s = 0;
  double since_start_s(int64_t t_us) const { return static_cast<double>(t_us - t0_us) * 1e-6; }
  bool measured(int64_t intended_us) const {
    const double t = since_start_s(intended_us);
    return t >= warmup_s && t < warmup_s + duration_s;
  }
};

/// Writes the header into the first kRunPayloadHeaderBytes of `buf`.
inline void write_run_payload(char* buf, const RunPayload& p) {
  std::memcpy(buf, &p.run_id, 8);
  std::memcpy(buf + 8, &p.seq, 8);
  std::memcpy(buf + 16, &p.intended_us, 8);
}

/// Reads the header of `m`; false when it is too short or from another run
/// (`run_id` 0 accepts any run).
inline bool read_run_payload(const rd_kafka_message_t* m, uint64_t run_id, RunPayload& p) {
  if (m->len < kRunPayloadHeaderBytes || m->payload == nullptr) return false;
  const char* buf = static_cast<const char*>(m->payload);
  std::memcpy(&p.run_id, buf, 8);
  std::memcpy(&p.seq, buf + 8, 8);
  std::memcpy(&p.intended_us, buf + 16, 8);
  return run_id == 0 || p.run_id == run_id;
}

}  // namespace archsim
