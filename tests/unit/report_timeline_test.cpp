// The HTML report's latency-over-time charts: a 10-second and a 6-hour
// failure episode both stay readable (each has its own panel and time axis),
// and a measured run (`archsim check`) is drawn from the same timeline shape
// with its injected faults marked on the run's clock.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "archsim/html_reporter.hpp"
#include "archsim/result.hpp"

#include "report_text.hpp"

namespace archsim {
namespace {

using test_support::html;

/// The <svg> element whose <title> starts with `title`; "" when none.
std::string svg_titled(const std::string& page, const std::string& title) {
  const size_t at = page.find("<title>" + title);
  if (at == std::string::npos) return "";
  const size_t open = page.rfind("<svg", at);
  return page.substr(open, page.find("</svg>", at) + 6 - open);
}

struct Rect {
  double x = 0, width = 0;
  std::string tip;
};

/// Every <rect> with a tooltip in `svg`.
std::vector<Rect> rects(const std::string& svg) {
  static const std::regex rect(R"re(<rect x="([-0-9.]+)" y="[-0-9.]+" width="([0-9.]+)" height="[0-9.]+" fill="[^"]*"><title>([^<]*)</title>)re");
  std::vector<Rect> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), (*it)[3]});
  return out;
}

LatencyTimeline steady_timeline(const std::string& source, double window_s, int windows, uint64_t per_window) {
  LatencyTimeline tl;
  tl.source = source;
  tl.basis = source == "measured" ? "measured run, by intended send time" : "failure-free run";
  tl.window_s = window_s;
  for (int i = 0; i < windows; ++i)
    tl.points.push_back({i * window_s, per_window, 0.005, 0.020, 0.030, static_cast<double>(per_window) / window_s});
  return tl;
}

FailureEpisodeSummary episode(const std::string& failure, double down_s, double late_s) {
  FailureEpisodeSummary e;
  e.failure = failure;
  e.per_month = 1;
  e.share = 1;
  e.trace_down_s = down_s;
  e.trace_late_s = late_s;
  e.trace = {{0, 0.02}, {down_s, down_s + 0.02}, {down_s + late_s, 0.02}};
  return e;
}

Result simulated_with_episodes() {
  Result r;
  r.archsim_version = "0.1.0";
  r.scenario_name = "episodes";
  CandidateResult c;
  c.name = "kappa";
  c.kind = "kappa";
  c.end_to_end.count = 1000;
  c.timeline = steady_timeline("simulated", 0.5, 120, 5000);  // a 60 s run
  c.availability.estimated = true;
  c.availability.episodes = {episode("processing crash", 4, 6), episode("region outage", 6 * 3600, 1800)};
  c.availability.episodes[0].timeline_at_s = 15;
  c.availability.episodes[1].timeline_at_s = 30;
  c.verdicts = {{"p99 latency", 0.2, 0.02, "s", true, 0.9, "p99: PASS"}};
  r.candidates.push_back(c);
  return r;
}

TEST(TimelineChart, ShortAndLongEpisodesEachStayReadable) {
  const std::string page = html(simulated_with_episodes());
  // The run's own panel covers the 60 s run, not the 6 h episode.
  const std::string run = svg_titled(page, "End-to-end latency over time: kappa (simulated run)");
  ASSERT_FALSE(run.empty());
  EXPECT_NE(run.find("time since the measured window&#39;s start (s)"), std::string::npos);
  EXPECT_EQ(run.find("(modelled)"), std::string::npos) << "no episode squeezed into the run's axis";
  // Each episode: its own panel, its own time unit, its down + late span at least 300 px of the 720 px plot.
  struct Want {
    const char* failure;
    const char* unit;
  };
  for (const Want& want : {Want{"processing crash", "(s)"}, Want{"region outage", "(h)"}}) {
    const std::string svg = svg_titled(page, std::string("Failure episode (modelled): ") + want.failure + ", kappa");
    ASSERT_FALSE(svg.empty()) << want.failure;
    EXPECT_NE(svg.find(std::string("time since the failure ") + want.unit), std::string::npos) << want.failure;
    double marked_px = 0;
    for (const Rect& r : rects(svg))
      if (r.tip.rfind(want.failure, 0) == 0) marked_px += r.width;
    EXPECT_GE(marked_px, 300) << want.failure << " is marked over only " << marked_px << " px";
  }
  // The run keeps its own latency scale (steady 5 to 30 ms, target 200 ms): the 6 h backlog does not squash it.
  EXPECT_EQ(run.find(">100,000<"), std::string::npos) << "the run's latency axis must not reach the episode's backlog";
  EXPECT_NE(page.find("the episodes on one latency scale"), std::string::npos);
}

TEST(TimelineChart, MeasuredRunShowsItsFaultsOnTheSameClock) {
  Result r;
  r.archsim_version = "0.1.0";
  r.scenario_name = "check";
  CandidateResult c;
  c.name = "kappa (measured)";
  c.kind = "kappa";
  c.source = "measured";
  c.end_to_end.count = 1000;
  c.timeline = steady_timeline("measured", 1, 12, 1000);  // 12 s of a check run
  c.timeline.points[5].p99_s = 3.5;                        // the outage's backlog
  c.faults = {{"broker down", "broker 2", 4.0, 7.5, true, "connections dropped"},
              {"consumer restart", "sink consumer", 9.0, 9.0, true, "re-created"}};
  r.candidates.push_back(c);
  const std::string page = html(r);
  const std::string run = svg_titled(page, "End-to-end latency over time: kappa (measured) (measured run)");
  ASSERT_FALSE(run.empty());
  EXPECT_NE(run.find("time since the first intended send (s)"), std::string::npos);
  EXPECT_NE(run.find("p99 (measured)"), std::string::npos);
  // The outage is shaded from 4 s to 7.5 s of the run's 12 s axis: 3.5/12 of a plot about 600 px wide.
  const std::vector<Rect> all = rects(run);
  const Rect* outage = nullptr;
  for (const Rect& rect : all)
    if (rect.tip.rfind("broker down (broker 2) from 4.00 s to 7.50 s", 0) == 0) outage = &rect;
  ASSERT_NE(outage, nullptr) << run;
  EXPECT_GT(outage->width, 100);
  EXPECT_LT(outage->width, 300);
  EXPECT_NE(run.find("consumer restart (sink consumer)"), std::string::npos) << "an instantaneous fault is a rule";
  EXPECT_NE(page.find("Faults injected during the run"), std::string::npos);
  EXPECT_EQ(page.find("Failure episode (modelled)"), std::string::npos);
}

}  // namespace
}  // namespace archsim
