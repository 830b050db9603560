// Tests of archsim-gui's state logic, without a window: edits at JSON
// pointers (units, other spellings, choices), slider ranges inside the
// loader's, malformed documents, the debouncer on a fake clock, stale
// marking, and the background simulation job (latest request wins, cancel
// discards, a Result only arrives whole).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <unistd.h>

#include "archsim/gui/app_state.hpp"
#include "archsim/gui/check_job.hpp"
#include "archsim/gui/debouncer.hpp"
#include "archsim/gui/explorer.hpp"
#include "archsim/gui/scenario_document.hpp"

namespace archsim::gui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path scenario_path(const std::string& name) { return fs::path(ARCHSIM_SOURCE_DIR) / "scenarios" / name; }

ScenarioDocument reference() { return ScenarioDocument::from_file(scenario_path("kappa-reference.json")); }

const ParamSpec& param(const ScenarioDocument& doc, const std::string& pointer) {
  const auto i = find_param(doc.params(), pointer);
  EXPECT_TRUE(i.has_value()) << pointer;
  if (!i) throw std::runtime_error("no param " + pointer);
  return doc.params()[*i];
}

const nlohmann::ordered_json& at(const ScenarioDocument& doc, const std::string& pointer) {
  return doc.json()->at(nlohmann::ordered_json::json_pointer(pointer));
}

TEST(GuiDocument, LoadsTheReferenceScenario) {
  const ScenarioDocument doc = reference();
  ASSERT_TRUE(doc.valid()) << (doc.issues().empty() ? "" : doc.issues()[0].message());
  EXPECT_EQ(doc.revision(), 1u);
  EXPECT_TRUE(find_param(doc.params(), "/workload/rate/mean_eps"));
  EXPECT_TRUE(find_param(doc.params(), "/candidates/1/processing/parallelism"));
  EXPECT_TRUE(find_param(doc.params(), "/requirements/latency/p99"));
  EXPECT_DOUBLE_EQ(*doc.value(param(doc, "/workload/rate/mean_eps")), 100000);
  EXPECT_DOUBLE_EQ(*doc.value(param(doc, "/candidates/0/producer/linger")), 0.005);
  // io_threads is absent from kappa-lean: its value comes from the loader's default
  EXPECT_DOUBLE_EQ(*doc.value(param(doc, "/candidates/1/producer/acks")), 1);  // "1" is choice 1
}

TEST(GuiDocument, NumberEditWritesAtItsPointerAndReparses) {
  ScenarioDocument doc = reference();
  EXPECT_TRUE(doc.set_number(param(doc, "/candidates/1/broker/partitions"), 24));
  EXPECT_EQ(at(doc, "/candidates/1/broker/partitions"), 24);
  EXPECT_EQ(doc.revision(), 2u);
  ASSERT_TRUE(doc.valid());
  EXPECT_EQ(doc.scenario()->candidates[1].broker.partitions, 24);
  EXPECT_EQ(doc.scenario()->candidates[0].broker.partitions, 12);  // the other candidate untouched
  // the same value again is no edit
  EXPECT_FALSE(doc.set_number(param(doc, "/candidates/1/broker/partitions"), 24));
  EXPECT_EQ(doc.revision(), 2u);
}

TEST(GuiDocument, SavedTextKeepsTheFilesKeyOrder) {
  ScenarioDocument doc = reference();
  doc.set_number(param(doc, "/workload/sources"), 8);
  const std::string text = doc.text();
  EXPECT_LT(text.find("\"name\""), text.find("\"workload\""));
  EXPECT_LT(text.find("\"workload\""), text.find("\"candidates\""));
  EXPECT_LT(text.find("\"candidates\""), text.find("\"simulation\""));
}

