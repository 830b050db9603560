// AppState (see app_state.hpp).
#include "archsim/gui/app_state.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "archsim/atomic_file.hpp"
#include "archsim/comparison.hpp"
#include "archsim/report_format.hpp"

namespace archsim::gui {

AppState::AppState(SimulateFn simulate, std::function<Clock::time_point()> now, Clock::duration debounce, CheckFn check)
    : debouncer_(debounce),
      now_(std::move(now)),
      job_(std::make_unique<SimJob>(simulate)),
      explorer_(std::make_unique<Explorer>(simulate)),
      check_(check ? std::make_unique<CheckJob>(std::move(check)) : nullptr) {}

void AppState::start_check(const std::string& candidate, const std::string& duration) {
  if (!check_) return;
  std::string why;
  status = check_->start(document_, candidate, duration, &why)
               ? "checking " + candidate + " on the embedded Kafka broker..."
               : "cannot start the check: " + why;
}

void AppState::load_design(const ExplorerAxis& x, double xv, const ExplorerAxis& y, double yv) {
  const bool changed_x = document_.set_number(x.spec, xv);
  const bool changed_y = document_.set_number(y.spec, yv);
  if (changed_x || changed_y) edited();
  status = fmt::format("loaded the explorer's design: {} and {}", x.spec.label, y.spec.label);
}

void AppState::open(ScenarioDocument document) {
  job_->cancel();
  document_ = std::move(document);
  shown_ = ShownResult{};
  debouncer_.cancel();
  if (document_.valid()) run_now();
}

void AppState::edited() {
  debouncer_.touch(now_());
}

void AppState::tick() {
  if (debouncer_.fire(now_())) run_now();
  if (check_) {
    if (auto outcome = check_->take_finished()) {
      status = fmt::format("check finished (exit code {})", outcome->exit_code);
      last_check_ = std::move(outcome);
    }
  }
  if (auto outcome = job_->take_finished()) {
    shown_.error = outcome->error;
    if (outcome->result) {
      shown_.result = std::move(outcome->result);
      shown_.revision = outcome->revision;
      shown_.wall_s = outcome->wall_s;
      shown_.quick = outcome->quick;
    }
  }
}

Scenario AppState::scenario_to_run(const Scenario& scenario) const {
  Scenario s = scenario;
  if (settings_.quick) {
    s.simulation.duration_s = std::min(s.simulation.duration_s, settings_.quick_duration_s);
    s.simulation.warmup_s = std::min(s.simulation.warmup_s, settings_.quick_warmup_s);
  }
  return s;
}

void AppState::run_now() {
  debouncer_.cancel();
  if (!document_.valid()) return;
  SimRequest request;
  request.revision = document_.revision();
  request.scenario = scenario_to_run(*document_.scenario());
  request.options.jobs = settings_.jobs;
  request.quick = settings_.quick;
  request.options.scenario_file = document_.path().string();
  job_->post(std::move(request));
}

void AppState::cancel() {
  debouncer_.cancel();
  job_->cancel();
  status = "simulation cancelled (its processes are stopped; the result shown, if any, is the previous one)";
}

bool AppState::stale() const { return shown_.result && shown_.revision != document_.revision(); }

std::string AppState::save_as(const std::filesystem::path& path) {
  try {
    write_file_atomically(path, document_.text());
    document_.set_path(path);
    return status = "saved " + path.string();
  } catch (const std::exception& e) {
    return status = fmt::format("could not save: {}", e.what());
  }
}

std::string AppState::export_html(const std::filesystem::path& path) const {
  if (!shown_.result) return "no result to export yet";
  try {
    std::ostringstream text;
    write_report(ReportFormat::html, make_comparison({*shown_.result}), text);
    write_file_atomically(path, text.str());
    return "wrote the HTML report to " + path.string() + (stale() ? " (from a stale result)" : "");
  } catch (const std::exception& e) {
    return fmt::format("could not write the report: {}", e.what());
  }
}

}  // namespace archsim::gui
