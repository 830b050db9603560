// JsonReader: reads one JSON object of a scenario or catalog file at a known
// JSON pointer path into typed values, with range checks, and collects every
// problem as a ValidationIssue instead of throwing. Private to the loaders
// (scenario_loader.cpp, catalog_loader.cpp): nothing past them sees JSON.
//
// Each getter registers the key(s) it reads as accepted; after the last
// getter, report_unknown_keys() reports every other key of the object with
// the list of accepted keys. Durations and sizes are strings with a unit
// ("250ms", "64KiB"), or plain numbers when the key carries the unit
// ("linger_ms": 5, "batch_size_bytes": 16384).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/scenario_loader.hpp"

namespace archsim {

/// An interval of accepted numbers; bounds may be open or infinite.
struct NumberRange {
  double min;
  double max;
  bool min_open = false;
  bool max_open = false;

  static NumberRange at_least(double lo);                 ///< [lo, inf)
  static NumberRange above(double lo);                    ///< (lo, inf)
  static NumberRange closed(double lo, double hi);        ///< [lo, hi]
  static NumberRange above_up_to(double lo, double hi);   ///< (lo, hi]
  static NumberRange at_least_below(double lo, double hi); ///< [lo, hi)
  bool contains(double value) const;
  /// "from 1 to 5", "greater than 0 and at most 1000", "at least 0"; each
  /// bound is written by `format_bound`.
  std::string describe(const std::function<std::string(double)>& format_bound) const;
};

enum class Presence { optional, required };

/// How a JSON value is named in messages: "a string (\"abc\")", "an array",
/// "null", "a number (3.5)".
std::string describe_found(const nlohmann::json& value);

/// A number as written in a message: integers without exponent up to 1e15.
std::string format_number(double value);

/// Escapes a key as a JSON pointer token ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view key);

/// Parses JSON text. Reports an empty text, a syntax error (with line,
/// column and byte offset), a number too large for a double (at the path of
/// the value) and keys repeated within one object. Returns the document
/// unless it could not be parsed.
std::optional<nlohmann::json> parse_json_document(std::string_view text,
                                                  std::vector<ValidationIssue>& issues);

/// Reads a whole file. Throws ScenarioError (path "", the OS reason) when
/// it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

class JsonReader {
 public:
  /// A spelling of a quantity's key that takes a plain number.
  struct UnitForm {
    std::string_view suffix;  ///< "_ms"
    std::string_view unit;    ///< "ms"
    double scale;             ///< base units per unit
  };

  /// `node` (an object) must outlive the reader; `issues` collects problems.
  JsonReader(const nlohmann::json& node, std::string path, std::vector<ValidationIssue>& issues);

  /// JSON pointer of this object ("" for the document).
  const std::string& path() const { return path_; }
  /// JSON pointer of `key` as the file writes it: for a duration or size,
  /// the unit-suffixed spelling when that one is present ("/x/linger_ms").
  std::string path_of(std::string_view key) const;
  /// True when `key` (in any accepted spelling) is present.
  bool has(std::string_view key) const;
  void add_issue(std::string path, std::string expected, std::string found) const;

  /// Marks `key` as accepted without reading it; returns its value or null.
  const nlohmann::json* accept(std::string_view key);

  std::optional<std::string> text(std::string_view key, Presence presence = Presence::optional,
                                  bool non_empty = false);
  std::optional<bool> boolean(std::string_view key, Presence presence = Presence::optional);
  /// An integer (12 or 12.0, never 3.5) within [min, max].
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max,
                                 Presence presence = Presence::optional);
  /// integer() for int fields: [min, max] must fit an int.
  std::optional<int> int_in(std::string_view key, int min, int max,
                            Presence presence = Presence::optional);
  /// Any integer from 0 to 2^64 - 1.
  std::optional<uint64_t> unsigned_integer(std::string_view key,
                                           Presence presence = Presence::optional);
  std::optional<double> number(std::string_view key, NumberRange range,
                               Presence presence = Presence::optional);
  /// Seconds: "250ms" under `key`, or a number under key_s, key_ms, key_us.
  std::optional<double> duration_s(std::string_view key, NumberRange range_s,
                                   Presence presence = Presence::optional);
  /// Bytes: "64KiB" under `key`, or a number under key_bytes (or under `key`
  /// itself when it already ends in "bytes").
  std::optional<double> size_bytes(std::string_view key, NumberRange range_bytes,
                                   Presence presence = Presence::optional);
  /// One of `names` (a string); returns the index of the match.
  std::optional<size_t> choice(std::string_view key, std::span<const std::string_view> names,
                               Presence presence = Presence::optional);
  template <class E>
  std::optional<E> choice(std::string_view key,
                          std::initializer_list<std::pair<std::string_view, E>> options,
                          Presence presence = Presence::optional) {
    std::vector<std::string_view> names;
    for (const auto& option : options) names.push_back(option.first);
    const auto index = choice(key, names, presence);
    if (!index) return std::nullopt;
    return (options.begin() + *index)->second;
  }

  /// A nested object.
  std::optional<JsonReader> object(std::string_view key, Presence presence = Presence::optional);
  /// An array of objects with at least `min_items`; elements that are not
  /// objects are reported and left out.
  std::optional<std::vector<JsonReader>> objects(std::string_view key, size_t min_items,
                                                 Presence presence = Presence::optional);
  /// The keys of this object (for maps such as a catalog's instances).
  std::vector<std::string> keys() const;

  /// Reports every key not accepted so far ("$comment" is always accepted).
  void report_unknown_keys() const;

 private:
  struct QuantityKind {
    std::string_view noun;                          ///< "duration"
    std::string_view grammar;                       ///< "a number and a unit (...), e.g. \"250ms\""
    std::string_view example;                       ///< "\"250ms\""
    std::span<const UnitForm> forms;
    std::function<std::optional<double>(std::string_view)> parse;
    std::function<std::string(double)> format;
  };

  const nlohmann::json* find(std::string_view key) const;
  /// The spelling of `key` the object holds: the key itself or key<suffix>.
  std::optional<std::string> spelling_present(std::string_view key) const;
  void register_key(std::string_view key, bool is_base);
  const nlohmann::json* present(std::string_view key, Presence presence, std::string_view expected);
  std::optional<double> quantity(std::string_view key, NumberRange range, Presence presence,
                                 const QuantityKind& kind);

  const nlohmann::json* node_;
  std::string path_;
  std::vector<ValidationIssue>* issues_;
  std::vector<std::string> accepted_;                    ///< keys as listed in messages
  std::set<std::string, std::less<>> accepted_spellings_;  ///< every accepted spelling
  std::set<std::string> unit_key_notes_;                 ///< nouns ("duration") of keys taking key_<unit> numbers
};

}  // namespace archsim
