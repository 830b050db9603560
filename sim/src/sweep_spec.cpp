// Sweep dimensions: SPEC parsing and the checks of a --vary against the
// scenario document (see sweep_spec.hpp for the grammar).
#include "archsim/sweep_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/scenario_loader.hpp"
#include "json_reader.hpp"

namespace archsim {

namespace {

using nlohmann::json;

/// More values than this in one dimension is surely a typo (step too small).
constexpr size_t max_values_per_dim = 100000;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

double parse_number(std::string_view text, const char* what) {
  text = trim(text);
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (!text.empty() && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
    throw std::invalid_argument(fmt::format("unparseable SPEC: {} '{}' is not a number", what, text));
  return value;
}

bool integral(double v) { return std::abs(v) < 9e15 && v == std::round(v); }

/// Throws std::invalid_argument "WHAT: ..." when `text` is not UTF-8: a
/// path or value that is not would make every JSON written later (journal,
/// point documents, reports) fail.
void require_utf8(std::string_view text, const char* what) {
  try {
    (void)json(std::string(text)).dump();
  } catch (const json::type_error& e) {
    const std::string_view reason = e.what();
    const size_t bracket = reason.find("] ");
    throw std::invalid_argument(fmt::format("{}: not UTF-8 text ({})", what,
                                            bracket == std::string_view::npos ? reason : reason.substr(bracket + 2)));
  }
}

/// Range values as JSON: integers when asked (rounded, duplicates dropped)
/// or when all are integral, else doubles.
std::vector<json> range_values(const std::vector<double>& raw, bool integer_target) {
  const bool as_integers = integer_target || std::all_of(raw.begin(), raw.end(), integral);
  std::vector<json> out;
  std::set<int64_t> seen;
  for (double v : raw) {
    if (as_integers) {
      if (!(std::abs(v) < 9e15))
        throw std::invalid_argument(fmt::format("range too large: {} is beyond the integers a sweep can hold (about 9e15)",
                                                format_number(v)));
      const auto i = static_cast<int64_t>(std::llround(v));
      if (seen.insert(i).second) out.emplace_back(i);
    } else {
      out.emplace_back(v);
    }
  }
  return out;
}

std::vector<json> parse_linear(std::string_view spec, bool integer_target) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= spec.size(); ++i) {
    if (i == spec.size() || spec[i] == ':') {
      parts.push_back(spec.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 3)
    throw std::invalid_argument("unparseable SPEC: a linear range is START:STOP:STEP (three numbers)");
  const double lo = parse_number(parts[0], "start");
  const double hi = parse_number(parts[1], "stop");
  const double step = parse_number(parts[2], "step");
  if (step <= 0) throw std::invalid_argument(fmt::format("empty range: step {} is not above 0", format_number(step)));
  if (lo > hi)
    throw std::invalid_argument(fmt::format("empty range: start {} is above stop {}", format_number(lo), format_number(hi)));
  const double count = std::floor((hi - lo) / step * (1 + 1e-12) + 1e-9) + 1;
  if (count > static_cast<double>(max_values_per_dim))
    throw std::invalid_argument(fmt::format("range too long: {} values (at most {})", format_number(count), max_values_per_dim));
  std::vector<double> raw;
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) raw.push_back(lo + static_cast<double>(i) * step);
  return range_values(raw, integer_target);
}

std::vector<json> parse_log(std::string_view spec, bool integer_target) {
  const size_t dots = spec.find("..");
  const size_t space = spec.find_first_of(" \t", dots == std::string_view::npos ? 0 : dots);
  if (dots == std::string_view::npos || space == std::string_view::npos)
    throw std::invalid_argument("unparseable SPEC: a log range is 'START..STOP xFACTOR' or 'START..STOP nCOUNT'");
  const double lo = parse_number(spec.substr(0, dots), "start");
  const double hi = parse_number(spec.substr(dots + 2, space - dots - 2), "stop");
  const std::string_view tail = trim(spec.substr(space));
  if (tail.size() < 2 || (tail[0] != 'x' && tail[0] != 'n'))
    throw std::invalid_argument(fmt::format("unparseable SPEC: expected xFACTOR or nCOUNT after the log range, found '{}'", tail));
  if (lo <= 0) throw std::invalid_argument(fmt::format("empty range: a log range needs a start above 0, found {}", format_number(lo)));
  if (lo > hi)
    throw std::invalid_argument(fmt::format("empty range: start {} is above stop {}", format_number(lo), format_number(hi)));
  std::vector<double> raw;
  if (tail[0] == 'x') {
    const double factor = parse_number(tail.substr(1), "factor");
    if (factor <= 1) throw std::invalid_argument(fmt::format("empty range: factor {} is not above 1", format_number(factor)));
    for (double v = lo; std::isfinite(v) && v <= hi * (1 + 1e-9); v *= factor) {
      raw.push_back(v);
      if (raw.size() > max_values_per_dim) throw std::invalid_argument("range too long");
    }
  } else {
    const double count = parse_number(tail.substr(1), "count");
    if (!integral(count) || count < 2)
      throw std::invalid_argument(fmt::format("empty range: point count {} is not an integer of at least 2", format_number(count)));
    if (count > static_cast<double>(max_values_per_dim)) throw std::invalid_argument("range too long");
    const auto n = static_cast<size_t>(count);
    // hi / lo overflows for a very wide range (1e-300..1e300): then in logs.
    const double ratio = hi / lo;
    for (size_t i = 0; i < n; ++i) {
      const double f = static_cast<double>(i) / static_cast<double>(n - 1);
      const double v = std::isfinite(ratio) ? lo * std::pow(ratio, f) : std::exp(std::log(lo) + f * (std::log(hi) - std::log(lo)));
      raw.push_back(i + 1 == n ? hi : v);
    }
  }
  return range_values(raw, integer_target);
}

/// One list item: a JSON literal, or else a bare string.
json list_item(std::string_view item) {
  item = trim(item);
  if (item.empty()) throw std::invalid_argument("unparseable SPEC: empty list item");
  json value = json::parse(item, nullptr, false);
  if (value.is_discarded()) return json(std::string(item));
  if (!value.is_primitive() || value.is_null())
    throw std::invalid_argument(fmt::format("unparseable SPEC: list item {} is not a number, string or boolean", item));
  return value;
}

std::vector<json> parse_list(std::string_view spec) {
  std::vector<json> out;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= spec.size(); ++i) {
    if (i < spec.size() && spec[i] == '"' && (i == 0 || spec[i - 1] != '\\')) quoted = !quoted;
    if (i == spec.size() || (spec[i] == ',' && !quoted)) {
      out.push_back(list_item(spec.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

/// The JSON kind of a value, for messages and type checks.
std::string kind_of(const json& v) {
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  return "null";
}

/// Checks `values` against what `scenario` holds at `path`; converts numbers
/// to strings for a string target. Throws std::invalid_argument (no prefix).
void check_target(const json& scenario, const std::string& path, std::vector<json>& values, bool is_range) {
  const std::vector<std::string> tokens = pointer_tokens(path);
  if (tokens.empty()) throw std::invalid_argument("wrong type: the pointer '' is the whole scenario, not a value in it");
  const json* node = &scenario;
  std::string walked;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    const bool last = i + 1 == tokens.size();
    const std::string here = walked.empty() ? "the scenario" : walked;
    if (node->is_object()) {
      const auto it = node->find(token);
      if (it == node->end()) {
        if (last) return;  // an optional key: check_dims_with_loader asks the loader
        std::vector<std::string> keys;
        for (const auto& item : node->items()) keys.push_back(item.key());
        throw std::invalid_argument(fmt::format("unknown pointer path: {} has no key '{}' (it has: {})", here, token,
                                                fmt::join(keys, ", ")));
      }
      node = &*it;
    } else if (node->is_array()) {
      size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (token.empty() || ec != std::errc() || ptr != token.data() + token.size() || (token.size() > 1 && token[0] == '0'))
        throw std::invalid_argument(fmt::format("wrong type: {} is an array, '{}' is not an index", here, token));
      if (node->empty())
        throw std::invalid_argument(fmt::format("unknown pointer path: {} is an empty array, no index {}", here, index));
      if (index >= node->size())
        throw std::invalid_argument(fmt::format("unknown pointer path: {} has {} item{} (indices 0 to {}), no index {}", here,
                                                node->size(), node->size() == 1 ? "" : "s", node->size() - 1, index));
      node = &(*node)[index];
    } else {
      throw std::invalid_argument(fmt::format("wrong type: {} is {} ({}), it has no member '{}'", here, kind_of(*node),
                                              node->dump(), token));
    }
    walked += "/" + json_pointer_token(token);
  }
  const json& target = *node;
  if (target.is_object() || target.is_array() || target.is_null())
    throw std::invalid_argument(fmt::format("wrong type: {} is {}, expected a number, string or boolean to vary", path, kind_of(target)));
  if (is_range && !target.is_number())
    throw std::invalid_argument(fmt::format("wrong type: a range gives numbers but {} holds {} ({}); use a list such as 5ms,10ms",
                                            path, kind_of(target), target.dump()));
  for (json& v : values) {
    if (target.is_string() && v.is_number()) v = v.dump();  // acks=1,all
    if (kind_of(v) != kind_of(target))
      throw std::invalid_argument(fmt::format("wrong type: {} holds {} ({}), the value {} is {}", path, kind_of(target),
                                              target.dump(), v.dump(), kind_of(v)));
  }
}

/// Is the scenario's value at `path` an integer (false when absent).
bool integer_at(const json& scenario, const std::string& path) {
  try {
    const json::json_pointer pointer(path);
    return scenario.contains(pointer) && scenario.at(pointer).is_number_integer();
  } catch (const json::exception&) {
    return false;
  }
}

}  // namespace

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  if (pointer.empty()) return {};
  if (pointer.front() != '/')
    throw std::invalid_argument(fmt::format("not a JSON pointer: '{}' must start with '/' (e.g. /workload/rate/mean_eps)", pointer));
  require_utf8(pointer, "not a JSON pointer");
  std::vector<std::string> tokens;
  std::string token;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(token);
      token.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        throw std::invalid_argument(fmt::format("not a JSON pointer: '~' in '{}' must be followed by 0 or 1", pointer));
      }
    } else {
      token += pointer[i];
    }
  }
  return tokens;
}

