// Helpers every subcommand shares: output paths checked before long work,
// atomic writes whose failure is an environment error, candidate lookup with
// the known names in the message, and the stderr logger.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "archsim/scenario.hpp"

namespace spdlog {
class logger;
}

namespace archsim {

/// Refuses an output path whose directory is missing (it is never created)
/// or that names a directory, before any work is spent. `option` names the
/// flag in the message ("--json"). An empty path is accepted (no output).
void check_output_path(const std::string& option, const std::string& output_path);

/// Writes `text` to `path` atomically; a failure (full disk, permissions) is
/// thrown as EnvironmentError (exit 4).
void write_output(const std::string& path, const std::string& text);

/// The candidate called `name`; std::invalid_argument listing the known
/// names otherwise. `scenario_file` is named in the message.
const Candidate& find_candidate(const Scenario& scenario, const std::string& name, const std::string& scenario_file);

/// A logger writing "[level] message" lines to `err`; warnings only when quiet.
std::shared_ptr<spdlog::logger> make_logger(std::ostream& err, bool quiet);

}  // namespace archsim
