// AppState: everything archsim-gui knows, in plain data plus the logic
// that changes it, kept apart from drawing (gui/app/ reads and edits it).
// Flow: an edit bumps the document revision and touches the debouncer;
// tick() posts a simulation of the valid document once the debounce delay
// has passed; a finished Result is shown and marked stale as soon as the
// document moves past the revision it was simulated from.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "archsim/gui/check_job.hpp"
#include "archsim/gui/debouncer.hpp"
#include "archsim/gui/explorer.hpp"
#include "archsim/gui/scenario_document.hpp"
#include "archsim/gui/sim_job.hpp"
#include "archsim/result.hpp"

namespace archsim::gui {

/// How interactive runs are shortened (the GUI says so next to the results).
struct RunSettings {
  bool quick = true;               ///< cap the simulated duration for interactivity
  double quick_duration_s = 5;     ///< simulated seconds after warm-up, at most
  double quick_warmup_s = 1;       ///< warm-up, at most
  int jobs = 2;                    ///< candidate processes in parallel
};

/// The Result on screen and where it came from.
struct ShownResult {
  std::optional<Result> result;
  uint64_t revision = 0;           ///< document revision it was simulated from
  double wall_s = 0;               ///< how long the simulation took
  bool quick = false;              ///< simulated with the quick caps
  std::string error;               ///< the last simulation's failure, if it failed
};

class AppState {
 public:
  /// `simulate` runs in the background thread; `now` is the clock (fake in
  /// tests); `check` runs `archsim check` (none: the check is unavailable).
  AppState(SimulateFn simulate, std::function<Clock::time_point()> now = [] { return Clock::now(); },
           Clock::duration debounce = std::chrono::milliseconds(300), CheckFn check = nullptr);

  /// Replaces the document (Open); simulates it at once when valid.
  void open(ScenarioDocument document);
  /// Call after every edit of document() (slider, raw text): restarts the debounce.
  void edited();
  /// Once per frame: post a debounced simulation, collect a finished one.
  void tick();
  /// Simulate the current revision now (no debounce), when valid.
  void run_now();
  /// Abandon the running simulation and any waiting one.
  void cancel();

  ScenarioDocument& document() { return document_; }
  const ScenarioDocument& document() const { return document_; }
  RunSettings& settings() { return settings_; }
  const ShownResult& shown() const { return shown_; }
  /// A Result is shown but the document has changed since it was simulated.
  bool stale() const;
  /// A simulation is running or waiting.
  bool busy() const { return job_->busy(); }
  /// Seconds the running simulation has taken so far.
  double running_for_s() const { return job_->running_for_s(); }
  bool debounce_pending() const { return debouncer_.pending(); }
  /// The scenario as it will be simulated (quick caps applied).
  Scenario scenario_to_run(const Scenario& scenario) const;

  /// Saves the edited JSON atomically to `path` (which becomes the document's path).
  /// Returns a message for the status line; throws nothing.
  std::string save_as(const std::filesystem::path& path);
  /// Writes the shown Result as the HTML report (the CLI's reporter). Message for the status line.
  std::string export_html(const std::filesystem::path& path) const;

  /// The two-parameter explorer (its own background thread).
  Explorer& explorer() { return *explorer_; }
  const Explorer& explorer() const { return *explorer_; }
  /// Loads an explorer cell's design: writes both values into the document (an edit).
  void load_design(const ExplorerAxis& x, double xv, const ExplorerAxis& y, double yv);

  /// Starts `archsim check` of `candidate` on the document as it is now.
  void start_check(const std::string& candidate, const std::string& duration);
  bool check_available() const { return check_ != nullptr; }
  bool check_running() const { return check_ && check_->running(); }
  /// The last finished check (plain data, kept until the next one ends).
  const std::optional<CheckOutcome>& last_check() const { return last_check_; }

  std::string status;              ///< last status-line message

 private:
  ScenarioDocument document_;
  RunSettings settings_;
  ShownResult shown_;
  Debouncer debouncer_;
  std::function<Clock::time_point()> now_;
  std::unique_ptr<SimJob> job_;
  std::unique_ptr<Explorer> explorer_;
  std::unique_ptr<CheckJob> check_;
  std::optional<CheckOutcome> last_check_;
};

}  // namespace archsim::gui