TEST(GuiDocument, DurationsAndSizesAreWrittenWithUnits) {
  ScenarioDocument doc = reference();
  doc.set_number(param(doc, "/candidates/0/producer/linger"), 0.05);
  EXPECT_EQ(at(doc, "/candidates/0/producer/linger"), "50ms");
  doc.set_number(param(doc, "/workload/event_size/bytes"), 2048);
  EXPECT_EQ(at(doc, "/workload/event_size/bytes"), "2048B");
  doc.set_number(param(doc, "/requirements/latency/p99"), 2.5);
  EXPECT_EQ(at(doc, "/requirements/latency/p99"), "2.5s");
  ASSERT_TRUE(doc.valid());
  EXPECT_DOUBLE_EQ(doc.scenario()->candidates[0].producer.linger_s, 0.05);
  EXPECT_DOUBLE_EQ(doc.scenario()->workload.event_size.bytes, 2048);
  EXPECT_DOUBLE_EQ(*doc.scenario()->requirements.p99_s, 2.5);
}

TEST(GuiDocument, AnEditReplacesOtherSpellingsOfTheKey) {
  ScenarioDocument doc = reference();
  nlohmann::ordered_json j = *doc.json();
  j["candidates"][0]["producer"].erase("linger");
  j["candidates"][0]["producer"]["linger_ms"] = 7;
  doc.set_text(j.dump());
  ASSERT_TRUE(doc.valid());
  EXPECT_DOUBLE_EQ(*doc.value(param(doc, "/candidates/0/producer/linger")), 0.007);  // from the typed Scenario
  doc.set_number(param(doc, "/candidates/0/producer/linger"), 0.01);
  EXPECT_FALSE(doc.json()->at("candidates")[0]["producer"].contains("linger_ms"));
  ASSERT_TRUE(doc.valid()) << doc.issues()[0].message();
  EXPECT_DOUBLE_EQ(doc.scenario()->candidates[0].producer.linger_s, 0.01);
}

TEST(GuiDocument, ValuesAreClampedToTheSliderRange) {
  ScenarioDocument doc = reference();
  const ParamSpec partitions = param(doc, "/candidates/0/broker/partitions");  // a copy: edits rebuild params()
  doc.set_number(partitions, 1e9);
  EXPECT_EQ(at(doc, "/candidates/0/broker/partitions"), static_cast<int64_t>(partitions.max));
  doc.set_number(param(doc, "/workload/rate/mean_eps"), -5);
  EXPECT_DOUBLE_EQ(at(doc, "/workload/rate/mean_eps").get<double>(), param(doc, "/workload/rate/mean_eps").min);
  EXPECT_TRUE(doc.valid());
}

/// Issues the loader reports at `pointer` that are not cross-field rules
/// (those name the other field: "the broker count", "the p95", ...).
std::vector<std::string> own_range_issues(const ScenarioDocument& doc, const std::string& pointer) {
  std::vector<std::string> out;
  for (const auto& issue : doc.issues()) {
    if (issue.path != pointer) continue;
    const std::string& e = issue.expected;
    const bool cross = e.find("broker count") != std::string::npos || e.find("the p95") != std::string::npos ||
                       e.find("replication factor") != std::string::npos || e.find("the min") != std::string::npos ||
                       e.find("the mean") != std::string::npos;
    if (!cross) out.push_back(issue.message());
  }
  return out;
}

TEST(GuiDocument, EverySliderEndIsInsideTheLoadersRange) {
  for (const char* name : {"kappa-reference.json", "fraud-lambda-vs-kappa.json", "iot-edge-vs-kappa.json",
                           "clickstream-kappa.json"}) {
    const ScenarioDocument original = ScenarioDocument::from_file(scenario_path(name));
    ASSERT_TRUE(original.valid()) << name;
    ASSERT_FALSE(original.params().empty());
    for (const ParamSpec& spec : original.params()) {
      if (spec.kind == ParamKind::choice) {
        for (size_t i = 0; i < spec.choices.size(); ++i) {
          ScenarioDocument doc = original;
          doc.set_choice(spec, i);
          EXPECT_TRUE(own_range_issues(doc, spec.pointer).empty()) << name << " " << spec.pointer << "=" << spec.choices[i];
        }
        continue;
      }
      for (const double end : {spec.min, spec.max}) {
        ScenarioDocument doc = original;
        doc.set_number(spec, end);
        const auto issues = own_range_issues(doc, spec.pointer);
        EXPECT_TRUE(issues.empty()) << name << " " << spec.pointer << " = " << end << ": " << issues.front();
      }
    }
  }
}