std::vector<json> parse_spec(std::string_view spec, bool integer_target, SpecKind* kind) {
  spec = trim(spec);
  if (spec.empty()) throw std::invalid_argument("empty range: SPEC has no values");
  require_utf8(spec, "unparseable SPEC");
  const bool quoted = spec.find('"') != std::string_view::npos;
  if (!quoted && spec.find("..") != std::string_view::npos) {
    if (kind) *kind = SpecKind::log;
    return parse_log(spec, integer_target);
  }
  if (!quoted && spec.find(':') != std::string_view::npos && spec.find(',') == std::string_view::npos) {
    if (kind) *kind = SpecKind::linear;
    return parse_linear(spec, integer_target);
  }
  if (kind) *kind = SpecKind::list;
  return parse_list(spec);
}

SweepDim make_dim(const json& scenario, std::string_view vary_arg) {
  const std::string label = fmt::format("--vary {}", vary_arg);
  const size_t eq = vary_arg.find('=');
  if (eq == std::string_view::npos)
    throw std::invalid_argument(label + ": expected PATH=SPEC, e.g. /candidates/0/broker/partitions=4,8,16");
  SweepDim dim;
  dim.path = std::string(trim(vary_arg.substr(0, eq)));
  dim.spec = std::string(trim(vary_arg.substr(eq + 1)));
  try {
    pointer_tokens(dim.path);
    SpecKind kind = SpecKind::list;
    dim.values = parse_spec(dim.spec, integer_at(scenario, dim.path), &kind);
    check_target(scenario, dim.path, dim.values, kind != SpecKind::list);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(label + ": " + e.what());
  }
  return dim;
}

