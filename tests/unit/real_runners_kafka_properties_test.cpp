// KafkaProperties: key=value lines with comments, malformed lines named by
// file and line, librdkafka validation, and secrets never shown.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "archsim/kafka_properties.hpp"

namespace archsim {
namespace {

std::string error_of(const std::string& text) {
  try {
    KafkaProperties::parse(text, "client.properties");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(RealRunnersKafkaProperties, ParsesLinesCommentsAndBlanks) {
  const KafkaProperties p = KafkaProperties::parse(
      "# a comment\n\n! another comment\n  client.id = archsim-test  \nsasl.username=user=with=equals\n",
      "client.properties");
  ASSERT_EQ(p.items().size(), 2u);
  EXPECT_EQ(p.items()[0].key, "client.id");
  EXPECT_EQ(p.items()[0].value, "archsim-test");
  EXPECT_EQ(p.items()[0].line, 4);
  EXPECT_EQ(p.items()[1].value, "user=with=equals");
  EXPECT_EQ(p.origin(), "client.properties");
}

TEST(RealRunnersKafkaProperties, MalformedLineIsNamedByFileAndLine) {
  const std::string e = error_of("client.id=a\n# ok\nthis line has no equals sign\n");
  EXPECT_NE(e.find("client.properties:3: expected key=value"), std::string::npos) << e;
  EXPECT_NE(error_of("=value\n").find("client.properties:1:"), std::string::npos);
}

TEST(RealRunnersKafkaProperties, UnknownPropertyAndBadValueAreNamedByLine) {
  EXPECT_NE(error_of("client.id=a\nno.such.property=1\n").find("client.properties:2: unknown librdkafka property"),
            std::string::npos);
  EXPECT_NE(error_of("linger.ms=soon\n").find("client.properties:1:"), std::string::npos);
}

TEST(RealRunnersKafkaProperties, SecretsAreNeverShown) {
  const KafkaProperties p = KafkaProperties::parse(
      "sasl.username=alice\nsasl.password=SECRETXYZ\nssl.key.password=SECRETXYZ\n", "client.properties");
  const std::string described = p.describe();
  EXPECT_EQ(described.find("SECRETXYZ"), std::string::npos) << described;
  EXPECT_NE(described.find("sasl.username=alice"), std::string::npos);
  EXPECT_NE(described.find("sasl.password=<redacted>"), std::string::npos);
  // A malformed line that carries a secret is named without echoing it.
  const std::string e = error_of("client.id=a\nsasl.password SECRETXYZ\n");
  EXPECT_NE(e.find("client.properties:2:"), std::string::npos) << e;
  EXPECT_EQ(e.find("SECRETXYZ"), std::string::npos) << e;
}

TEST(RealRunnersKafkaProperties, SecretKeys) {
  EXPECT_TRUE(KafkaProperties::is_secret_key("sasl.password"));
  EXPECT_TRUE(KafkaProperties::is_secret_key("ssl.key.password"));
  EXPECT_TRUE(KafkaProperties::is_secret_key("sasl.oauthbearer.client.secret"));
  EXPECT_TRUE(KafkaProperties::is_secret_key("SSL.Keystore.Password"));
  EXPECT_TRUE(KafkaProperties::is_secret_key("sasl.jaas.config"));
  EXPECT_FALSE(KafkaProperties::is_secret_key("sasl.username"));
  EXPECT_FALSE(KafkaProperties::is_secret_key("security.protocol"));
}

TEST(RealRunnersKafkaProperties, MissingFileIsInvalidInput) {
  EXPECT_THROW(KafkaProperties::load_file("/nonexistent/client.properties"), std::invalid_argument);
}

}  // namespace
}  // namespace archsim
