// Engine.IO v4 packets and polling payloads, checked against what the
// reference engine.io-parser 5.x produces and accepts.
#include "socketio_codec/engineio_codec.hpp"

#include <gtest/gtest.h>

namespace hookbroker::socketio_codec {
namespace {

TEST(EngineIoCodec, DecodesEveryPacketType) {
  const std::pair<std::string, EnginePacketType> cases[] = {{"0{\"sid\":\"x\"}", EnginePacketType::Open},
                                                            {"1", EnginePacketType::Close},
                                                            {"2probe", EnginePacketType::Ping},
                                                            {"3", EnginePacketType::Pong},
                                                            {"4hello", EnginePacketType::Message},
                                                            {"5", EnginePacketType::Upgrade},
                                                            {"6", EnginePacketType::Noop}};
  for (const auto& [text, type] : cases) {
    EnginePacket p;
    ASSERT_TRUE(decode_engine_packet(text, p)) << text;
    EXPECT_EQ(p.type, type) << text;
    EXPECT_EQ(p.data, text.substr(1)) << text;
    EXPECT_FALSE(p.binary);
  }
}

TEST(EngineIoCodec, RefusesEmptyAndUnknownPackets) {
  EnginePacket p;
  EXPECT_FALSE(decode_engine_packet("", p));
  EXPECT_FALSE(decode_engine_packet("7", p));
  EXPECT_FALSE(decode_engine_packet("x42", p));
  EXPECT_FALSE(decode_engine_packet("/", p));
}

TEST(EngineIoCodec, DecodesBase64BinaryMessages) {
  EnginePacket p;
  ASSERT_TRUE(decode_engine_packet("bAQID", p));
  EXPECT_EQ(p.type, EnginePacketType::Message);
  EXPECT_TRUE(p.binary);
  EXPECT_EQ(p.data, std::string("\x01\x02\x03", 3));
}

TEST(EngineIoCodec, Base64RoundTripsEveryByteAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 255u, 256u}) {
    const std::string slice = bytes.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(slice)), slice) << n;
  }
  EXPECT_EQ(base64_encode("hi"), "aGk=");
  EXPECT_EQ(encode_binary_for_polling(std::string("\x01\x02\x03", 3)), "bAQID");
}

TEST(EngineIoCodec, Base64DecodeIsLenientLikeNode) {
  // Unpadded input decodes; decoding stops at the first foreign character.
  EXPECT_EQ(base64_decode("aGk"), "hi");
  EXPECT_EQ(base64_decode("aGk=!!!"), "hi");
  EXPECT_EQ(base64_decode("A"), "");
}

TEST(EngineIoCodec, SplitsPayloadsOnRecordSeparator) {
  const auto decoded = decode_engine_payload(
      "42[\"a\"]\x1e"
      "3\x1e"
      "bAQID");
  ASSERT_FALSE(decoded.error);
  ASSERT_EQ(decoded.packets.size(), 3u);
  EXPECT_EQ(decoded.packets[0].data, "2[\"a\"]");
  EXPECT_EQ(decoded.packets[1].type, EnginePacketType::Pong);
  EXPECT_TRUE(decoded.packets[2].binary);
}

TEST(EngineIoCodec, StopsAtTheFirstBadPacketKeepingThoseBefore) {
  const auto decoded = decode_engine_payload(
      "40\x1e"
      "9oops\x1e"
      "3");
  EXPECT_TRUE(decoded.error);
  ASSERT_EQ(decoded.packets.size(), 1u);
  EXPECT_EQ(decoded.packets[0].data, "0");
  EXPECT_TRUE(decode_engine_payload("").error);
  EXPECT_TRUE(decode_engine_payload("4a\x1e").error);  // trailing separator: empty packet
}

TEST(EngineIoCodec, EncodesPacketsAndPayloads) {
  EXPECT_EQ(encode_engine_packet(EnginePacketType::Message, "2[\"x\"]"), "42[\"x\"]");
  EXPECT_EQ(encode_engine_packet(EnginePacketType::Ping), "2");
  EXPECT_EQ(join_engine_payload({"2", "40", "6"}),
            "2\x1e"
            "40\x1e"
            "6");
  EXPECT_EQ(join_engine_payload({"1"}), "1");
  EXPECT_EQ(join_engine_payload({}), "");
}

TEST(EngineIoHandshake, EncodesInTheReferenceKeyOrder) {
  EngineHandshake h;
  h.sid = "abc";
  h.upgrades = {"websocket"};
  EXPECT_EQ(encode_engine_handshake(h),
            R"(0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
  h.upgrades.clear();
  h.ping_interval_ms = 300;
  EXPECT_EQ(encode_engine_handshake(h),
            R"(0{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":20000,"maxPayload":1000000})");
}

TEST(EngineIoHandshake, ParsesWhatTheServerSends) {
  EngineHandshake sent;
  sent.sid = "Zx9-_";
  sent.ping_interval_ms = 1500;
  sent.ping_timeout_ms = 700;
  sent.max_payload = 4096;
  EnginePacket open;
  ASSERT_TRUE(decode_engine_packet(encode_engine_handshake(sent), open));
  ASSERT_EQ(open.type, EnginePacketType::Open);
  EngineHandshake got;
  ASSERT_EQ(parse_engine_handshake(open.data, got), "");
  EXPECT_EQ(got.sid, "Zx9-_");
  EXPECT_TRUE(got.upgrades.empty());
  EXPECT_EQ(got.ping_interval_ms, 1500);
  EXPECT_EQ(got.ping_timeout_ms, 700);
  EXPECT_EQ(got.max_payload, 4096);
}

TEST(EngineIoHandshake, MissingTimersKeepTheDefaults) {
  EngineHandshake got;
  ASSERT_EQ(parse_engine_handshake(R"({"sid":"s","upgrades":["websocket"]})", got), "");
  EXPECT_EQ(got.upgrades, std::vector<std::string>{"websocket"});
  EXPECT_EQ(got.ping_interval_ms, 25000);
  EXPECT_EQ(got.ping_timeout_ms, 20000);
}

TEST(EngineIoHandshake, RefusesMalformedOpenPacketsSayingWhy) {
  EngineHandshake got;
  got.sid = "unchanged";
  EXPECT_NE(parse_engine_handshake("", got).find("not a JSON object"), std::string::npos);
  EXPECT_NE(parse_engine_handshake("[1]", got).find("not a JSON object"), std::string::npos);
  EXPECT_NE(parse_engine_handshake(R"({"pingInterval":1})", got).find("\"sid\""), std::string::npos);
  EXPECT_NE(parse_engine_handshake(R"({"sid":""})", got).find("\"sid\""), std::string::npos);
  EXPECT_NE(parse_engine_handshake(R"({"sid":"s","pingInterval":"fast"})", got).find("pingInterval"),
            std::string::npos);
  EXPECT_NE(parse_engine_handshake(R"({"sid":"s","pingTimeout":0})", got).find("pingTimeout"), std::string::npos);
  EXPECT_NE(parse_engine_handshake(R"({"sid":"s","upgrades":"websocket"})", got).find("upgrades"),
            std::string::npos);
  EXPECT_EQ(got.sid, "unchanged");
}

}  // namespace
}  // namespace hookbroker::socketio_codec
