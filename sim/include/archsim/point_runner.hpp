// Point runner: simulates many scenario variants (sweep points, designs) in
// parallel, one child process per point forked from this (single-threaded)
// process; each child calls simulate() and sends its Result back as JSON.
// Results do not depend on the number of jobs: every point is seeded from its
// own scenario.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"
#include "archsim/simulator.hpp"

namespace archsim {

/// What one point produced: a Result, or the reason it failed.
struct PointOutcome {
  std::optional<Result> result;
  std::string error;  ///< set when result is empty
};

/// Simulates `scenarios[i]` for every i with `options` (candidate filter,
/// seed), at most `jobs` at once (0 = one per core). Calls `on_done(i,
/// outcome)` in this thread as each point finishes (in completion order),
/// and `on_tick()` about every `tick_s` seconds while waiting. Must be called
/// from a single-threaded process (it forks). Throws std::runtime_error when
/// no process can be started; children are killed if a callback throws.
void run_points(const std::vector<const Scenario*>& scenarios, const SimOptions& options, int jobs,
                const std::function<void(size_t, PointOutcome)>& on_done, const std::function<void()>& on_tick,
                double tick_s = 0.5);

}  // namespace archsim