TEST(GuiDocument, ChoiceEditsDropKeysOnlyTheOldChoiceAllows) {
  ScenarioDocument doc = reference();
  EXPECT_FALSE(find_param(doc.params(), "/workload/rate/peak_factor"));
  doc.set_choice(param(doc, "/workload/rate/pattern"), 1);  // diurnal
  ASSERT_TRUE(doc.valid());
  ASSERT_TRUE(find_param(doc.params(), "/workload/rate/peak_factor"));
  doc.set_number(param(doc, "/workload/rate/peak_factor"), 1.5);
  EXPECT_DOUBLE_EQ(doc.scenario()->workload.pattern.peak_factor, 1.5);
  doc.set_choice(param(doc, "/workload/rate/pattern"), 0);  // constant: peak_factor would be an error
  EXPECT_FALSE(doc.json()->at("workload")["rate"].contains("peak_factor"));
  EXPECT_TRUE(doc.valid());
  doc.set_choice(param(doc, "/candidates/0/producer/acks"), 0);
  EXPECT_EQ(at(doc, "/candidates/0/producer/acks"), "0");
  EXPECT_EQ(doc.scenario()->candidates[0].producer.acks, Acks::none);
}

TEST(GuiDocument, MalformedTextKeepsItsProblemsAndCanBeFixed) {
  ScenarioDocument doc = ScenarioDocument::from_text("{ \"name\": ", "bad.json");
  EXPECT_FALSE(doc.is_json());
  EXPECT_FALSE(doc.valid());
  EXPECT_FALSE(doc.issues().empty());
  EXPECT_TRUE(doc.params().empty());
  EXPECT_EQ(doc.text(), "{ \"name\": ");  // the raw text is kept for the editor
  EXPECT_FALSE(doc.set_number(ParamSpec{}, 1));

  std::ifstream in(scenario_path("kappa-reference.json"));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str());
  j["candidates"][1]["broker"]["partitions"] = "twelve";
  doc = ScenarioDocument::from_text(j.dump(), scenario_path("x.json"));
  ASSERT_FALSE(doc.valid());
  ASSERT_EQ(doc.issues().size(), 1u);
  EXPECT_EQ(doc.issues()[0].path, "/candidates/1/broker/partitions");
  EXPECT_FALSE(doc.params().empty());  // still editable: fixing it with the slider
  doc.set_number(param(doc, "/candidates/1/broker/partitions"), 12);
  EXPECT_TRUE(doc.valid());
}

TEST(GuiDebouncer, FiresOnceAfterTheLastTouch) {
  Debouncer d(300ms);
  const Clock::time_point t0{};
  EXPECT_FALSE(d.fire(t0 + 1s));
  d.touch(t0);
  EXPECT_FALSE(d.fire(t0 + 299ms));
  d.touch(t0 + 200ms);  // another edit restarts the wait
  EXPECT_FALSE(d.fire(t0 + 450ms));
  EXPECT_TRUE(d.pending());
  EXPECT_TRUE(d.fire(t0 + 500ms));
  EXPECT_FALSE(d.fire(t0 + 900ms));
  EXPECT_FALSE(d.pending());
}

/// A fake simulate(): records what it was asked, and (when gated) waits
/// until the test opens the gate.
class FakeSimulator {
 public:
  Result operator()(const Scenario& s, const SimOptions& o) {
    std::unique_lock lock(mutex_);
    seen_.push_back(s);
    cancel_ = o.cancel;
    ++started_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !gated_ || releases_ > 0; });
    if (gated_) --releases_;
    if (fail_) throw std::runtime_error("simulation of 'x' failed");
    Result r;
    r.scenario_name = s.name;
    r.candidates.resize(s.candidates.size());
    r.candidates[0].end_to_end.p99_s.value = s.simulation.duration_s;  // tells runs apart
    return r;
  }
  void gate() { std::lock_guard lock(mutex_); gated_ = true; }
  void release() { std::lock_guard lock(mutex_); ++releases_; cv_.notify_all(); }
  void fail() { std::lock_guard lock(mutex_); fail_ = true; }
  bool wait_started(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [&] { return started_ >= n; });
  }
  int started() { std::lock_guard lock(mutex_); return started_; }
  std::vector<Scenario> seen() { std::lock_guard lock(mutex_); return seen_; }
  /// The cancel flag the last call was given (simulate() kills its processes when it turns true).
  const std::atomic<bool>* cancel_flag() { std::lock_guard lock(mutex_); return cancel_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Scenario> seen_;
  int started_ = 0;
  int releases_ = 0;
  bool gated_ = false;
  bool fail_ = false;
  const std::atomic<bool>* cancel_ = nullptr;
};

