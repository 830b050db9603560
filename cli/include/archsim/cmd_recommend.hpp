// `archsim recommend SCENARIO --vary /candidates/N/PATH=SPEC ...`: for each
// candidate, the cheapest design of its declared design space that meets
// every requirement with a margin, explained (binding requirement, what the
// next cheaper design fails on, the saving of a 2x looser p99 target), with
// the number of simulations it took against the grid size.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim {

struct RecommendOptions {
  std::string scenario_file;
  std::vector<std::string> varies;  ///< "PATH=SPEC", PATH under /candidates/N/
  std::string space_file;           ///< sweep-file format; "" = none
  std::string candidate;            ///< search only this candidate; "" = all
  std::string margin = "10%";       ///< headroom kept on every latency and budget target: "10%" or "0.1"
  int jobs = 0;                     ///< designs simulated at once; 0 = one per core
  std::string json_path;            ///< write the recommendation as JSON; "" = nowhere
  bool quiet = false;
};

/// Adds the `recommend` subcommand to `app`, storing its arguments in `opts`.
CLI::App* setup_recommend(CLI::App& app, RecommendOptions& opts);

/// Searches and prints the recommendation. Returns exit_code::ok when some
/// candidate has a design meeting every requirement with the margin,
/// exit_code::requirements_not_met otherwise; throws std::invalid_argument
/// (exit 2) for bad input.
int run_recommend(const RecommendOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
