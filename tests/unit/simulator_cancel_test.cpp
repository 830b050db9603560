// simulate()'s cancel flag (SimOptions::cancel): raised during a run, the
// simulation processes are killed and SimulationCancelled is thrown within
// a fraction of a second, instead of the run going to its end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace archsim {
namespace {

using namespace std::chrono_literals;

TEST(SimulatorCancel, ACancelledRunStopsAtOnce) {
  Scenario scenario =
      load_scenario_file(std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios" / "kappa-reference.json");
  scenario.simulation.duration_s = 600;  // minutes of wall time if it ran to its end
  std::atomic<bool> cancel{false};
  SimOptions options;
  options.jobs = 2;
  options.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    cancel = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(simulate(scenario, options), SimulationCancelled);
  const auto took = std::chrono::steady_clock::now() - t0;
  canceller.join();
  EXPECT_LT(took, 3s);
}

TEST(SimulatorCancel, AnUnraisedFlagChangesNothing) {
  Scenario scenario =
      load_scenario_file(std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios" / "kappa-reference.json");
  scenario.simulation.duration_s = 1;
  scenario.simulation.warmup_s = 0.2;
  std::atomic<bool> cancel{false};
  SimOptions with, without;
  with.cancel = &cancel;
  with.jobs = without.jobs = 2;
  const Result a = simulate(scenario, with);
  const Result b = simulate(scenario, without);
  ASSERT_EQ(a.candidates.size(), 2u);
  EXPECT_EQ(a.candidates[0].end_to_end.p99_s.value, b.candidates[0].end_to_end.p99_s.value);
  EXPECT_EQ(a.candidates[1].cost_usd_month, b.candidates[1].cost_usd_month);
}

}  // namespace
}  // namespace archsim
