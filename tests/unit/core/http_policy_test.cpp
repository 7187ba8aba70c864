// The core's HTTP policy and route table, one rule at a time (the real
// broker walks every route in tests/integration/core/http_policy_test.cpp).
#include <gtest/gtest.h>

#include <memory>

#include "http/http_policy.hpp"
#include "http/route_table.hpp"

namespace hookbroker::core {
namespace {

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<none>";
}

HttpRequest request(std::string method, std::vector<std::pair<std::string, std::string>> headers,
                    std::string body = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = "/api/events";
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

HttpPolicy local_policy(std::string token = "", std::vector<std::string> allowed_hosts = {}) {
  return HttpPolicy({std::move(token), "127.0.0.1", std::move(allowed_hosts),
                     {"http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"}});
}

TEST(HttpPolicy, HostMustNameTheBroker) {
  const HttpPolicy policy = local_policy("", {"dash.example.com", "*.corp.example"});
  for (const char* ok : {"localhost:8765", "127.0.0.1:8765", "[::1]:8765", "LOCALHOST", "127.0.0.2",
                         "dash.example.com:8765", "a.corp.example", ""})
    EXPECT_FALSE(policy.check_host(request("GET", {{"host", ok}}))) << ok;
  for (const char* bad : {"evil.example.com", "evil.example.com:8765", "localhost.evil.com", "corp.example",
                          "192.168.1.5:8765", "example.com"}) {
    const auto refused = policy.check_host(request("GET", {{"host", bad}}));
    ASSERT_TRUE(refused) << bad;
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("allowed_hosts"), std::string::npos) << refused->body;
  }
}

TEST(HttpPolicy, RefusalsQuotingBytesThatAreNotUtf8StayJson) {
  // Found by the fuzzer: quoting such a header made the JSON dump throw.
  const HttpPolicy policy = local_policy();
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"host", "\xff\xfe.example"}}, {{"origin", "http://\xc3"}}, {{"content-type", "\xe2\x82"}}}) {
    HttpRequest r = request("POST", headers, "{}");
    auto refused = policy.check_host(r);
    if (!refused) refused = policy.check_origin(r);
    if (!refused) refused = HttpPolicy::check_json_body(r);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(nlohmann::json::parse(refused->body, nullptr, false).is_discarded()) << refused->body;
  }
  const auto long_host = policy.check_host(request("GET", {{"host", std::string(5000, 'a')}}));
  ASSERT_TRUE(long_host);
  EXPECT_LT(long_host->body.size(), 1000u);
}

TEST(HttpPolicy, TextThatIsNotUtf8IsRefusedAtTheEdge) {
  for (const char* good : {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}) EXPECT_TRUE(is_valid_utf8(good)) << good;
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"})
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
  HttpRequest ok = request("POST", {{"x-hookbroker-event-id", "abc"}});
  ok.path_params = {{"id", "s-1"}};
  ok.query = "type=caf%C3%A9";
  EXPECT_FALSE(HttpPolicy::check_text(ok));
  HttpRequest header = request("POST", {{"x-hookbroker-event-id", "\xff"}});
  HttpRequest path = request("POST", {});
  path.path_params = {{"id", "\xff"}};
  HttpRequest query = request("GET", {});
  query.query = "session_id=%FF";
  for (const auto& r : {header, path, query}) {
    const auto refused = HttpPolicy::check_text(r);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_NE(refused->body.find("not valid UTF-8"), std::string::npos) << refused->body;
  }
}