SweepDim make_dim_from_values(const json& scenario, const std::string& path, const std::vector<json>& values,
                              const std::string& label) {
  SweepDim dim{path, "", values};
  try {
    pointer_tokens(path);
    if (values.empty()) throw std::invalid_argument("empty range: no values");
    for (const json& v : values)
      if (!v.is_primitive() || v.is_null())
        throw std::invalid_argument(fmt::format("unparseable SPEC: value {} is not a number, string or boolean", v.dump()));
    check_target(scenario, path, dim.values, false);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(label + ": " + e.what());
  }
  return dim;
}

std::vector<SweepDim> read_sweep_file(const json& scenario, const std::string& file, std::string* candidate) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("--sweep-file {}: cannot be read", file));
  std::stringstream text;
  text << in.rdbuf();
  return parse_sweep_file_text(scenario, text.str(), file, candidate);
}

std::vector<SweepDim> parse_sweep_file_text(const json& scenario, std::string_view text, const std::string& file,
                                            std::string* candidate) {
  const json doc = json::parse(text, nullptr, false);
  const auto fail = [&](const std::string& why) { return std::invalid_argument(fmt::format("--sweep-file {}: {}", file, why)); };
  if (doc.is_discarded()) throw fail("not JSON");
  if (!doc.is_object() || !doc.contains("vary") || !doc["vary"].is_array())
    throw fail("expected an object with a \"vary\" array");
  for (const auto& item : doc.items())
    if (item.key() != "vary" && item.key() != "candidate" && item.key() != "$comment")
      throw fail(fmt::format("unknown key '{}' (expected vary, candidate)", item.key()));
  if (doc.contains("candidate")) {
    if (!doc["candidate"].is_string()) throw fail("/candidate: expected a string");
    if (candidate) *candidate = doc["candidate"].get<std::string>();
  }
  std::vector<SweepDim> dims;
  for (size_t i = 0; i < doc["vary"].size(); ++i) {
    const json& entry = doc["vary"][i];
    const std::string where = fmt::format("/vary/{}", i);
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string())
      throw fail(where + ": expected {\"path\": POINTER, \"spec\": SPEC} or {\"path\": POINTER, \"values\": [...]}");
    for (const auto& item : entry.items())
      if (item.key() != "path" && item.key() != "spec" && item.key() != "values")
        throw fail(fmt::format("{}: unknown key '{}' (expected path, spec, values)", where, item.key()));
    const std::string path = entry["path"].get<std::string>();
    if (entry.contains("spec") == entry.contains("values")) throw fail(where + ": give exactly one of spec and values");
    if (entry.contains("spec")) {
      if (!entry["spec"].is_string()) throw fail(where + "/spec: expected a string");
      try {
        dims.push_back(make_dim(scenario, path + "=" + entry["spec"].get<std::string>()));
      } catch (const std::invalid_argument& e) {
        throw fail(where + ": " + e.what());
      }
    } else {
      if (!entry["values"].is_array()) throw fail(where + "/values: expected an array");
      dims.push_back(make_dim_from_values(scenario, path, entry["values"].get<std::vector<json>>(),
                                          fmt::format("--sweep-file {}: {} ({})", file, where, path)));
    }
  }
  return dims;
}

void check_dims_with_loader(const json& scenario, const std::vector<SweepDim>& dims, const std::string& base_dir) {
  std::set<std::string> seen;
  for (const SweepDim& dim : dims) {
    const std::string label = dim.spec.empty() ? "--vary " + dim.path : fmt::format("--vary {}={}", dim.path, dim.spec);
    if (!seen.insert(dim.path).second) throw std::invalid_argument(label + ": the path is varied twice");
    const json::json_pointer pointer(dim.path);
    if (scenario.contains(pointer)) continue;
    json doc = scenario;
    doc[pointer] = dim.values.front();
    try {
      parse_scenario(doc.dump(), "sweep check", base_dir);
    } catch (const ScenarioError& error) {
      for (const ValidationIssue& issue : error.issues())
        if (issue.path == dim.path && issue.found.rfind("unknown key", 0) == 0)
          throw std::invalid_argument(fmt::format("{}: unknown pointer path: the scenario has no such setting ({}; expected {})",
                                                  label, issue.found, issue.expected));
    }
  }
}

}  // namespace archsim
