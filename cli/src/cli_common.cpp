// Helpers shared by the subcommands.
#include "archsim/cli_common.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <stdexcept>
#include <vector>

#include "archsim/atomic_file.hpp"
#include "archsim/cli_errors.hpp"

namespace archsim {

namespace fs = std::filesystem;

void check_output_path(const std::string& option, const std::string& output_path) {
  if (output_path.empty()) return;
  const fs::path path(output_path);
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::invalid_argument(fmt::format("{} {}: directory {} does not exist (it is not created)", option,
                                            output_path, dir.string()));
  if (fs::is_directory(path, ec))
    throw std::invalid_argument(fmt::format("{} {}: is a directory, expected a file path", option, output_path));
}

void write_output(const std::string& path, const std::string& text) {
  try {
    write_file_atomically(path, text);
  } catch (const std::runtime_error& e) {
    throw EnvironmentError(e.what());
  }
}

const Candidate& find_candidate(const Scenario& scenario, const std::string& name, const std::string& scenario_file) {
  std::vector<std::string> names;
  for (const Candidate& c : scenario.candidates) {
    if (c.name == name) return c;
    names.push_back(c.name);
  }
  throw std::invalid_argument(fmt::format("unknown candidate '{}' in {}; known candidates: {}", name, scenario_file,
                                          fmt::join(names, ", ")));
}

std::shared_ptr<spdlog::logger> make_logger(std::ostream& err, bool quiet) {
  auto logger =
      std::make_shared<spdlog::logger>("archsim", std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true));
  logger->set_pattern("[%l] %v");
  logger->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  return logger;
}

}  // namespace archsim
