// Scenario loader: JSON text -> typed Scenario, with every problem of a file
// reported at once, each naming its JSON pointer path, what was expected and
// what was found.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/catalog.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// One validation problem, e.g. path "/candidates/1/broker/partitions",
/// expected "an integer from 1 to 100000", found "0".
struct ValidationIssue {
  std::string path;
  std::string expected;
  std::string found;
  /// "/candidates/1/broker/partitions: expected an integer from 1 to 100000, found 0"
  std::string message() const;
};

/// Thrown when a scenario (or catalog) is invalid; carries every issue found.
class ScenarioError : public std::runtime_error {
 public:
  /// `document` names what was read: "scenario", "catalog", "calibration".
  ScenarioError(std::string file, std::vector<ValidationIssue> issues, std::string document = "scenario");
  const std::string& file() const { return file_; }
  const std::string& document() const { return document_; }
  const std::vector<ValidationIssue>& issues() const { return issues_; }

 private:
  std::string file_;
  std::vector<ValidationIssue> issues_;
  std::string document_;
};

/// Directory of the shipped data (scenarios/, catalog.json): $ARCHSIM_DATA_DIR
/// when set, else the source tree's scenarios/ folder compiled in.
std::filesystem::path data_dir();

/// Loads a catalog file. Throws ScenarioError (paths inside the catalog).
Catalog load_catalog_file(const std::filesystem::path& path);

/// Parses scenario text. `base_dir` resolves a relative catalog path.
/// Throws ScenarioError listing all problems.
Scenario parse_scenario(std::string_view text, const std::string& file_label,
                        const std::filesystem::path& base_dir);

/// Reads and parses a scenario file. Throws ScenarioError (also for a file
/// that cannot be read, with path "" and the OS reason).
Scenario load_scenario_file(const std::filesystem::path& path);

}  // namespace archsim
