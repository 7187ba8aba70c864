#include "http_client/http_url.hpp"

#include <gtest/gtest.h>

namespace hookbroker::http_client {
namespace {

HttpUrl parsed(const std::string& url) {
  HttpUrl out;
  const std::string error = parse_http_url(url, out);
  EXPECT_EQ(error, "") << url;
  return out;
}

TEST(HttpUrl, SplitsHostPortAndTarget) {
  auto u = parsed("http://127.0.0.1:9000/hooks/alert?x=1#frag");
  EXPECT_EQ(u.url, "http://127.0.0.1:9000/hooks/alert?x=1#frag");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_EQ(u.target, "/hooks/alert?x=1");
  u = parsed("http://relay.local");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/");
  u = parsed("http://[::1]:81/x");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 81);
  u = parsed("http://host?q=1");
  EXPECT_EQ(u.host, "host");
  EXPECT_EQ(u.target, "/?q=1");
}

TEST(HttpUrl, SaysWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"https://example.com/x", "uses https"},
      {"ftp://example.com/x", "is not an http:// URL"},
      {"http://:80/x", "has no host"},
      {"http://host:99999/x", "bad port"},
      {"http://host:/x", "bad port"},
      {"http://host:8x/x", "bad port"},
      {"http://user:pw@host/x", "carries credentials"},
      {"http://host/a b", "spaces"},
      {"http://[::1/x", "unclosed '['"},
      {"http://[::1]x/", "text after its bracketed host"},
  };
  for (const auto& [url, expected] : cases) {
    HttpUrl out;
    const std::string error = parse_http_url(url, out);
    EXPECT_NE(error.find(expected), std::string::npos) << url << ": " << error;
  }
}

TEST(HttpUrl, Authority) {
  EXPECT_EQ(authority("127.0.0.1", 8765), "127.0.0.1:8765");
  EXPECT_EQ(authority("::1", 80), "[::1]:80");
  std::uint16_t port = 7;
  EXPECT_FALSE(parse_port("0", port));
  EXPECT_FALSE(parse_port("65536", port));
  EXPECT_EQ(port, 7);
  EXPECT_TRUE(parse_port("65535", port));
  EXPECT_EQ(port, 65535);
}

}  // namespace
}  // namespace hookbroker::http_client
