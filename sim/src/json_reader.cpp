// JsonReader: typed, range-checked reading of JSON objects with every problem
// collected as a ValidationIssue (see json_reader.hpp), plus the JSON text
// parser the loaders share.
#include "json_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/units.hpp"

namespace archsim {
namespace {

using nlohmann::json;

constexpr double infinity = std::numeric_limits<double>::infinity();

/// Edit distance, for "did you mean" hints on misspelt keys.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quote_text(std::string_view text) {
  constexpr size_t max_bytes = 60;
  size_t cut = std::min(text.size(), max_bytes);
  // never inside a UTF-8 sequence: back up over its continuation bytes
  // (a cut one used to make the quoted text invalid UTF-8 and the dump throw)
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string shown(text.substr(0, cut));
  if (cut < text.size()) shown += "...";
  // JSON escaping keeps control characters readable; a byte that is still
  // not UTF-8 shows as U+FFFD instead of throwing
  return json(shown).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Strips nlohmann's "[json.exception.parse_error.101] " prefix.
std::string nlohmann_reason(const json::exception& error) {
  std::string_view what = error.what();
  if (const size_t close = what.find("] "); !what.empty() && what.front() == '[' &&
                                            close != std::string_view::npos) {
    what.remove_prefix(close + 2);
  }
  return std::string(what);
}

/// Tracks where the parser is, to name the path of a repeated key or of a
/// number that overflows a double.
class ParsePosition {
 public:
  explicit ParsePosition(std::vector<ValidationIssue>& issues) : issues_(&issues) {}

  /// Path of the value the parser reads next.
  std::string next_value_path() const {
    if (frames_.empty()) return "";
    const Frame& frame = frames_.back();
    return frame.path + "/" +
           (frame.is_array ? std::to_string(frame.next_index) : json_pointer_token(frame.key));
  }

  bool on_event(json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        std::string path = next_value_path();
        if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
        frames_.push_back(Frame{event == json::parse_event_t::array_start, 0, {}, {}, std::move(path)});
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        if (frames_.empty() || !parsed.is_string()) break;
        Frame& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second) {
          issues_->push_back({frame.path + "/" + json_pointer_token(frame.key),
                              "each key at most once in an object",
                              "the key " + quote_text(frame.key) +
                                  " again (a JSON reader would silently keep only one value)"});
        }
        break;
      }
      case json::parse_event_t::value:
        if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    size_t next_index;
    std::string key;
    std::set<std::string> keys;
    std::string path;
  };
  std::vector<Frame> frames_;
  std::vector<ValidationIssue>* issues_;
};

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

/// The number a JSON value holds, or nullopt for non-numbers.
std::optional<double> number_of(const json& value) {
  if (!value.is_number()) return std::nullopt;
  return value.get<double>();
}

constexpr std::array<JsonReader::UnitForm, 3> duration_forms{{
    {"_s", "s", 1.0}, {"_ms", "ms", 1e-3}, {"_us", "us", 1e-6},
}};
constexpr std::array<JsonReader::UnitForm, 1> size_forms{{{"_bytes", "B", 1.0}}};

/// The form whose suffix `key` already ends in ("fetch_min_bytes", "bytes").
const JsonReader::UnitForm* carried_unit(std::string_view key, std::span<const JsonReader::UnitForm> forms) {
  for (const auto& form : forms) {
    if (key.ends_with(form.suffix) || key == form.suffix.substr(1)) return &form;
  }
  return nullptr;
}

}  // namespace

// --- free helpers ---------------------------------------------------------

std::string describe_found(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.get<bool>() ? "a boolean (true)" : "a boolean (false)";
    case json::value_t::string: return "a string (" + quote_text(value.get_ref<const std::string&>()) + ")";
    case json::value_t::array: return value.empty() ? "an empty array" : "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number (" + value.dump() + ")";
    default: return "an unsupported JSON value";
  }
}

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    return fmt::format("{:.0f}", value);
  }
  return fmt::format("{}", value);
}

