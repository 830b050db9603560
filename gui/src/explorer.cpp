// Explorer (see explorer.hpp).
#include "archsim/gui/explorer.hpp"

#include <algorithm>
#include <cmath>

namespace archsim::gui {

std::vector<double> axis_values(const ExplorerAxis& axis) {
  const double lo = std::clamp(std::min(axis.lo, axis.hi), axis.spec.min, axis.spec.max);
  const double hi = std::clamp(std::max(axis.lo, axis.hi), axis.spec.min, axis.spec.max);
  const int n = std::max(1, axis.steps);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    const double t = n == 1 ? 0 : static_cast<double>(i) / (n - 1);
    double v = axis.spec.log_scale && lo > 0 ? lo * std::pow(hi / lo, t) : lo + (hi - lo) * t;
    if (axis.spec.kind == ParamKind::integer) v = std::round(v);
    if (out.empty() || v != out.back()) out.push_back(v);  // integers may repeat on a short range
  }
  return out;
}

Explorer::Explorer(SimulateFn simulate) : simulate_(std::move(simulate)) {}

Explorer::~Explorer() { stop(); }

void Explorer::stop() {
  cancel_flag_ = true;
  if (worker_.joinable()) {
    worker_.request_stop();
    worker_.join();
  }
  running_ = false;
}

ScenarioDocument Explorer::design_at(ScenarioDocument document, const ExplorerAxis& x, double xv, const ExplorerAxis& y,
                                     double yv) {
  document.set_number(x.spec, xv);
  document.set_number(y.spec, yv);
  return document;
}

bool Explorer::start(const ScenarioDocument& document, ExplorerAxis x, ExplorerAxis y, std::string candidate,
                     double duration_s, double warmup_s, int jobs) {
  stop();
  if (!document.is_json()) return false;
  x_ = std::move(x);
  y_ = std::move(y);
  candidate_ = std::move(candidate);
  const std::vector<double> xs = axis_values(x_), ys = axis_values(y_);
  nx_ = xs.size();
  ny_ = ys.size();
  {
    std::lock_guard lock(mutex_);
    cells_.assign(nx_ * ny_, ExplorerCell{});
    for (size_t j = 0; j < ny_; ++j)
      for (size_t i = 0; i < nx_; ++i) {
        cells_[j * nx_ + i].x = xs[i];
        cells_[j * nx_ + i].y = ys[j];
      }
  }
  running_ = true;
  cancel_flag_ = false;
  worker_ = std::jthread([this, document, duration_s, warmup_s, jobs](std::stop_token stop_token) {
    for (size_t k = 0; k < nx_ * ny_ && !stop_token.stop_requested(); ++k) {
      double xv = 0, yv = 0;
      {
        std::lock_guard lock(mutex_);
        xv = cells_[k].x;
        yv = cells_[k].y;
      }
      ExplorerCell cell;
      cell.x = xv;
      cell.y = yv;
      const ScenarioDocument design = design_at(document, x_, xv, y_, yv);
      if (!design.valid()) {
        cell.error = design.issues().empty() ? "invalid design" : design.issues().front().message();
      } else {
        Scenario s = *design.scenario();
        s.simulation.duration_s = std::min(s.simulation.duration_s, duration_s);
        s.simulation.warmup_s = std::min(s.simulation.warmup_s, warmup_s);
        SimOptions options;
        options.candidate = candidate_;
        options.jobs = jobs;
        options.cancel = &cancel_flag_;
        try {
          const Result r = simulate_(s, options);
          if (!r.candidates.empty()) {
            const CandidateResult& c = r.candidates.front();
            cell.simulated = true;
            cell.p99_s = c.end_to_end.p99_s.value;
            cell.cost_usd_month = c.cost_usd_month;
            cell.meets_all = c.meets_all;
            if (c.overloaded) cell.failed = "overloaded";
            for (const Verdict& v : c.verdicts)
              if (!v.pass && cell.failed.empty()) cell.failed = v.requirement;
          }
        } catch (const std::exception& e) {
          cell.error = e.what();
        }
      }
      if (stop_token.stop_requested()) break;  // cancelled mid-cell: leave the cell not done
      cell.done = true;
      std::lock_guard lock(mutex_);
      cells_[k] = std::move(cell);
    }
    running_ = false;
  });
  return true;
}

void Explorer::cancel() {
  cancel_flag_ = true;     // simulate() kills the current cell's processes
  worker_.request_stop();  // and the worker ends; no waiting here
}

bool Explorer::running() const { return running_; }

std::vector<ExplorerCell> Explorer::cells() const {
  std::lock_guard lock(mutex_);
  return cells_;
}

size_t Explorer::done_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(cells_.begin(), cells_.end(), [](const ExplorerCell& c) { return c.done; }));
}

}  // namespace archsim::gui
