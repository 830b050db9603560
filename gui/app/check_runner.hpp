// The GUI's `archsim check`: the CLI's run_check on the embedded broker,
// its output captured as text and its Result read back (see check_job.hpp).
#pragma once

#include "archsim/gui/check_job.hpp"

namespace archsim::gui {

CheckOutcome run_cli_check(const std::filesystem::path& scenario_file, const std::string& candidate,
                           const std::string& duration, const std::filesystem::path& json_file);

}  // namespace archsim::gui
