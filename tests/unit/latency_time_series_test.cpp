// LatencyTimeSeries and the failure-episode traces: fixed memory whatever the
// duration, per-window quantiles within the bucket error, deliveries outside
// the window ignored, peaks kept when a trace is thinned, and the Result
// codec's timeline round trip with version 2 files still read.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>

#include "archsim/availability_model.hpp"
#include "archsim/latency_time_series.hpp"
#include "archsim/result_json.hpp"

namespace archsim {
namespace {

TEST(LatencyTimeSeries, WindowsAreRoundAndAtMostTheCap) {
  EXPECT_DOUBLE_EQ(LatencyTimeSeries(10, 70).window_s(), 0.5);    // 60 s / 200 = 0.3 -> 0.5
  EXPECT_DOUBLE_EQ(LatencyTimeSeries(0, 20).window_s(), 0.1);
  EXPECT_DOUBLE_EQ(LatencyTimeSeries(5, 5 + 86400 * 30).window_s(), 20000);  // a month: still 130 windows
  const LatencyTimeSeries month(0, 86400.0 * 30);
  EXPECT_LE(month.timeline(86400.0 * 30, "simulated", "").points.size(), size_t(LatencyTimeSeries::kMaxWindows));
}

TEST(LatencyTimeSeries, PerWindowQuantilesCountsAndMax) {
  LatencyTimeSeries ts(10, 30);  // windows of 0.1 s
  // window 0: 100 events at 10 ms, window 5: 99 at 1 ms and one at 2 s
  for (int i = 0; i < 100; ++i) ts.record(10.0 + i * 0.0009, 0.010);
  for (int i = 0; i < 99; ++i) ts.record(10.5 + i * 0.0009, 0.001);
  ts.record(10.59, 2.0);
  ts.record(9.99, 5.0);   // before the window: ignored
  ts.record(30.0, 5.0);   // at its end: ignored
  const LatencyTimeline t = ts.timeline(30, "simulated", "test");
  ASSERT_EQ(t.points.size(), 200u);
  EXPECT_EQ(t.source, "simulated");
  EXPECT_EQ(t.points[0].count, 100u);
  EXPECT_NEAR(t.points[0].p50_s, 0.010, 0.010 * 0.032);
  EXPECT_NEAR(t.points[0].p99_s, 0.010, 0.010 * 0.032);
  EXPECT_DOUBLE_EQ(t.points[0].delivered_eps, 1000);
  EXPECT_EQ(t.points[5].count, 100u);
  EXPECT_NEAR(t.points[5].p50_s, 0.001, 0.001 * 0.032);
  EXPECT_NEAR(t.points[5].p99_s, 0.001, 0.001 * 0.032);  // rank 99 of 100 is still 1 ms
  EXPECT_DOUBLE_EQ(t.points[5].max_s, 2.0);
  EXPECT_DOUBLE_EQ(t.points[5].t_s, 0.5);
  EXPECT_EQ(t.points[1].count, 0u);
  EXPECT_EQ(t.points[199].count, 0u);
  uint64_t total = 0;
  for (const auto& p : t.points) total += p.count;
  EXPECT_EQ(total, 200u);
}

TEST(LatencyTimeSeries, EarlyStopTruncatesAndScalesTheLastWindow) {
  LatencyTimeSeries ts(0, 10);  // 0.05 s windows
  for (int i = 0; i < 10; ++i) ts.record(4.01, 0.02);
  const LatencyTimeline t = ts.timeline(4.025, "simulated", "");
  ASSERT_EQ(t.points.size(), 81u);  // 80 full windows and one of 0.025 s
  EXPECT_NEAR(t.points.back().delivered_eps, 10 / 0.025, 1e-6);
}

TEST(LatencyTimeSeries, BucketsAreOrderedAndTight) {
  int last = -1;
  for (double v = 1e-6; v < 4000; v *= 1.01) {
    const int b = LatencyTimeSeries::bucket_of(v);
    EXPECT_GE(b, last);
    last = b;
    if (v > 2e-6) {
      EXPECT_NEAR(LatencyTimeSeries::bucket_value(b) / v, 1.0, 1.0 / 32 + 1e-12) << v;
    }
  }
  EXPECT_EQ(LatencyTimeSeries::bucket_of(0), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(-1), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(1e9), LatencyTimeSeries::kBuckets - 1);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(std::nan("")), 0);
  // the range's edges, where the one-comparison path hands over to the tests
  EXPECT_EQ(LatencyTimeSeries::bucket_of(std::nextafter(0x1p-20, 0.0)), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(0x1p-20), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(0x1.1p-20), 1);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(std::nextafter(0x1p12, 0.0)), LatencyTimeSeries::kBuckets - 1);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(0x1p12), LatencyTimeSeries::kBuckets - 1);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(-0.0), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(-1e-3), 0);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(std::numeric_limits<double>::infinity()), LatencyTimeSeries::kBuckets - 1);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(1.0), (0 - LatencyTimeSeries::kMinExponent) * LatencyTimeSeries::kSubBuckets);
  EXPECT_EQ(LatencyTimeSeries::bucket_of(1.5), (0 - LatencyTimeSeries::kMinExponent) * LatencyTimeSeries::kSubBuckets + 8);
}

