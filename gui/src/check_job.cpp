// CheckJob (see check_job.hpp).
#include "archsim/gui/check_job.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "archsim/atomic_file.hpp"

namespace archsim::gui {

CheckJob::CheckJob(CheckFn check) : check_(std::move(check)), work_dir_(std::filesystem::temp_directory_path()) {}

CheckJob::~CheckJob() = default;  // the jthread joins: a running check ends first

std::string CheckJob::standalone_text(const ScenarioDocument& document) {
  if (!document.json()) return document.text();
  nlohmann::ordered_json j = *document.json();
  const nlohmann::ordered_json::json_pointer catalog("/hardware/catalog");
  if (j.contains(catalog) && j[catalog].is_string()) {
    const std::string name = j[catalog].get<std::string>();
    const std::filesystem::path path(name);
    if (name != "default" && path.is_relative())
      j[catalog] = std::filesystem::absolute(document.path().parent_path() / path).string();
  }
  return j.dump(2) + "\n";
}

bool CheckJob::start(const ScenarioDocument& document, const std::string& candidate, const std::string& duration,
                     std::string* why) {
  auto refuse = [&](std::string reason) {
    if (why != nullptr) *why = std::move(reason);
    return false;
  };
  if (running()) return refuse("a check is already running");
  if (!document.valid()) return refuse("the scenario has problems: fix them first");
  const auto pid = static_cast<long>(::getpid());
  const std::filesystem::path scenario_file = work_dir_ / fmt::format("archsim-gui-check-{}.json", pid);
  const std::filesystem::path json_file = work_dir_ / fmt::format("archsim-gui-check-{}-result.json", pid);
  try {
    write_file_atomically(scenario_file, standalone_text(document));
  } catch (const std::exception& e) {
    return refuse(fmt::format("cannot write the scenario for the check: {}", e.what()));
  }
  {
    std::lock_guard lock(mutex_);
    running_ = true;
    finished_.reset();
  }
  if (worker_.joinable()) worker_.join();  // the previous check has ended (running_ was false)
  worker_ = std::jthread([this, scenario_file, json_file, candidate, duration] {
    CheckOutcome outcome;
    try {
      outcome = check_(scenario_file, candidate, duration, json_file);
    } catch (const std::exception& e) {
      outcome.exit_code = 1;
      outcome.log = e.what();
    }
    std::error_code ec;
    std::filesystem::remove(scenario_file, ec);
    std::filesystem::remove(json_file, ec);
    std::lock_guard lock(mutex_);
    finished_ = std::move(outcome);
    running_ = false;
  });
  return true;
}

bool CheckJob::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::optional<CheckOutcome> CheckJob::take_finished() {
  std::lock_guard lock(mutex_);
  std::optional<CheckOutcome> out = std::move(finished_);
  finished_.reset();
  return out;
}

}  // namespace archsim::gui