std::string json_pointer_token(std::string_view key) {
  std::string token;
  for (const char c : key) {
    if (c == '~') token += "~0";
    else if (c == '/') token += "~1";
    else token += c;
  }
  return token;
}

std::optional<json> parse_json_document(std::string_view text, std::vector<ValidationIssue>& issues) {
  if (is_blank(text)) {
    issues.push_back({"", "a JSON object", "an empty file"});
    return std::nullopt;
  }
  auto position = std::make_shared<ParsePosition>(issues);
  json::parser_callback_t callback = [position](int /*depth*/, json::parse_event_t event, json& parsed) {
    return position->on_event(event, parsed);
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const json::parse_error& error) {
    issues.push_back({"", "valid JSON",
                      nlohmann_reason(error) + " (byte " + std::to_string(error.byte) + ")"});
  } catch (const json::out_of_range& error) {
    // The lexer reads a number beyond a double's range (1e400): name its path.
    issues.push_back({position->next_value_path(), "a number within the range of a double (about 1.8e308)",
                      nlohmann_reason(error)});
  } catch (const json::exception& error) {
    issues.push_back({"", "valid JSON", nlohmann_reason(error)});
  }
  return std::nullopt;
}

std::string read_text_file(const std::filesystem::path& path) {
  const std::string label = path.string();
  auto fail = [&](int error) {
    throw ScenarioError(label, {{"", "a readable file",
                                 std::generic_category().message(error) + " (" + label + ")"}});
  };
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(label.c_str(), "rb"), &std::fclose);
  if (!file) fail(errno);
  std::string text;
  char buffer[1 << 14];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, got);
  if (std::ferror(file.get())) fail(errno != 0 ? errno : EIO);
  return text;
}

// --- NumberRange ------------------------------------------------------------

NumberRange NumberRange::at_least(double lo) { return {lo, infinity, false, false}; }
NumberRange NumberRange::above(double lo) { return {lo, infinity, true, false}; }
NumberRange NumberRange::closed(double lo, double hi) { return {lo, hi, false, false}; }
NumberRange NumberRange::above_up_to(double lo, double hi) { return {lo, hi, true, false}; }
NumberRange NumberRange::at_least_below(double lo, double hi) { return {lo, hi, false, true}; }

bool NumberRange::contains(double value) const {
  if (!std::isfinite(value)) return false;
  const bool low_ok = min_open ? value > min : value >= min;
  const bool high_ok = max_open ? value < max : value <= max;
  return low_ok && high_ok;
}

std::string NumberRange::describe(const std::function<std::string(double)>& format_bound) const {
  const bool has_max = std::isfinite(max);
  const bool has_min = std::isfinite(min);
  const std::string lo = has_min ? format_bound(min) : "";
  const std::string hi = has_max ? format_bound(max) : "";
  if (has_min && has_max && !min_open && !max_open) return "from " + lo + " to " + hi;
  std::string out;
  if (has_min) out += (min_open ? "greater than " : "at least ") + lo;
  if (has_max) out += (out.empty() ? "" : " and ") + std::string(max_open ? "less than " : "at most ") + hi;
  return out;
}

// --- JsonReader -------------------------------------------------------------

JsonReader::JsonReader(const json& node, std::string path, std::vector<ValidationIssue>& issues)
    : node_(&node), path_(std::move(path)), issues_(&issues) {}

std::optional<std::string> JsonReader::spelling_present(std::string_view key) const {
  if (find(key)) return std::string(key);
  for (const std::span<const UnitForm> forms : {std::span<const UnitForm>(duration_forms),
                                                 std::span<const UnitForm>(size_forms)}) {
    for (const UnitForm& form : forms) {
      std::string spelled = std::string(key) + std::string(form.suffix);
      if (find(spelled)) return spelled;
    }
  }
  return std::nullopt;
}

std::string JsonReader::path_of(std::string_view key) const {
  return path_ + "/" + json_pointer_token(spelling_present(key).value_or(std::string(key)));
}

bool JsonReader::has(std::string_view key) const { return spelling_present(key).has_value(); }

void JsonReader::add_issue(std::string path, std::string expected, std::string found) const {
  issues_->push_back({std::move(path), std::move(expected), std::move(found)});
}

