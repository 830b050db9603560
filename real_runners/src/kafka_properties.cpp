// KafkaProperties: parsing and validation of librdkafka properties files.
#include "archsim/kafka_properties.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace archsim {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The start of a malformed line, for the error message (never a secret).
std::string excerpt(const std::string& line) {
  std::string shown = line.size() > 40 ? line.substr(0, 40) + "..." : line;
  if (KafkaProperties::is_secret_key(shown)) return "(a line mentioning a secret; not shown)";
  return "\"" + shown + "\"";
}

/// Asks librdkafka whether the property exists and the value is valid, so a
/// typo is reported with its line before any client is created.
void validate_with_librdkafka(const KafkaProperty& p, const std::string& origin) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  const rd_kafka_conf_res_t res = rd_kafka_conf_set(conf, p.key.c_str(), p.value.c_str(), errstr, sizeof errstr);
  rd_kafka_conf_destroy(conf);
  if (res == RD_KAFKA_CONF_OK) return;
  if (res == RD_KAFKA_CONF_UNKNOWN)
    throw std::invalid_argument(
        fmt::format("{}:{}: unknown librdkafka property \"{}\"", origin, p.line, p.key));
  if (KafkaProperties::is_secret_key(p.key))
    throw std::invalid_argument(
        fmt::format("{}:{}: invalid value for \"{}\" (value not shown)", origin, p.line, p.key));
  throw std::invalid_argument(fmt::format("{}:{}: {}", origin, p.line, errstr));
}

}  // namespace

bool KafkaProperties::is_secret_key(const std::string& key) {
  const std::string k = lower(key);
  return k.find("password") != std::string::npos || k.find("secret") != std::string::npos ||
         k.find("sasl.jaas.config") != std::string::npos || k.find("sasl.oauthbearer.config") != std::string::npos;
}

KafkaProperties KafkaProperties::parse(const std::string& text, const std::string& origin) {
  KafkaProperties props;
  props.origin_ = origin;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos)
      throw std::invalid_argument(
          fmt::format("{}:{}: expected key=value, found {}", origin, line_no, excerpt(line)));
    KafkaProperty p{trim(line.substr(0, eq)), trim(line.substr(eq + 1)), line_no};
    if (p.key.empty())
      throw std::invalid_argument(fmt::format("{}:{}: expected key=value, found an empty key", origin, line_no));
    if (p.key.find_first_of(" \t") != std::string::npos)
      throw std::invalid_argument(
          fmt::format("{}:{}: expected key=value, found a key with spaces: {}", origin, line_no, excerpt(p.key)));
    validate_with_librdkafka(p, origin);
    props.items_.push_back(std::move(p));
  }
  return props;
}

KafkaProperties KafkaProperties::load_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("--kafka-config {}: cannot read the file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

std::string KafkaProperties::describe() const {
  std::string out;
  for (const KafkaProperty& p : items_) {
    if (!out.empty()) out += ", ";
    out += p.key + "=" + (is_secret_key(p.key) ? std::string("<redacted>") : p.value);
  }
  return out;
}

}  // namespace archsim
