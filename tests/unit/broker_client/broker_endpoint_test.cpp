// Where the tools find the broker: the broker's own config file and
// variables, in the broker's order, with HOOKBROKER_URL on top.
#include <gtest/gtest.h>

#include "broker_client/broker_endpoint.hpp"
#include "fake_env.hpp"
#include "scratch_dir.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::broker_client::resolve_broker_endpoint;

using hbtest::FakeEnv;

TEST(BrokerEndpoint, DefaultsMatchTheBroker) {
  FakeEnv env{{{"HOME", "/home/u"}}};
  const auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 8765);
  EXPECT_EQ(e.token, "");
  EXPECT_EQ(e.state_dir, "/home/u/.local/state/hookbroker");
  EXPECT_EQ(e.spool_dir, "/home/u/.local/state/hookbroker/spool");
  EXPECT_EQ(e.base_url(), "http://127.0.0.1:8765");
  EXPECT_EQ(e.problems, "");  // a missing default config file is normal
}

TEST(BrokerEndpoint, XdgDirectoriesAreHonoured) {
  ScratchDir scratch;
  FakeEnv env{{{"HOME", "/nowhere"}, {"XDG_CONFIG_HOME", scratch.path()}, {"XDG_STATE_HOME", "/xdg/state"}}};
  ::mkdir((scratch / "hookbroker").c_str(), 0700);
  forwarder_test::write_file(scratch / "hookbroker/config.json", R"({"port": 9001, "token": "s3cret"})");
  const auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.port, 9001);
  EXPECT_EQ(e.token, "s3cret");
  EXPECT_EQ(e.config_file, scratch / "hookbroker/config.json");
  EXPECT_EQ(e.state_dir, "/xdg/state/hookbroker");
}

TEST(BrokerEndpoint, ConfigFileThenVariablesThenUrl) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "c.json",
                             R"({"host": "0.0.0.0", "port": 9001, "token": "file", "state_dir": "/from/file",
                                 "heartbeat": {"interval": 5}, "plugins": {}})");
  FakeEnv env{{{"HOME", "/h"}, {"HOOKBROKER_CONFIG", scratch / "c.json"}}};
  auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.host, "127.0.0.1");  // a wildcard bind address is reached on loopback
  EXPECT_EQ(e.port, 9001);
  EXPECT_EQ(e.token, "file");
  EXPECT_EQ(e.state_dir, "/from/file");
  EXPECT_EQ(e.spool_dir, "/from/file/spool");

  env.vars["HOOKBROKER_PORT"] = "9002";
  env.vars["HOOKBROKER_TOKEN"] = "env";
  env.vars["HOOKBROKER_STATE_DIR"] = "/from/env";
  e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.port, 9002);
  EXPECT_EQ(e.token, "env");
  EXPECT_EQ(e.state_dir, "/from/env");

  env.vars["HOOKBROKER_URL"] = "http://[::1]:9003/api/events";
  env.vars["HOOKBROKER_SPOOL_DIR"] = "/elsewhere";
  e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, 9003);
  EXPECT_EQ(e.base_path, "");
  EXPECT_EQ(e.base_url(), "http://[::1]:9003");
  EXPECT_EQ(e.origin, "HOOKBROKER_URL");
  EXPECT_EQ(e.spool_dir, "/elsewhere");
}

TEST(BrokerEndpoint, UrlMayCarryAPathPrefix) {
  FakeEnv env{{{"HOME", "/h"}, {"HOOKBROKER_URL", "http://localhost:8080/hb/"}}};
  const auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 8080);
  EXPECT_EQ(e.base_path, "/hb");
}

TEST(BrokerEndpoint, BadSettingsAreReportedAndDefaultsKept) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "c.json", "{not json");
  FakeEnv env{{{"HOME", "/h"},
               {"HOOKBROKER_CONFIG", scratch / "c.json"},
               {"HOOKBROKER_PORT", "99999"},
               {"HOOKBROKER_URL", "https://example.org"}}};
  const auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_EQ(e.port, 8765);
  EXPECT_NE(e.problems.find("not a JSON object"), std::string::npos) << e.problems;
  EXPECT_NE(e.problems.find("HOOKBROKER_PORT=99999"), std::string::npos);
  EXPECT_NE(e.problems.find("HOOKBROKER_URL=https://example.org"), std::string::npos);
}

TEST(BrokerEndpoint, AnExplicitConfigFileThatIsMissingIsAProblem) {
  FakeEnv env{{{"HOME", "/h"}, {"HOOKBROKER_CONFIG", "/no/such/config.json"}}};
  const auto e = resolve_broker_endpoint(env.lookup());
  EXPECT_NE(e.problems.find("/no/such/config.json"), std::string::npos);
}

}  // namespace
