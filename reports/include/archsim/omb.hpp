// OpenMessaging Benchmark interop: export a Kappa candidate as an OMB
// workload YAML plus a Kafka driver YAML, so a team can run the same load
// on its real cluster with the tool it already trusts; import an OMB result
// JSON as a measured Result to compare with the prediction.
// Field names: OMB's Workload, DriverConfiguration and TestResult classes
// (see ../shared/reference/anchors.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// What `archsim export omb` writes, and what it could not express in OMB.
struct OmbExport {
  std::string workload_yaml;
  std::string driver_yaml;
  std::vector<std::string> caveats;   ///< e.g. "event sizes are lognormal; OMB sends fixed 1024-byte messages"
};

/// The candidate's load and Kafka settings as OMB files. `bootstrap` goes
/// into commonConfig (a placeholder when empty). Throws
/// std::invalid_argument for a candidate OMB cannot run (not Kafka-based).
OmbExport export_omb(const Scenario& scenario, const Candidate& candidate, const std::string& bootstrap);

/// Parses an OMB result JSON (TestResult) into a Result with one measured
/// candidate named `label` (default "<driver> (OMB)"). Latencies arrive in
/// milliseconds and are stored in seconds. When `targets` holds latency
/// verdicts (from the simulated Result it is compared with), the same
/// targets are judged on the measurement. Throws std::invalid_argument
/// naming `file` and the JSON path of the first problem.
Result import_omb_result(std::string_view json_text, const std::string& file, const std::string& label,
                         const std::vector<Verdict>& targets);

}  // namespace archsim