struct Harness {
  std::shared_ptr<FakeSimulator> sim = std::make_shared<FakeSimulator>();
  Clock::time_point now{};
  AppState state{[s = sim](const Scenario& sc, const SimOptions& o) { return (*s)(sc, o); }, [this] { return now; }};

  /// Ticks until a result for `revision` is shown (real time, bounded).
  bool wait_shown(uint64_t revision) {
    for (int i = 0; i < 1000; ++i) {
      state.tick();
      if (state.shown().result && state.shown().revision == revision) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

TEST(GuiAppState, OpenSimulatesAtOnceAndEditsAreDebouncedAndMarkedStale) {
  Harness h;
  h.state.open(reference());
  ASSERT_TRUE(h.wait_shown(1));
  EXPECT_FALSE(h.state.stale());
  EXPECT_EQ(h.sim->started(), 1);

  ScenarioDocument& doc = h.state.document();
  ASSERT_TRUE(doc.set_number(param(doc, "/candidates/0/broker/partitions"), 30));
  h.state.edited();
  EXPECT_TRUE(h.state.stale());  // at once: the shown result is of revision 1
  h.now += 100ms;
  ASSERT_TRUE(doc.set_number(param(doc, "/candidates/0/broker/partitions"), 31));
  h.state.edited();
  h.now += 250ms;  // 250 ms after the last edit: still waiting
  h.state.tick();
  EXPECT_EQ(h.sim->started(), 1);
  EXPECT_TRUE(h.state.debounce_pending());
  h.now += 60ms;  // 310 ms after the last edit
  ASSERT_TRUE(h.wait_shown(3));
  EXPECT_EQ(h.sim->started(), 2);  // one simulation for the two edits
  EXPECT_FALSE(h.state.stale());
  EXPECT_EQ(h.sim->seen().back().candidates[0].broker.partitions, 31);
}

TEST(GuiAppState, InteractiveRunsAreShortenedOnlyInQuickMode) {
  Harness h;
  h.state.open(reference());  // 30 s simulated, 5 s warm-up
  ASSERT_TRUE(h.wait_shown(1));
  EXPECT_DOUBLE_EQ(h.sim->seen()[0].simulation.duration_s, 5);
  EXPECT_DOUBLE_EQ(h.sim->seen()[0].simulation.warmup_s, 1);
  EXPECT_TRUE(h.state.shown().quick);
  h.state.settings().quick = false;
  h.state.run_now();
  ASSERT_TRUE(h.sim->wait_started(2));
  for (int i = 0; i < 500 && h.state.shown().quick; ++i, std::this_thread::sleep_for(10ms)) h.state.tick();
  EXPECT_DOUBLE_EQ(h.sim->seen()[1].simulation.duration_s, 30);
  EXPECT_FALSE(h.state.shown().quick);
}

TEST(GuiAppState, AnInvalidDocumentIsNotSimulated) {
  Harness h;
  h.state.open(ScenarioDocument::from_text("[1, 2]", "bad.json"));
  h.now += 1s;
  h.state.tick();
  EXPECT_FALSE(h.state.busy());
  EXPECT_EQ(h.sim->started(), 0);
  EXPECT_FALSE(h.state.shown().result);
}

TEST(GuiAppState, TheNewestWaitingRequestReplacesOlderOnes) {
  Harness h;
  h.sim->gate();
  h.state.open(reference());  // revision 1 starts and blocks
  ASSERT_TRUE(h.sim->wait_started(1));
  ScenarioDocument& doc = h.state.document();
  doc.set_number(param(doc, "/workload/sources"), 8);  // revision 2
  h.state.run_now();
  doc.set_number(param(doc, "/workload/sources"), 9);  // revision 3 replaces 2 while 1 runs
  h.state.run_now();
  EXPECT_TRUE(h.state.busy());
  h.sim->release();
  ASSERT_TRUE(h.sim->wait_started(2));
  h.sim->release();
  ASSERT_TRUE(h.wait_shown(3));
  const auto seen = h.sim->seen();
  ASSERT_EQ(seen.size(), 2u);  // revision 2 never ran
  EXPECT_EQ(seen[1].workload.sources, 9);
}

TEST(GuiAppState, CancelDiscardsTheRunningResult) {
  Harness h;
  h.sim->gate();
  h.state.open(reference());
  ASSERT_TRUE(h.sim->wait_started(1));
  ASSERT_NE(h.sim->cancel_flag(), nullptr);
  EXPECT_FALSE(h.sim->cancel_flag()->load());
  h.state.cancel();
  EXPECT_TRUE(h.sim->cancel_flag()->load());  // simulate() would now kill its processes
  h.sim->release();
  for (int i = 0; i < 100 && h.state.busy(); ++i) std::this_thread::sleep_for(10ms);
  h.state.tick();
  EXPECT_FALSE(h.state.busy());
  EXPECT_FALSE(h.state.shown().result);  // the abandoned run's Result never shows
  h.sim->release();  // the next run goes through
  h.state.run_now();
  EXPECT_TRUE(h.wait_shown(1));
}

TEST(GuiAppState, AFailedSimulationKeepsTheLastResultAndSaysWhy) {
  Harness h;
  h.state.open(reference());
  ASSERT_TRUE(h.wait_shown(1));
  h.sim->fail();
  ScenarioDocument& doc = h.state.document();
  doc.set_number(param(doc, "/workload/sources"), 8);
  h.state.run_now();
  for (int i = 0; i < 500 && h.state.shown().error.empty(); ++i, std::this_thread::sleep_for(10ms)) h.state.tick();
  EXPECT_NE(h.state.shown().error.find("failed"), std::string::npos);
  EXPECT_TRUE(h.state.shown().result);
  EXPECT_TRUE(h.state.stale());
}

TEST(GuiAppState, SaveAsWritesTheEditedJsonAndExportWritesTheHtmlReport) {
  const fs::path dir = fs::temp_directory_path() / ("archsim-gui-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  Harness h;
  h.state.open(reference());
  ScenarioDocument& doc = h.state.document();
  doc.set_number(param(doc, "/candidates/1/processing/parallelism"), 6);
  EXPECT_NE(h.state.save_as(dir / "edited.json").find("saved"), std::string::npos);
  const ScenarioDocument reloaded = ScenarioDocument::from_file(dir / "edited.json");
  ASSERT_TRUE(reloaded.valid());
  EXPECT_EQ(reloaded.scenario()->candidates[1].processing.parallelism, 6);
  EXPECT_EQ(h.state.document().path(), dir / "edited.json");
  EXPECT_NE(h.state.save_as(dir / "no-such-dir" / "x.json").find("could not save"), std::string::npos);

  ASSERT_TRUE(h.wait_shown(1));
  EXPECT_NE(h.state.export_html(dir / "report.html").find("wrote"), std::string::npos);
  std::ifstream in(dir / "report.html");
  std::stringstream html;
  html << in.rdbuf();
  EXPECT_NE(html.str().find("<svg"), std::string::npos);
  EXPECT_NE(html.str().find("kappa-reference"), std::string::npos);
  fs::remove_all(dir);
}


TEST(GuiExplorer, AxisValuesAreLogSpacedInsideTheSliderRange) {
  const ScenarioDocument doc = reference();
  const ParamSpec& rate = param(doc, "/workload/rate/mean_eps");
  const auto xs = axis_values({rate, 1000, 100000, 3});
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_NEAR(xs[1], 10000, 1e-6);
  const auto clamped = axis_values({rate, 1, 1e12, 2});  // outside the slider range
  EXPECT_DOUBLE_EQ(clamped.front(), rate.min);
  EXPECT_DOUBLE_EQ(clamped.back(), rate.max);
  const ParamSpec& brokers = param(doc, "/candidates/0/broker/count");  // integers: no repeats
  EXPECT_EQ(axis_values({brokers, 3, 4, 5}), (std::vector<double>{3, 4}));
}

TEST(GuiExplorer, SweepsTheGridInTheBackgroundAndFlagsInvalidDesigns) {
  std::mutex m;
  std::vector<std::pair<int, int>> seen;  // (brokers, replication factor) simulated
  Explorer ex([&](const Scenario& s, const SimOptions& o) {
    EXPECT_EQ(o.candidate, "kappa-lean");
    EXPECT_LE(s.simulation.duration_s, 2);
    Result r;
    CandidateResult c;
    c.end_to_end.p99_s.value = 0.01 * s.candidates[1].broker.count;
    c.cost_usd_month = 1000.0 * s.candidates[1].broker.replication_factor;
    c.meets_all = s.candidates[1].broker.count >= 4;
    if (!c.meets_all) c.verdicts.push_back(Verdict{"p99 latency", 0.02, 0.03, "s", false, -0.5, ""});
    r.candidates.push_back(c);
    std::lock_guard lock(m);
    seen.emplace_back(s.candidates[1].broker.count, s.candidates[1].broker.replication_factor);
    return r;
  });
  const ScenarioDocument doc = reference();
  ASSERT_TRUE(ex.start(doc, {param(doc, "/candidates/1/broker/count"), 2, 5, 4},
                       {param(doc, "/candidates/1/broker/replication_factor"), 2, 3, 2}, "kappa-lean"));
  for (int i = 0; i < 500 && ex.running(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_FALSE(ex.running());
  const auto cells = ex.cells();
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(ex.done_count(), 8u);
  // (count 2, replication 3) breaks the loader's cross-field rule: flagged, not simulated
  const ExplorerCell& bad = cells[1 * 4 + 0];
  EXPECT_EQ(bad.x, 2);
  EXPECT_EQ(bad.y, 3);
  EXPECT_FALSE(bad.simulated);
  EXPECT_NE(bad.error.find("replication_factor"), std::string::npos);
  const ExplorerCell& good = cells[1 * 4 + 3];  // count 5, replication 3
  EXPECT_TRUE(good.simulated);
  EXPECT_DOUBLE_EQ(good.p99_s, 0.05);
  EXPECT_DOUBLE_EQ(good.cost_usd_month, 3000);
  EXPECT_TRUE(good.meets_all);
  EXPECT_EQ(good.failed, "");
  EXPECT_EQ(cells[0].failed, "p99 latency");  // count 2: fails, and says which requirement
  EXPECT_EQ(seen.size(), 7u);
  // the design of a cell, as the click loads it
  const ScenarioDocument design = Explorer::design_at(doc, ex.x(), good.x, ex.y(), good.y);
  ASSERT_TRUE(design.valid());
  EXPECT_EQ(design.scenario()->candidates[1].broker.count, 5);
  EXPECT_EQ(design.scenario()->candidates[1].broker.replication_factor, 3);
}

TEST(GuiExplorer, CancelStopsTheSweepWithoutWaiting) {
  std::atomic<int> calls{0};
  Explorer ex([&](const Scenario&, const SimOptions&) {
    ++calls;
    std::this_thread::sleep_for(50ms);
    Result r;
    r.candidates.emplace_back();
    return r;
  });
  const ScenarioDocument doc = reference();
  ex.start(doc, {param(doc, "/workload/sources"), 1, 64, 8}, {param(doc, "/candidates/0/sink/concurrency"), 1, 8, 8},
           "kappa-baseline");
  std::this_thread::sleep_for(120ms);
  const auto t0 = std::chrono::steady_clock::now();
  ex.cancel();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 20ms);  // the UI thread does not wait
  for (int i = 0; i < 100 && ex.running(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(ex.running());
  EXPECT_LT(calls.load(), 10);
  EXPECT_LT(ex.done_count(), 64u);
}

TEST(GuiAppState, LoadingAnExplorerDesignIsAnEdit) {
  Harness h;
  h.state.open(reference());
  ASSERT_TRUE(h.wait_shown(1));
  const ScenarioDocument& doc = h.state.document();
  const ExplorerAxis x{param(doc, "/candidates/0/broker/partitions"), 6, 48, 4};
  const ExplorerAxis y{param(doc, "/candidates/0/processing/parallelism"), 2, 8, 3};
  h.state.load_design(x, 24, y, 8);
  EXPECT_TRUE(h.state.stale());
  EXPECT_TRUE(h.state.debounce_pending());
  EXPECT_EQ(h.state.document().scenario()->candidates[0].broker.partitions, 24);
  EXPECT_EQ(h.state.document().scenario()->candidates[0].processing.parallelism, 8);
}


TEST(GuiCheckJob, ChecksTheEditedDocumentInABackgroundThread) {
  std::mutex m;
  std::string seen_text;
  std::atomic<bool> release{false};
  CheckJob job([&](const fs::path& scenario, const std::string& candidate, const std::string& duration,
                   const fs::path& json) {
    {
      std::lock_guard lock(m);
      std::ifstream in(scenario);
      std::stringstream text;
      text << in.rdbuf();
      seen_text = text.str();
    }
    EXPECT_EQ(candidate, "kappa-lean");
    EXPECT_EQ(duration, "2s");
    std::ofstream(json) << "{}";
    while (!release) std::this_thread::sleep_for(5ms);
    CheckOutcome out;
    out.exit_code = 0;
    out.output = "METRIC PREDICTED MEASURED";
    return out;
  });
  const fs::path dir = fs::temp_directory_path() / ("archsim-gui-check-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  job.set_work_dir(dir);
  ScenarioDocument doc = reference();
  doc.set_number(param(doc, "/candidates/1/processing/parallelism"), 3);
  std::string why;
  ASSERT_TRUE(job.start(doc, "kappa-lean", "2s", &why)) << why;
  EXPECT_TRUE(job.running());
  EXPECT_FALSE(job.start(doc, "kappa-lean", "2s", &why));  // one at a time
  EXPECT_NE(why.find("already running"), std::string::npos);
  release = true;
  std::optional<CheckOutcome> out;
  for (int i = 0; i < 500 && !out; ++i, std::this_thread::sleep_for(10ms)) out = job.take_finished();
  ASSERT_TRUE(out);
  EXPECT_EQ(out->output, "METRIC PREDICTED MEASURED");
  EXPECT_FALSE(job.running());
  {
    std::lock_guard lock(m);
    const ScenarioDocument checked = ScenarioDocument::from_text(seen_text, dir / "x.json");
    ASSERT_TRUE(checked.valid());
    EXPECT_EQ(checked.scenario()->candidates[1].processing.parallelism, 3);  // the edit is checked
  }
  EXPECT_TRUE(fs::is_empty(dir));  // temporary scenario and Result removed
  fs::remove_all(dir);

  EXPECT_FALSE(job.start(ScenarioDocument::from_text("{", "bad.json"), "kappa-lean", "2s", &why));
  EXPECT_NE(why.find("problems"), std::string::npos);
}

TEST(GuiCheckJob, ARelativeCatalogPathIsMadeAbsolute) {
  ScenarioDocument doc = reference();
  nlohmann::ordered_json j = *doc.json();
  j["hardware"]["catalog"] = "my-catalog.json";
  doc = ScenarioDocument::from_text(j.dump(), fs::path("/some/dir/scenario.json"));
  const nlohmann::json out = nlohmann::json::parse(CheckJob::standalone_text(doc));
  EXPECT_EQ(out["hardware"]["catalog"], "/some/dir/my-catalog.json");
  EXPECT_EQ(nlohmann::json::parse(CheckJob::standalone_text(reference()))["hardware"]["catalog"], "default");
}

}  // namespace
}  // namespace archsim::gui
