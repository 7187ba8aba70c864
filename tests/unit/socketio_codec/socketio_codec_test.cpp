// Socket.IO v5 packets: decoding with the reference decoder's validation,
// encoding byte-compatible with socket.io-parser 4.x.
#include "socketio_codec/socketio_codec.hpp"

#include <gtest/gtest.h>

namespace hookbroker::socketio_codec {
namespace {

Packet decoded(const std::string& text) {
  Packet p;
  const std::string error = decode_packet(text, p);
  EXPECT_EQ(error, "") << text;
  return p;
}

std::string error_of(const std::string& text) {
  Packet p;
  return decode_packet(text, p);
}

TEST(SocketIoCodec, DecodesConnectWithAndWithoutAuth) {
  Packet p = decoded("0");
  EXPECT_EQ(p.type, PacketType::Connect);
  EXPECT_EQ(p.nsp, "/");
  EXPECT_TRUE(p.data.is_null());

  p = decoded("0{\"token\":\"abc\"}");
  EXPECT_EQ(p.data["token"], "abc");

  p = decoded("0/admin,{\"token\":\"abc\"}");
  EXPECT_EQ(p.nsp, "/admin");
  EXPECT_EQ(p.data["token"], "abc");

  p = decoded("0/admin");  // namespace without a comma
  EXPECT_EQ(p.nsp, "/admin");
}

TEST(SocketIoCodec, DecodesEventsWithAckIds) {
  Packet p = decoded("2[\"chat\",1,{\"a\":true}]");
  EXPECT_EQ(p.type, PacketType::Event);
  EXPECT_FALSE(p.id);
  EXPECT_EQ(p.data[0], "chat");
  EXPECT_EQ(p.json, "[\"chat\",1,{\"a\":true}]");

  p = decoded("2/admin,12[\"x\"]");
  EXPECT_EQ(p.nsp, "/admin");
  ASSERT_TRUE(p.id);
  EXPECT_EQ(*p.id, 12u);

  p = decoded("20[\"x\"]");
  ASSERT_TRUE(p.id);
  EXPECT_EQ(*p.id, 0u);

  p = decoded("2[42]");  // numeric event names are allowed
  EXPECT_EQ(p.data[0], 42);
}

TEST(SocketIoCodec, DecodesAcksDisconnectAndBinaryHeaders) {
  Packet p = decoded("37[\"ok\"]");
  EXPECT_EQ(p.type, PacketType::Ack);
  EXPECT_EQ(*p.id, 7u);

  p = decoded("1");
  EXPECT_EQ(p.type, PacketType::Disconnect);

  p = decoded("52-3[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
  EXPECT_EQ(p.type, PacketType::BinaryEvent);
  EXPECT_EQ(p.attachments, 2u);
  EXPECT_EQ(*p.id, 3u);

  p = decoded("61-/x,4[{\"_placeholder\":true,\"num\":0}]");
  EXPECT_EQ(p.type, PacketType::BinaryAck);
  EXPECT_EQ(p.nsp, "/x");
  EXPECT_EQ(*p.id, 4u);
}

TEST(SocketIoCodec, RefusesWhatTheReferenceRefuses) {
  EXPECT_NE(error_of(""), "");
  EXPECT_NE(error_of("7"), "");  // unknown type
  EXPECT_NE(error_of("a"), "");
  EXPECT_NE(error_of("2garbage"), "");    // not JSON
  EXPECT_NE(error_of("2{\"a\":1}"), "");  // EVENT data must be an array
  EXPECT_NE(error_of("2[]"), "");         // ... with a name
  EXPECT_NE(error_of("2[null]"), "");
  EXPECT_NE(error_of("2[\"disconnect\"]"), "");  // reserved name
  EXPECT_NE(error_of("2[\"connect_error\",1]"), "");
  EXPECT_NE(error_of("0[1]"), "");  // CONNECT data must be an object
  EXPECT_NE(error_of("0\"x\""), "");
  EXPECT_NE(error_of("1{}"), "");         // DISCONNECT has no data
  EXPECT_NE(error_of("3{}"), "");         // ACK data must be an array
  EXPECT_NE(error_of("5-[\"x\"]"), "");   // attachments missing
  EXPECT_NE(error_of("50-[\"x\"]"), "");  // zero attachments
  EXPECT_NE(error_of("5x-[\"x\"]"), "");
  EXPECT_NE(error_of("51[\"x\"]"), "");                                     // no '-'
  EXPECT_NE(error_of("511-[\"x\"]"), "");                                   // more than 10 attachments
  EXPECT_NE(error_of("51-[\"x\",{\"_placeholder\":true,\"num\":1}]"), "");  // num out of range
  EXPECT_NE(error_of("51-[\"x\",{\"_placeholder\":true,\"num\":\"0\"}]"), "");
  EXPECT_NE(error_of("21234567890123456[\"x\"]"), "");  // ack id beyond a JS number's precision
}

TEST(SocketIoCodec, RefusesDeeplyNestedDataWithoutRecursing) {
  const std::string deep = "2[\"x\"," + std::string(100000, '[') + std::string(100000, ']') + "]";
  EXPECT_NE(error_of(deep), "");
}

TEST(SocketIoCodec, EncodesLikeTheReference) {
  Packet p;
  p.type = PacketType::Connect;
  p.json = "{\"sid\":\"abc\"}";
  EXPECT_EQ(encode_packet(p), "0{\"sid\":\"abc\"}");

  p = Packet{};
  p.type = PacketType::ConnectError;
  p.nsp = "/nope";
  p.json = R"({"message":"Invalid namespace"})";
  EXPECT_EQ(encode_packet(p), R"(4/nope,{"message":"Invalid namespace"})");

  EXPECT_EQ(encode_event("status", "[{\"a\":1}]"), "2[\"status\",{\"a\":1}]");
  EXPECT_EQ(encode_event("ping"), "2[\"ping\"]");
  EXPECT_EQ(encode_event("ping", ""), "2[\"ping\"]");
  EXPECT_EQ(encode_event("we\"ird"), "2[\"we\\\"ird\"]");
  EXPECT_EQ(encode_event("up", "[{\"_placeholder\":true,\"num\":0}]", 1),
            "51-[\"up\",{\"_placeholder\":true,\"num\":0}]");
  EXPECT_EQ(encode_ack(7, "[1,2]"), "37[1,2]");
  EXPECT_EQ(encode_ack(0, "[]"), "30[]");
  EXPECT_EQ(encode_ack(9, "[{\"_placeholder\":true,\"num\":0}]", 1),
            "61-9[{\"_placeholder\":true,\"num\":0}]");
  EXPECT_EQ(encode_broadcast_message("claude_event", "{\"type\":\"hook\"}"),
            "42[\"claude_event\",{\"type\":\"hook\"}]");
}

TEST(SocketIoCodec, EventArgumentsAreCutByteForByte) {
  EXPECT_EQ(event_arguments_json("[\"echo\",1,{\"b\":2,\"a\":1}]"), "[1,{\"b\":2,\"a\":1}]");
  EXPECT_EQ(event_arguments_json("[\"echo\"]"), "[]");
  EXPECT_EQ(event_arguments_json("[ \"ec\\\"ho\" , 1.50 ]"), "[ 1.50 ]");
  EXPECT_EQ(event_arguments_json("[7,\"x\"]"), "[\"x\"]");
  EXPECT_EQ(event_arguments_json("[\"a,b]\",true]"), "[true]");
}

TEST(SocketIoCodec, DecodedThenEncodedIsTheSameText) {
  for (const std::string text : {"2[\"chat\",1]", "2/admin,5[\"x\",{\"y\":null}]", "37[]",
                                 "51-2[\"up\",{\"_placeholder\":true,\"num\":0}]", "0{\"token\":\"t\"}"}) {
    Packet p = decoded(text);
    EXPECT_EQ(encode_packet(p), text);
  }
}

TEST(SocketIoCodec, AssemblesBinaryAttachments) {
  BinaryAssembler assembler;
  EXPECT_FALSE(assembler.active());
  assembler.begin(decoded("52-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"));
  EXPECT_TRUE(assembler.active());
  EXPECT_FALSE(assembler.add("first"));
  EXPECT_TRUE(assembler.add("second"));
  const auto attachments = assembler.take_attachments();
  const Packet p = assembler.take_packet();
  EXPECT_FALSE(assembler.active());
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[1], "second");
  EXPECT_EQ(p.attachments, 2u);
}

TEST(SocketIoCodec, PlaceholderCheckWalksNestedData) {
  const auto data = nlohmann::json::parse(
      R"(["x",{"deep":[{"_placeholder":true,"num":1}]},{"_placeholder":true,"num":0}])");
  EXPECT_TRUE(placeholders_valid(data, 2));
  EXPECT_FALSE(placeholders_valid(data, 1));
  EXPECT_TRUE(placeholders_valid(nlohmann::json::parse(R"([{"_placeholder":false,"num":9}])"), 0));
}

TEST(SocketIoCodec, EncodesAClientConnectWithAndWithoutAuth) {
  EXPECT_EQ(encode_connect(), "0");
  EXPECT_EQ(encode_connect(R"({"token":"t"})"), R"(0{"token":"t"})");
  EXPECT_EQ(encode_connect("", "/admin"), "0/admin,");
  Packet p;
  ASSERT_EQ(decode_packet(encode_connect(R"({"token":"secret"})"), p), "");
  EXPECT_EQ(p.type, PacketType::Connect);
  EXPECT_EQ(p.nsp, "/");
  EXPECT_EQ(p.data["token"], "secret");
}

}  // namespace
}  // namespace hookbroker::socketio_codec
