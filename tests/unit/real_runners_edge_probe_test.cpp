// The edge run in miniature (issue 4): two embedded clusters, a forwarder,
// and a WAN RTT injected on the core cluster that shows in the core latency
// but not in the local decision at the edge. Every event arrives exactly once.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "archsim/kafka_probes.hpp"

namespace archsim {
namespace {

TEST(RealRunnersEdgeProbe, WanRttShowsInCoreLatencyOnly) {
  const EdgeProbeResult r = probe_edge_forward(500, 2, 40);
  EXPECT_EQ(r.sent, 1000u);
  EXPECT_EQ(r.at_edge, r.sent);
  EXPECT_EQ(r.at_core, r.sent);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.duplicated, 0u);
  // Every fetch response from the core is delayed by the injected 40 ms:
  // a lower bound that a slow machine can only raise.
  EXPECT_GE(r.core_p50_s, 0.040);
  EXPECT_LT(r.local_p50_s, r.core_p50_s);
  RecordProperty("local_p50_ms", std::to_string(r.local_p50_s * 1e3));
  RecordProperty("core_p50_ms", std::to_string(r.core_p50_s * 1e3));
  std::printf("edge probe, WAN RTT 40 ms: local decision p50 %.2f ms p99 %.2f ms; core p50 %.2f ms p99 %.2f ms\n",
              r.local_p50_s * 1e3, r.local_p99_s * 1e3, r.core_p50_s * 1e3, r.core_p99_s * 1e3);
}

}  // namespace
}  // namespace archsim
