// libFuzzer target: the sweep SPEC grammar, JSON pointers, sweep files and
// the grid built from them (sweep_spec.hpp, sweep_grid.hpp), checked against
// the shipped kappa-reference scenario. The first byte picks the entry point:
//   0: "PATH=SPEC" as given to --vary (make_dim, then the grid and the loader check)
//   1: a sweep file's text (parse_sweep_file_text, then the same)
//   2: SPEC alone (parse_spec, both for an integer and a number target)
//   3: a JSON pointer (pointer_tokens; the tokens, escaped again, give it back)
// Property (issue 8): either valid dimensions (every value a finite number,
// a string or a boolean; integer targets get integers) or
// std::invalid_argument with a message naming the option or file; no other
// exception, no crash, no sanitizer report. Anything else aborts.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "archsim/sweep_grid.hpp"
#include "archsim/sweep_spec.hpp"
#include "../../sim/src/json_reader.hpp"

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& why, std::string_view input) {
  std::fprintf(stderr, "%s (input: %.*s)\n", why.c_str(), static_cast<int>(input.size()), input.data());
  std::abort();
}

const json& scenario() {
  static const json doc = [] {
    std::ifstream in(ARCHSIM_FUZZ_DATA_DIR "/kappa-reference.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
  }();
  return doc;
}

void check_values(const std::vector<json>& values, bool integer_target, std::string_view input) {
  if (values.empty()) fail("no values", input);
  for (const json& v : values) {
    if (!v.is_number() && !v.is_string() && !v.is_boolean()) fail("a value that is not a number, string or boolean: " + v.dump(), input);
    if (v.is_number_float() && !std::isfinite(v.get<double>())) fail("a value that is not finite", input);
    if (integer_target && !v.is_number_integer()) fail("an integer target got " + v.dump(), input);
  }
}

/// Dimensions that passed their checks: the grid, each point's document and
/// the loader check must work without any other exception.
void check_dims(const std::vector<archsim::SweepDim>& dims, std::string_view input) {
  for (const archsim::SweepDim& dim : dims) check_values(dim.values, false, input);
  size_t n = 0;
  try {
    n = archsim::grid_size(dims, 1000000);
  } catch (const std::invalid_argument&) {
    return;
  }
  const archsim::SweepPoint first = archsim::grid_point(dims, 0);
  const archsim::SweepPoint last = archsim::grid_point(dims, n - 1);
  (void)archsim::apply_point(scenario(), first);
  (void)archsim::apply_point(scenario(), last).dump();
  (void)first.key();
  (void)archsim::grid_identity(dims, "");
  try {
    archsim::check_dims_with_loader(scenario(), dims, ARCHSIM_FUZZ_DATA_DIR);
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).find("--vary") == std::string_view::npos) fail(std::string("loader check error without --vary: ") + e.what(), input);
  }
}

void expect_named(const std::invalid_argument& e, std::string_view name, std::string_view input) {
  if (std::string_view(e.what()).find(name) == std::string_view::npos)
    fail(std::string("error does not name ") + std::string(name) + ": " + e.what(), input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 4;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (mode) {
    case 0:
      try {
        check_dims({archsim::make_dim(scenario(), text)}, text);
      } catch (const std::invalid_argument& e) {
        expect_named(e, "--vary", text);
      }
      break;
    case 1:
      try {
        std::string candidate;
        check_dims(archsim::parse_sweep_file_text(scenario(), text, "fuzz-sweep.json", &candidate), text);
      } catch (const std::invalid_argument& e) {
        expect_named(e, "fuzz-sweep.json", text);
      }
      break;
    case 2:
      for (const bool integer_target : {false, true}) {
        try {
          archsim::SpecKind kind = archsim::SpecKind::list;
          const std::vector<json> values = archsim::parse_spec(text, integer_target, &kind);
          const bool integer_range = integer_target && kind != archsim::SpecKind::list;
          check_values(values, integer_range, text);
          for (const json& v : values)  // a rounded range value stays a number a double holds exactly
            if (integer_range && std::abs(v.get<double>()) > 9e15) fail("an integer range value out of range: " + v.dump(), text);
        } catch (const std::invalid_argument& e) {
          if (std::string_view(e.what()).empty()) fail("an empty error message", text);
        }
      }
      break;
    default:
      try {
        const std::vector<std::string> tokens = archsim::pointer_tokens(text);
        std::string again;
        for (const std::string& token : tokens) again += "/" + archsim::json_pointer_token(token);
        if (again != text) fail("pointer tokens do not give the pointer back: " + again, text);
      } catch (const std::invalid_argument& e) {
        expect_named(e, "JSON pointer", text);
      }
  }
  return 0;
}