TEST(LatencyTimeSeries, RecorderRecordsAsRecordIn) {
  LatencyTimeSeries a(0, 20), b(0, 20);
  const double latencies[] = {0.004, 0.25, std::nan(""), -1.0, 0.0, 3.0, 0.011, 1e9};
  for (const int window : {-1, 0, 7, 199}) {
    LatencyTimeSeries::Recorder r(b, window);
    for (const double v : latencies) {
      a.record_in(window, v);
      r.record(v);
    }
  }
  const LatencyTimeline ta = a.timeline(20, "simulated", ""), tb = b.timeline(20, "simulated", "");
  ASSERT_EQ(ta.points.size(), tb.points.size());
  for (size_t i = 0; i < ta.points.size(); ++i) {
    EXPECT_EQ(ta.points[i].count, tb.points[i].count) << i;
    EXPECT_EQ(ta.points[i].max_s, tb.points[i].max_s) << i;
    EXPECT_EQ(ta.points[i].p99_s, tb.points[i].p99_s) << i;
  }
  EXPECT_EQ(tb.points[7].count, std::size(latencies));
  EXPECT_EQ(tb.points[7].max_s, 1e9);
}

TEST(EpisodeTrace, ThinningKeepsEndsAndPeak) {
  std::vector<std::pair<double, double>> trace;
  for (int i = 0; i <= 1000; ++i) trace.emplace_back(i, i == 437 ? 99.0 : 1.0);
  const auto thin = thin_trace(trace, 50);
  EXPECT_LE(thin.size(), 50u);
  EXPECT_EQ(thin.front(), trace.front());
  EXPECT_EQ(thin.back(), trace.back());
  EXPECT_NE(std::find(thin.begin(), thin.end(), std::pair<double, double>{437, 99.0}), thin.end());
}

TEST(EpisodeTrace, StallThenDrainPeaksAtTheRecovery) {
  EpisodeSpec s;
  s.rate_eps = 1000;
  s.stall_s = 10;
  s.capacity_eps = 2000;   // the backlog of 10,000 drains at 1,000/s spare: about 10 s
  s.base_latency_s = 0.05;
  s.target_s = 0.2;
  std::vector<std::pair<double, double>> trace;
  const EpisodeOutcome o = run_episode(s, &trace);
  ASSERT_GT(trace.size(), 10u);
  EXPECT_DOUBLE_EQ(trace.front().second, 0.05);
  double peak = 0, peak_t = 0;
  for (const auto& [t, l] : trace)
    if (l > peak) {
      peak = l;
      peak_t = t;
    }
  EXPECT_NEAR(peak, 10.05, 0.1);      // the first event of the stall waited all of it
  EXPECT_NEAR(peak_t, 10, 0.1);
  EXPECT_NEAR(trace.back().first, o.down_s + o.late_s, 0.2);
  EXPECT_LT(trace.back().second, 0.2);  // recovered: back within the target
}

TEST(ResultJson, TimelineRoundTripsAndVersion2StillReads) {
  Result r;
  r.archsim_version = "test";
  CandidateResult c;
  c.name = "a";
  c.timeline.source = "simulated";
  c.timeline.basis = "b";
  c.timeline.window_s = 0.5;
  c.timeline.points = {{0, 10, 0.01, 0.02, 0.03, 20}, {0.5, 0, 0, 0, 0, 0}};
  FailureEpisodeSummary e;
  e.failure = "broker loss";
  e.trace = {{0, 0.02}, {30, 30.02}, {45, 0.02}};
  e.trace_down_s = 30;
  e.trace_late_s = 14;
  e.timeline_at_s = 7.5;
  c.availability.episodes.push_back(e);
  r.candidates.push_back(c);
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j.at("schema_version"), 4);
  const Result back = result_from_json(j);
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(back.candidates[0].timeline.points[0].count, 10u);
  EXPECT_EQ(back.candidates[0].availability.episodes[0].trace, e.trace);

  nlohmann::json v2 = j;
  v2["schema_version"] = 2;
  v2["candidates"][0].erase("timeline");
  for (const char* key : {"trace", "trace_down_s", "trace_late_s", "timeline_at_s"})
    v2["candidates"][0]["availability"]["episodes"][0].erase(key);
  const Result old = result_from_json(v2);
  EXPECT_TRUE(old.candidates[0].timeline.points.empty());
  EXPECT_TRUE(old.candidates[0].availability.episodes[0].trace.empty());

  nlohmann::json missing = j;
  missing["candidates"][0].erase("timeline");
  try {
    result_from_json(missing);
    FAIL() << "a version 4 Result without a timeline was accepted";
  } catch (const std::runtime_error& err) {
    EXPECT_NE(std::string(err.what()).find("/candidates/0/timeline"), std::string::npos) << err.what();
  }
}

TEST(PlaceEpisodes, OneAfterAnotherFromAQuarterIn) {
  CandidateResult c;
  c.timeline.window_s = 1;
  for (int i = 0; i < 40; ++i) c.timeline.points.push_back({double(i), 0, 0, 0, 0, 0});
  FailureEpisodeSummary a, b, none;
  a.trace = {{0, 1}, {5, 1}};
  b.trace = {{0, 1}, {3, 1}};
  c.availability.episodes = {a, none, b};
  place_episodes(c);
  EXPECT_DOUBLE_EQ(c.availability.episodes[0].timeline_at_s, 10);
  EXPECT_DOUBLE_EQ(c.availability.episodes[1].timeline_at_s, 0);  // no trace: not placed
  EXPECT_DOUBLE_EQ(c.availability.episodes[2].timeline_at_s, 10 + 5 + 4);
}

}  // namespace
}  // namespace archsim
