// KafkaProperties: librdkafka client properties read from a properties file
// (key=value lines, '#' or '!' comments, blank lines ignored), applied to
// every client a runner creates. Secret values (any key containing
// "password" or "secret") are never printed: describe() redacts them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace archsim {

struct KafkaProperty {
  std::string key;
  std::string value;
  int line = 0;  ///< 1-based line in the file it came from; 0 when set in code
};

class KafkaProperties {
 public:
  KafkaProperties() = default;

  /// Reads `path`. Throws std::invalid_argument naming the file and line for
  /// a malformed line ("FILE:LINE: expected key=value, found ...", never
  /// echoing a secret value), an unknown librdkafka property or an invalid
  /// value, and for a missing or unreadable file.
  static KafkaProperties load_file(const std::filesystem::path& path);
  /// Parses properties text; `origin` names it in error messages.
  static KafkaProperties parse(const std::string& text, const std::string& origin);

  const std::vector<KafkaProperty>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  /// Where they came from (file path) or "" when none.
  const std::string& origin() const { return origin_; }

  /// True for keys whose values must never be shown: any key containing
  /// "password" or "secret" (case-insensitive), plus sasl.jaas.config and
  /// sasl.oauthbearer.config.
  static bool is_secret_key(const std::string& key);
  /// "key=value, key=<redacted>, ..." for logs.
  std::string describe() const;

 private:
  std::vector<KafkaProperty> items_;
  std::string origin_;
};

}  // namespace archsim
