// Envelopes for input that cannot be forwarded as it is.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spool/payload_envelope.hpp"

namespace {

using hookbroker::spool::find_string_field;
using hookbroker::spool::invalid_input_envelope;
using hookbroker::spool::truncated_envelope;

const std::string kHook =
    R"({"session_id":"sess-1","transcript_path":"/t.jsonl","cwd":"/w","hook_event_name":"PostToolUse",)"
    R"("tool_name":"Read","tool_response":{"content":")";

TEST(PayloadEnvelope, TruncatedHookKeepsItsIdentityAndAMarker) {
  const std::string prefix = kHook + std::string(500, 'x');
  const auto j = nlohmann::json::parse(truncated_envelope(prefix, 5000000, true, "input larger than 1048576 bytes"));
  EXPECT_EQ(j["hook_event_name"], "PostToolUse");
  EXPECT_EQ(j["session_id"], "sess-1");
  EXPECT_FALSE(j.contains("type"));
  const auto& marker = j["hookbroker_truncated"];
  EXPECT_EQ(marker["kept_bytes"], prefix.size());
  EXPECT_EQ(marker["received_bytes"], 5000000);
  EXPECT_EQ(marker["input_complete"], true);
  EXPECT_EQ(marker["reason"], "input larger than 1048576 bytes");
  EXPECT_EQ(marker["prefix"], prefix);
}

TEST(PayloadEnvelope, TruncatedNonHookInputBecomesAGenericEvent) {
  const auto j = nlohmann::json::parse(truncated_envelope("[1,2,3", 10, false, "stdin was not closed"));
  EXPECT_EQ(j["type"], "hook_forwarder");
  EXPECT_EQ(j["subtype"], "truncated");
  EXPECT_EQ(j["hookbroker_truncated"]["input_complete"], false);
}

TEST(PayloadEnvelope, ACharacterCutInHalfStillGivesValidJson) {
  const std::string euro = "\xe2\x82\xac";
  const std::string prefix = kHook + euro + euro.substr(0, 2);  // cut inside the second character
  const std::string text = truncated_envelope(prefix, 99, true, "cut");
  const auto j = nlohmann::json::parse(text);  // throws on invalid UTF-8
  const std::string kept = j["hookbroker_truncated"]["prefix"];
  EXPECT_NE(kept.find(euro + "\xef\xbf\xbd"), std::string::npos);  // U+FFFD replaces the stub
}

TEST(PayloadEnvelope, InvalidInputIsWrappedWithTheBrokersReason) {
  const std::string raw = "this is {not json\x01";
  const auto j = nlohmann::json::parse(invalid_input_envelope(raw, "HTTP 400: {\"error\":\"invalid JSON\"}"));
  EXPECT_EQ(j["type"], "hook_forwarder");
  EXPECT_EQ(j["subtype"], "invalid_input");
  EXPECT_EQ(j["data"]["raw"], raw);
  EXPECT_EQ(j["data"]["raw_bytes"], raw.size());
  EXPECT_NE(j["data"]["error"].get<std::string>().find("invalid JSON"), std::string::npos);
}

TEST(PayloadEnvelope, InvalidInputKeepsOnlyTheFirst64KiB) {
  const std::string raw(200000, '{');
  const auto j = nlohmann::json::parse(invalid_input_envelope(raw, "bad"));
  EXPECT_EQ(j["data"]["raw"].get<std::string>().size(), hookbroker::spool::kInvalidInputKeepBytes);
  EXPECT_EQ(j["data"]["raw_bytes"], 200000);
}

TEST(PayloadEnvelope, FindStringFieldReadsKeysNotValuesAndUnescapes) {
  EXPECT_EQ(find_string_field(R"({"a":"hook_event_name","hook_event_name" : "Stop"})", "hook_event_name"), "Stop");
  EXPECT_EQ(find_string_field(R"({"session_id":"a\"b"})", "session_id"), "a\"b");
  EXPECT_EQ(find_string_field(R"({"session_id":"cut-off)", "session_id"), "");
  EXPECT_EQ(find_string_field(R"({"session_id":42})", "session_id"), "");
  EXPECT_EQ(find_string_field("{}", "session_id"), "");
}

}  // namespace