const json* JsonReader::find(std::string_view key) const {
  if (!node_->is_object()) return nullptr;
  const auto it = node_->find(std::string(key));
  return it == node_->end() ? nullptr : &*it;
}

void JsonReader::register_key(std::string_view key, bool is_base) {
  if (is_base && std::find(accepted_.begin(), accepted_.end(), key) == accepted_.end()) {
    accepted_.emplace_back(key);
  }
  accepted_spellings_.emplace(key);
}

const json* JsonReader::accept(std::string_view key) {
  register_key(key, true);
  return find(key);
}

const json* JsonReader::present(std::string_view key, Presence presence, std::string_view expected) {
  const json* value = accept(key);
  if (!value && presence == Presence::required) {
    add_issue(path_of(key), std::string(expected) + " (required)", "nothing");
  }
  return value;
}

std::optional<std::string> JsonReader::text(std::string_view key, Presence presence, bool non_empty) {
  const std::string expected = non_empty ? "a non-empty string" : "a string";
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  if (!value->is_string() || (non_empty && value->get_ref<const std::string&>().empty())) {
    add_issue(path_of(key), expected, value->is_string() ? "an empty string" : describe_found(*value));
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<bool> JsonReader::boolean(std::string_view key, Presence presence) {
  const json* value = present(key, presence, "true or false");
  if (!value) return std::nullopt;
  if (!value->is_boolean()) {
    add_issue(path_of(key), "true or false", describe_found(*value));
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<int64_t> JsonReader::integer(std::string_view key, int64_t min, int64_t max,
                                           Presence presence) {
  const std::string expected =
      "an integer " + NumberRange::closed(static_cast<double>(min), static_cast<double>(max))
                          .describe([](double v) { return format_number(v); });
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  if (!value->is_number()) {
    add_issue(path_of(key), expected, describe_found(*value));
    return std::nullopt;
  }
  auto out_of_range = [&] {
    add_issue(path_of(key), expected, value->dump());
    return std::nullopt;
  };
  if (value->is_number_unsigned()) {
    const uint64_t u = value->get<uint64_t>();
    if (max < 0 || u > static_cast<uint64_t>(max)) return out_of_range();
    if (u < static_cast<uint64_t>(std::max<int64_t>(min, 0))) return out_of_range();
    return static_cast<int64_t>(u);
  }
  if (value->is_number_integer()) {
    const int64_t i = value->get<int64_t>();
    if (i < min || i > max) return out_of_range();
    return i;
  }
  const double d = value->get<double>();
  if (std::isfinite(d) && d != std::trunc(d)) {
    add_issue(path_of(key), expected, "a number with a fraction (" + value->dump() + ")");
    return std::nullopt;
  }
  // Compare as doubles before converting: 1e300 must not reach a cast.
  if (!std::isfinite(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
    return out_of_range();
  }
  return static_cast<int64_t>(d);
}

std::optional<int> JsonReader::int_in(std::string_view key, int min, int max, Presence presence) {
  const auto value = integer(key, min, max, presence);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::optional<uint64_t> JsonReader::unsigned_integer(std::string_view key, Presence presence) {
  const std::string expected = "an integer from 0 to 18446744073709551615";
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  if (value->is_number_unsigned()) return value->get<uint64_t>();
  if (value->is_number_float()) {
    const double d = value->get<double>();
    constexpr double two_to_64 = 18446744073709551616.0;
    if (std::isfinite(d) && d == std::trunc(d) && d >= 0 && d < two_to_64) {
      return static_cast<uint64_t>(d);
    }
    const bool fraction = std::isfinite(d) && d != std::trunc(d);
    add_issue(path_of(key), expected,
              fraction ? "a number with a fraction (" + value->dump() + ")" : value->dump());
    return std::nullopt;
  }
  add_issue(path_of(key), expected,
            value->is_number_integer() ? value->dump() : describe_found(*value));
  return std::nullopt;
}

std::optional<double> JsonReader::number(std::string_view key, NumberRange range, Presence presence) {
  const std::string expected = "a number " + range.describe([](double v) { return format_number(v); });
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  const auto number = number_of(*value);
  if (!number) {
    add_issue(path_of(key), expected, describe_found(*value));
    return std::nullopt;
  }
  if (!range.contains(*number)) {
    add_issue(path_of(key), expected, value->dump());
    return std::nullopt;
  }
  return *number;
}

std::optional<double> JsonReader::quantity(std::string_view key, NumberRange range, Presence presence,
                                           const QuantityKind& kind) {
  const std::string range_text = range.describe(kind.format);
  const std::string expected_value = "a " + std::string(kind.noun) + " " + range_text;

  // Collect the spellings present: the key itself and key<suffix> numbers.
  struct Spelling {
    std::string key;
    const UnitForm* form;  ///< unit of a plain number; null: only a string with a unit
    bool takes_string;     ///< a string with a unit is accepted too
  };
  std::vector<Spelling> spellings;
  register_key(key, true);
  if (const UnitForm* carried = carried_unit(key, kind.forms)) {
    // The key names its unit ("fetch_min_bytes"): a number in that unit or a string with a unit.
    if (find(key)) spellings.push_back({std::string(key), carried, true});
  } else {
    unit_key_notes_.insert(std::string(kind.noun));
    if (find(key)) spellings.push_back({std::string(key), nullptr, true});
    for (const UnitForm& form : kind.forms) {
      std::string spelled = std::string(key) + std::string(form.suffix);
      register_key(spelled, false);
      if (find(spelled)) spellings.push_back({std::move(spelled), &form, false});
    }
  }
  if (spellings.empty()) {
    if (presence == Presence::required) {
      add_issue(path_ + "/" + json_pointer_token(key), expected_value + " (required)", "nothing");
    }
    return std::nullopt;
  }
  if (spellings.size() > 1) {
    std::vector<std::string> names;
    for (const auto& spelling : spellings) names.push_back(spelling.key);
    add_issue(path_ + "/" + json_pointer_token(spellings[1].key),
              "only one of " + fmt::format("{}", fmt::join(names, ", ")) + " (they set the same value)",
              "both " + spellings[0].key + " and " + spellings[1].key);
    return std::nullopt;
  }

  const Spelling& spelling = spellings.front();
  const std::string spelling_path = path_ + "/" + json_pointer_token(spelling.key);
  const json& value = *find(spelling.key);
  const std::string grammar = "a " + std::string(kind.noun) + " written as " + std::string(kind.grammar);
  double base_value = 0;
  std::string found;
  if (value.is_string() && spelling.takes_string) {
    const auto& text = value.get_ref<const std::string&>();
    const auto parsed = kind.parse(text);
    if (!parsed) {
      add_issue(spelling_path, grammar, describe_found(value));
      return std::nullopt;
    }
    base_value = *parsed;
    found = quote_text(text);
  } else if (value.is_number() && spelling.form) {
    base_value = value.get<double>() * spelling.form->scale;
    found = value.dump() + " " + std::string(spelling.form->unit);
  } else if (spelling.form && !spelling.takes_string) {
    add_issue(spelling_path, "a number of " + std::string(spelling.form->unit) + " (or " +
                                 std::string(key) + " with a string such as " +
                                 std::string(kind.example) + ")",
              describe_found(value));
    return std::nullopt;
  } else {
    std::string expected = grammar;
    if (value.is_number()) {
      expected += " (a plain number needs the unit in the key: ";
      for (size_t i = 0; i < kind.forms.size(); ++i) {
        if (i > 0) expected += i + 1 == kind.forms.size() ? " or " : ", ";
        expected += std::string(key) + std::string(kind.forms[i].suffix);
      }
      expected += ")";
    }
    add_issue(spelling_path, expected, describe_found(value));
    return std::nullopt;
  }
  if (!range.contains(base_value)) {
    add_issue(spelling_path, expected_value, found);
    return std::nullopt;
  }
  return base_value;
}

std::optional<double> JsonReader::duration_s(std::string_view key, NumberRange range_s, Presence presence) {
  const QuantityKind kind{
      "duration", "a number and a unit (ns, us, ms, s, m or min, h, d), e.g. \"250ms\"",
      "\"250ms\"", duration_forms, [](std::string_view text) { return parse_duration_s(text); },
      [](double seconds) { return format_duration(seconds); }};
  return quantity(key, range_s, presence, kind);
}

std::optional<double> JsonReader::size_bytes(std::string_view key, NumberRange range_bytes,
                                             Presence presence) {
  const QuantityKind kind{
      "size", "a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. \"64KiB\"",
      "\"64KiB\"", size_forms, [](std::string_view text) { return parse_size_bytes(text); },
      [](double bytes) { return format_bytes(bytes); }};
  return quantity(key, range_bytes, presence, kind);
}

std::optional<size_t> JsonReader::choice(std::string_view key, std::span<const std::string_view> names,
                                         Presence presence) {
  std::vector<std::string> shown;
  for (const auto name : names) shown.push_back(quote_text(name));
  const std::string expected = names.size() == 1 ? shown.front() : "one of " + fmt::format("{}", fmt::join(shown, ", "));
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    for (size_t i = 0; i < names.size(); ++i) {
      if (text == names[i]) return i;
    }
  }
  add_issue(path_of(key), expected, value->is_string() ? quote_text(value->get<std::string>())
                                                       : describe_found(*value));
  return std::nullopt;
}

std::optional<JsonReader> JsonReader::object(std::string_view key, Presence presence) {
  const json* value = present(key, presence, "an object");
  if (!value) return std::nullopt;
  if (!value->is_object()) {
    add_issue(path_of(key), "an object", describe_found(*value));
    return std::nullopt;
  }
  return JsonReader(*value, path_of(key), *issues_);
}

std::optional<std::vector<JsonReader>> JsonReader::objects(std::string_view key, size_t min_items,
                                                           Presence presence) {
  const std::string expected =
      min_items > 0 ? fmt::format("an array of at least {} object{}", min_items, min_items == 1 ? "" : "s")
                    : std::string("an array of objects");
  const json* value = present(key, presence, expected);
  if (!value) return std::nullopt;
  const std::string array_path = path_of(key);
  if (!value->is_array() || value->size() < min_items) {
    add_issue(array_path, expected, describe_found(*value));
    return std::nullopt;
  }
  std::vector<JsonReader> readers;
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    const std::string item_path = array_path + "/" + std::to_string(i);
    if (!item.is_object()) {
      add_issue(item_path, "an object", describe_found(item));
      continue;
    }
    readers.emplace_back(item, item_path, *issues_);
  }
  return readers;
}

std::vector<std::string> JsonReader::keys() const {
  std::vector<std::string> out;
  if (node_->is_object()) {
    for (const auto& item : node_->items()) out.push_back(item.key());
  }
  return out;
}

void JsonReader::report_unknown_keys() const {
  if (!node_->is_object()) return;
  for (const auto& item : node_->items()) {
    const std::string& key = item.key();
    if (key == "$comment" || accepted_spellings_.contains(key)) continue;
    std::string expected = accepted_.empty() ? std::string("no keys here")
                                             : "one of the keys " + fmt::format("{}", fmt::join(accepted_, ", "));
    if (unit_key_notes_.contains("duration")) {
      expected += "; a duration may also be a number under <key>_s, <key>_ms or <key>_us";
    }
    if (unit_key_notes_.contains("size")) expected += "; a size may also be a number under <key>_bytes";
    std::string found = "unknown key " + quote_text(key);
    std::string best;
    size_t best_distance = std::max<size_t>(2, key.size() / 3) + 1;
    for (const auto& spelling : accepted_spellings_) {
      const size_t distance = edit_distance(key, spelling);
      if (distance < best_distance) {
        best_distance = distance;
        best = spelling;
      }
    }
    if (!best.empty()) found += " (did you mean " + quote_text(best) + "?)";
    add_issue(path_ + "/" + json_pointer_token(key), expected, found);
  }
}

}  // namespace archsim
