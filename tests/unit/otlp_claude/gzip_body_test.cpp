// gzip request bodies: inflated up to a bound; truncated or foreign bytes
// are named errors.
#include <gtest/gtest.h>

#include "gzip_body.hpp"

namespace {

using hookbroker::otlp::gunzip;
using hookbroker::otlp::gzip;


TEST(GzipBody, InflatesWhatWasCompressed) {
  const std::string plain = R"({"resourceLogs":[]})";
  const auto inflated = gunzip(gzip(plain), 1024);
  ASSERT_TRUE(inflated.body) << inflated.error;
  EXPECT_EQ(*inflated.body, plain);
}

TEST(GzipBody, ABombStopsAtTheBound) {
  const auto inflated = gunzip(gzip(std::string(50 << 20, 'a')), 4 << 20);  // 50 MiB packs into ~50 KB
  EXPECT_FALSE(inflated.body);
  EXPECT_TRUE(inflated.too_large);
}

TEST(GzipBody, TruncatedOrForeignBytesAreErrors) {
  const std::string packed = gzip(std::string(100000, 'x') + "tail");
  const auto truncated = gunzip(packed.substr(0, packed.size() / 2), 1 << 20);
  EXPECT_FALSE(truncated.body);
  EXPECT_FALSE(truncated.too_large);
  EXPECT_NE(truncated.error.find("gzip"), std::string::npos) << truncated.error;
  const auto plain = gunzip(R"({"resourceLogs":[]})", 1 << 20);
  EXPECT_FALSE(plain.body);
  EXPECT_FALSE(plain.error.empty());
  EXPECT_FALSE(gunzip("", 1 << 20).body);
}

}  // namespace