TEST(HttpPolicy, ConfiguredHostAndAddressLiteralsWhenListeningEverywhere) {
  const HttpPolicy named({"", "broker.lan", {}, {}});
  EXPECT_FALSE(named.check_host(request("GET", {{"host", "broker.lan:8765"}})));
  EXPECT_TRUE(named.check_host(request("GET", {{"host", "10.0.0.7:8765"}})));
  const HttpPolicy everywhere({"", "0.0.0.0", {}, {}});
  EXPECT_FALSE(everywhere.check_host(request("GET", {{"host", "10.0.0.7:8765"}})));
  EXPECT_FALSE(everywhere.check_host(request("GET", {{"host", "[fe80::1]:8765"}})));
  EXPECT_TRUE(everywhere.check_host(request("GET", {{"host", "rebind.evil.example"}})));
  EXPECT_FALSE(HttpPolicy({"", "127.0.0.1", {"*"}, {}}).check_host(request("GET", {{"host", "any.name"}})));
}

TEST(HttpPolicy, OriginMustBeAllowedOrTheBrokersOwn) {
  const HttpPolicy policy = local_policy();
  EXPECT_FALSE(policy.check_origin(request("POST", {})));  // not a browser
  EXPECT_FALSE(policy.check_origin(request("POST", {{"origin", "http://localhost:3000"}})));
  EXPECT_FALSE(policy.check_origin(request("POST", {{"origin", "http://[::1]:9"}})));
  EXPECT_FALSE(policy.check_origin(request("POST", {{"host", "broker.lan:8765"}, {"origin", "http://broker.lan:8765"}})));
  for (const char* bad : {"https://evil.example.com", "http://localhost.evil.com", "https://localhost:3000",
                          "http://localhost:80x", "null"}) {
    const auto refused = policy.check_origin(request("POST", {{"origin", bad}}));
    ASSERT_TRUE(refused) << bad;
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("cors_origins"), std::string::npos);
  }
  EXPECT_FALSE(HttpPolicy({"", "127.0.0.1", {}, {"*"}}).check_origin(request("GET", {{"origin", "http://x"}})));
  const HttpPolicy exact({"", "127.0.0.1", {}, {"https://dash.example.com"}});
  EXPECT_FALSE(exact.check_origin(request("GET", {{"origin", "https://dash.example.com"}})));
  EXPECT_TRUE(exact.check_origin(request("GET", {{"origin", "https://dash.example.com:444"}})));
}

TEST(HttpPolicy, TokenIsABearerHeader) {
  EXPECT_FALSE(local_policy().check_token(request("GET", {})));
  const HttpPolicy policy = local_policy("s3cret");
  EXPECT_FALSE(policy.check_token(request("GET", {{"authorization", "Bearer s3cret"}})));
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"authorization", "Bearer s3cre"}}, {{"authorization", "Basic s3cret"}}, {{"authorization", "Bearer "}}}) {
    const auto refused = policy.check_token(request("GET", headers));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(header(*refused, "WWW-Authenticate"), "Bearer");
  }
  EXPECT_FALSE(constant_time_equals("", ""));
}

TEST(HttpPolicy, ClientAuthPayload) {
  EXPECT_EQ(local_policy().check_client_auth(nlohmann::json::object()), "");
  const HttpPolicy policy = local_policy("s3cret");
  EXPECT_EQ(policy.check_client_auth({{"token", "s3cret"}}), "");
  EXPECT_NE(policy.check_client_auth(nlohmann::json::object()), "");
  EXPECT_NE(policy.check_client_auth({{"token", "s3cre"}}), "");
  EXPECT_NE(policy.check_client_auth({{"token", 5}}), "");
  EXPECT_NE(policy.check_client_auth("s3cret"), "");
}

TEST(HttpPolicy, BodiesMustBeJson) {
  EXPECT_FALSE(HttpPolicy::check_json_body(request("POST", {{"content-type", "application/json"}}, "{}")));
  EXPECT_FALSE(HttpPolicy::check_json_body(request("POST", {{"content-type", "Application/JSON; charset=utf-8"}}, "{}")));
  EXPECT_FALSE(HttpPolicy::check_json_body(request("POST", {{"content-type", "application/cloudevents+json"}}, "{}")));
  EXPECT_FALSE(HttpPolicy::check_json_body(request("POST", {}, "")));  // nothing sent
  EXPECT_FALSE(HttpPolicy::check_json_body(request("GET", {}, "x")));
  for (const char* bad : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""}) {
    const auto refused = HttpPolicy::check_json_body(request("POST", {{"content-type", bad}}, "{}"));
    ASSERT_TRUE(refused) << bad;
    EXPECT_EQ(refused->status, 415);
    EXPECT_NE(refused->body.find("Content-Type: application/json"), std::string::npos);
  }
}

