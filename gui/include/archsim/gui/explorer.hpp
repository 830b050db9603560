// Explorer: the two-parameter sweep behind the GUI's heatmap. Two editable
// parameters, each over a range in `steps` points (log-spaced on log
// sliders), give a grid of designs; a background thread simulates one
// candidate at every grid point (shortened runs) and fills the cells, which
// the UI copies under a mutex. Cancel kills the cell being simulated and
// stops the sweep.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "archsim/gui/scenario_document.hpp"
#include "archsim/gui/sim_job.hpp"

namespace archsim::gui {

struct ExplorerAxis {
  ParamSpec spec;
  double lo = 0;
  double hi = 1;
  int steps = 5;
};

/// One grid point's outcome.
struct ExplorerCell {
  double x = 0;                 ///< parameter values, base units
  double y = 0;
  bool done = false;
  bool simulated = false;       ///< false: the design is invalid or the simulation failed (see error)
  double p99_s = 0;
  double cost_usd_month = 0;
  bool meets_all = false;
  std::string failed;           ///< the first requirement it fails ("overloaded" first), "" when it meets all
  std::string error;
};

/// The grid values of `axis` (clamped to its spec's range; log-spaced when the spec is log and lo > 0).
std::vector<double> axis_values(const ExplorerAxis& axis);

class Explorer {
 public:
  explicit Explorer(SimulateFn simulate);
  ~Explorer();
  Explorer(const Explorer&) = delete;
  Explorer& operator=(const Explorer&) = delete;

  /// Starts a sweep of `candidate` over x by y around `document` (stops a
  /// running one first, waiting for its current cell: cancel and wait for
  /// running() to turn false to avoid that). `duration_s`/`warmup_s` cap each run. False when
  /// the document is not valid JSON.
  bool start(const ScenarioDocument& document, ExplorerAxis x, ExplorerAxis y, std::string candidate,
             double duration_s = 2, double warmup_s = 0.5, int jobs = 1);
  /// Stops the sweep (the cell being simulated is killed); returns at once.
  void cancel();
  bool running() const;
  /// A copy of the cells, row-major: cell (i, j) at j * nx + i (i along x, j along y).
  std::vector<ExplorerCell> cells() const;
  size_t nx() const { return nx_; }
  size_t ny() const { return ny_; }
  const ExplorerAxis& x() const { return x_; }
  const ExplorerAxis& y() const { return y_; }
  const std::string& candidate() const { return candidate_; }
  size_t done_count() const;

  /// `document` with cell (i, j)'s two values written (the design to load).
  static ScenarioDocument design_at(ScenarioDocument document, const ExplorerAxis& x, double xv, const ExplorerAxis& y,
                                    double yv);

 private:
  void stop();

  SimulateFn simulate_;
  ExplorerAxis x_, y_;
  std::string candidate_;
  size_t nx_ = 0, ny_ = 0;
  mutable std::mutex mutex_;
  std::vector<ExplorerCell> cells_;
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_flag_{false};  ///< handed to simulate(): a cancel also stops the cell being simulated
  std::jthread worker_;
};

}  // namespace archsim::gui
