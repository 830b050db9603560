// Sweep dimensions: the `--vary PATH=SPEC` grammar (lists, linear and log
// ranges), checked against the scenario document before any simulation, and
// sweep files holding the same for repeatable studies.
//
// SPEC grammar (whitespace around items is ignored):
//   list     V1,V2,...          each V is a JSON literal (4, 2.5, true, "all")
//                               or a bare string (5ms, m5.large); one value
//                               without a comma is a one-point list
//   linear   START:STOP:STEP    START, START+STEP, ... up to STOP (inclusive
//                               when it lands on it); STEP > 0, START <= STOP
//   log      START..STOP xF     START, START*F, ... up to STOP; F > 1
//            START..STOP nK     K points evenly spaced in log between START and
//                               STOP, both included; K >= 2; 0 < START <= STOP
// Range values are numbers: rounded to integers (duplicates dropped) when the
// scenario holds an integer at PATH, or when every value is integral.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace archsim {

/// One varied parameter of a sweep: a JSON pointer and its values, in order.
struct SweepDim {
  std::string path;                    ///< JSON pointer into the scenario, "/workload/rate/mean_eps"
  std::string spec;                    ///< as written ("4,8,16"); "" when given as a JSON array
  std::vector<nlohmann::json> values;  ///< at least one; each a number, string or boolean
};

/// The kind of a SPEC, as classified by parse_spec.
enum class SpecKind { list, linear, log };

/// Parses SPEC into values. `integer_target` rounds range values to integers.
/// Throws std::invalid_argument with the problem ("empty range: start 10 is
/// above stop 1", "not a number: 'abc'"), without naming the option.
std::vector<nlohmann::json> parse_spec(std::string_view spec, bool integer_target, SpecKind* kind = nullptr);

/// Parses "PATH=SPEC" and checks it against `scenario` (the scenario
/// document): PATH must be a JSON pointer to an existing number, string or
/// boolean, or to a key absent from an existing object (an optional setting;
/// the loader must know the key, see check_dims_with_loader); list values must
/// have the target's JSON type (numbers are written as strings into a string
/// target); ranges need a number target. Throws std::invalid_argument whose
/// message starts with "--vary PATH=SPEC: ".
SweepDim make_dim(const nlohmann::json& scenario, std::string_view vary_arg);

/// The same check for a dimension given with explicit values (sweep file).
SweepDim make_dim_from_values(const nlohmann::json& scenario, const std::string& path,
                              const std::vector<nlohmann::json>& values, const std::string& label);

/// Reads a sweep file: {"vary": [{"path": P, "spec": S} | {"path": P,
/// "values": [...]}, ...], "candidate": NAME (optional)}. Returns the
/// dimensions, and sets `candidate` when the file names one. Throws
/// std::invalid_argument naming the file and the problem.
std::vector<SweepDim> read_sweep_file(const nlohmann::json& scenario, const std::string& file,
                                      std::string* candidate);

/// The same from the file's text (`file` only names it in messages): what
/// read_sweep_file does once it has read the file.
std::vector<SweepDim> parse_sweep_file_text(const nlohmann::json& scenario, std::string_view text,
                                            const std::string& file, std::string* candidate);

/// Checks that each absent key a dimension sets is one the scenario loader
/// knows: applies the first value of each dimension alone, parses, and throws
/// std::invalid_argument ("--vary PATH=...: unknown pointer path: ...") when
/// the loader reports PATH as an unknown key. Other loader problems are left
/// to the points (they are recorded per point).
void check_dims_with_loader(const nlohmann::json& scenario, const std::vector<SweepDim>& dims,
                            const std::string& base_dir);

/// Splits a JSON pointer into unescaped tokens ("/a~1b/0" -> {"a/b", "0"}).
/// Throws std::invalid_argument when it does not start with '/'.
std::vector<std::string> pointer_tokens(std::string_view pointer);

}  // namespace archsim
