// CheckJob: runs `archsim check` for one candidate in a background thread
// (the embedded Kafka broker by default: a real producer, processor and sink
// on loopback, then the simulation at the same rate). The edited document is
// written to a temporary scenario file first, so the check sees the edits.
// The check itself is injected (the app passes the CLI's run_check; tests a
// fake), so this logic needs neither Kafka nor a window.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "archsim/gui/scenario_document.hpp"
#include "archsim/result.hpp"

namespace archsim::gui {

struct CheckOutcome {
  int exit_code = 0;                 ///< as `archsim check`: 0 ok, 2 bad input, 4 broker unreachable, ...
  std::string output;                ///< the comparison table and verdicts (its stdout)
  std::string log;                   ///< progress and errors (its stderr)
  std::optional<Result> result;      ///< predicted and measured candidates, when the check wrote them
};

/// Runs the check of `candidate` in `scenario_file` over a measured window
/// of `duration` ("3s"), writing its Result JSON to `json_file`.
using CheckFn = std::function<CheckOutcome(const std::filesystem::path& scenario_file, const std::string& candidate,
                                           const std::string& duration, const std::filesystem::path& json_file)>;

class CheckJob {
 public:
  explicit CheckJob(CheckFn check);
  ~CheckJob();
  CheckJob(const CheckJob&) = delete;
  CheckJob& operator=(const CheckJob&) = delete;

  /// Starts the check of `candidate` on `document` as it is now. False (and
  /// nothing starts) while a check runs or when the document is not valid;
  /// `why` says why.
  bool start(const ScenarioDocument& document, const std::string& candidate, const std::string& duration,
             std::string* why = nullptr);
  bool running() const;
  /// The finished check's outcome, once.
  std::optional<CheckOutcome> take_finished();
  /// Where the temporary scenario and Result files go (default: the system's temp directory).
  void set_work_dir(std::filesystem::path dir) { work_dir_ = std::move(dir); }

  /// The document's JSON as a standalone file for the check: a relative
  /// catalog path made absolute against the document's directory.
  static std::string standalone_text(const ScenarioDocument& document);

 private:
  CheckFn check_;
  std::filesystem::path work_dir_;
  mutable std::mutex mutex_;
  bool running_ = false;
  std::optional<CheckOutcome> finished_;
  std::jthread worker_;
};

}  // namespace archsim::gui