TEST(HttpPolicy, CorsHeadersAndPreflight) {
  const HttpPolicy policy = local_policy();
  HttpResponse allowed;
  policy.add_cors_headers(request("GET", {{"origin", "http://localhost:3000"}}), allowed);
  EXPECT_EQ(header(allowed, "Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_EQ(header(allowed, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(header(allowed, "Vary"), "Origin");
  HttpResponse refused;
  policy.add_cors_headers(request("GET", {{"origin", "http://evil.com"}}), refused);
  EXPECT_EQ(header(refused, "Access-Control-Allow-Origin"), "<none>");
  const HttpResponse pre = policy.preflight(
      request("OPTIONS", {{"origin", "http://127.0.0.1:5173"}, {"access-control-request-headers", "content-type"}}));
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.body, "");
  EXPECT_EQ(header(pre, "Access-Control-Allow-Origin"), "http://127.0.0.1:5173");
  EXPECT_EQ(header(pre, "Access-Control-Allow-Methods"), "GET,HEAD,PUT,PATCH,POST,DELETE");
  EXPECT_EQ(header(pre, "Access-Control-Allow-Headers"), "content-type");
}

RouteTable::Entry entry(std::string method, std::string path, std::string owner = "test") {
  return {HttpRoute{std::move(method), std::move(path), RouteAccess::Token, RouteBody::Json}, std::move(owner), nullptr,
          {}, 0};
}

TEST(RouteTable, ExactBeatsPatternBeatsPrefix) {
  RouteTable table;
  std::string error;
  for (const auto& [m, p] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/*"}, {"GET", "/socket.io/*"}, {"GET", "/socket.io/socket.io.js"},
           {"GET", "/api/sessions/{id}"}, {"POST", "/api/sessions/{id}/start"}, {"GET", "/api/sessions/current"}})
    ASSERT_TRUE(table.add(entry(m, p), error)) << p << ": " << error;
  EXPECT_EQ(table.find("GET", "/socket.io/socket.io.js")->entry->route.path, "/socket.io/socket.io.js");
  EXPECT_EQ(table.find("GET", "/socket.io/")->entry->route.path, "/socket.io/*");
  EXPECT_EQ(table.find("GET", "/index.html")->entry->route.path, "/*");
  EXPECT_EQ(table.find("HEAD", "/index.html")->entry->route.path, "/*");
  EXPECT_EQ(table.find("GET", "/api/sessions/current")->entry->route.path, "/api/sessions/current");
  const auto session = table.find("POST", "/api/sessions/a%2Fb%20c/start");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->params, (std::vector<std::pair<std::string, std::string>>{{"id", "a/b c"}}));
  EXPECT_FALSE(table.find("POST", "/api/sessions//start"));
  EXPECT_FALSE(table.find("POST", "/api/sessions/x/start/more"));
  EXPECT_EQ(table.methods_for("/api/sessions/x/start"), "POST");
  EXPECT_EQ(table.methods_for("/nothing"), "");
}

TEST(RouteTable, RefusesTakenRoutesAndBadPatterns) {
  RouteTable table;
  std::string error;
  ASSERT_TRUE(table.add(entry("GET", "/api/history"), error));
  EXPECT_FALSE(table.add(entry("GET", "/api/history"), error));
  EXPECT_NE(error.find("already served by 'test'"), std::string::npos);
  EXPECT_TRUE(table.add(entry("POST", "/api/history"), error));
  for (const char* bad : {"api/x", "/a*", "/a/*/b", "/a/{id", "/a/x{id}", "/a/{}"}) EXPECT_FALSE(table.add(entry("GET", bad), error)) << bad;
  table.remove_owner("test");
  EXPECT_TRUE(table.routes().empty());
}

// A thread's lookups of one request (its body limit, its route, serving it)
// are answered from its last one: these show that answer is never stale.
TEST(RouteTable, ARepeatedLookupSeesEveryChangeToTheTable) {
  RouteTable table;
  std::string error;
  ASSERT_TRUE(table.add(entry("GET", "/*", "files"), error)) << error;
  EXPECT_EQ(table.find("GET", "/health")->entry->route.path, "/*");
  ASSERT_TRUE(table.add(entry("GET", "/health", "core"), error)) << error;
  EXPECT_EQ(table.find("GET", "/health")->entry->route.path, "/health");
  table.remove_owner("core");
  EXPECT_EQ(table.find("GET", "/health")->entry->route.path, "/*");
  table.remove_owner("files");
  EXPECT_FALSE(table.find("GET", "/health"));
  ASSERT_TRUE(table.add(entry("GET", "/health", "core"), error)) << error;
  EXPECT_EQ(table.find("GET", "/health")->entry->route.path, "/health");
}

TEST(RouteTable, ARepeatedLookupIsByMethodAndPath) {
  RouteTable table;
  std::string error;
  ASSERT_TRUE(table.add(entry("GET", "/api/sessions/{id}"), error)) << error;
  ASSERT_TRUE(table.add(entry("POST", "/api/sessions/{id}/end"), error)) << error;
  using Params = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(table.find("GET", "/api/sessions/a")->params, (Params{{"id", "a"}}));
  EXPECT_EQ(table.find("GET", "/api/sessions/a")->params, (Params{{"id", "a"}}));
  EXPECT_EQ(table.find("GET", "/api/sessions/b")->params, (Params{{"id", "b"}}));
  EXPECT_FALSE(table.find("POST", "/api/sessions/b"));
  EXPECT_EQ(table.find("HEAD", "/api/sessions/b")->entry->route.path, "/api/sessions/{id}");
  EXPECT_EQ(table.find("POST", "/api/sessions/b/end")->entry->route.path, "/api/sessions/{id}/end");
}

TEST(RouteTable, TablesDoNotShareALookup) {
  RouteTable files;
  RouteTable empty;
  std::string error;
  ASSERT_TRUE(files.add(entry("GET", "/*"), error)) << error;
  EXPECT_TRUE(files.find("GET", "/index.html"));
  EXPECT_FALSE(empty.find("GET", "/index.html"));
  EXPECT_TRUE(files.find("GET", "/index.html"));
  // A table made where another was, with the same routes' paths but its own.
  auto first = std::make_unique<RouteTable>();
  ASSERT_TRUE(first->add(entry("GET", "/x", "first"), error)) << error;
  EXPECT_EQ(first->find("GET", "/x")->entry->owner, "first");
  first.reset();
  auto second = std::make_unique<RouteTable>();
  ASSERT_TRUE(second->add(entry("GET", "/x", "second"), error)) << error;
  EXPECT_EQ(second->find("GET", "/x")->entry->owner, "second");
}

TEST(RouteTable, AMatchKeepsItsRouteAfterTheOwnerLeaves) {
  RouteTable table;
  std::string error;
  ASSERT_TRUE(table.add(entry("GET", "/api/things", "plugin"), error)) << error;
  const auto in_flight = table.find("GET", "/api/things");
  ASSERT_TRUE(in_flight);
  table.remove_owner("plugin");
  EXPECT_FALSE(table.find("GET", "/api/things"));
  EXPECT_EQ(in_flight->entry->owner, "plugin");
}

}  // namespace
}  // namespace hookbroker::core
