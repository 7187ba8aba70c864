#include "adapter_packet.hpp"

#include <gtest/gtest.h>

using namespace hookbroker::cluster;

namespace {
std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}
}  // namespace

// Bytes @socket.io/redis-emitter 5.1.0 publishes (notepack.io), captured with
// node: emitter.emit("deploy", {a: 1}) and emitter.to("room1").emit("r", 1).
TEST(AdapterPacket, ReadsWhatTheStockEmitterPublishes) {
  const auto all = decode_adapter_broadcast(
      "socket.io", "socket.io#/#",
      from_hex("93a7656d697474657283a47479706502a46461746192a66465706c6f7981a16101a36e7370a12f83a5726f6f6d7390a566"
               "6c61677380a665786365707490"));
  ASSERT_TRUE(all.broadcast) << all.error;
  EXPECT_EQ(all.broadcast->uid, "emitter");
  EXPECT_EQ(all.broadcast->event, "deploy");
  EXPECT_EQ(all.broadcast->args, nlohmann::json::array({{{"a", 1}}}));
  EXPECT_FALSE(all.broadcast->to_rooms);

  const auto room = decode_adapter_broadcast(
      "socket.io", "socket.io#/#room1#",
      from_hex("93a7656d697474657283a47479706502a46461746192a17201a36e7370a12f83a5726f6f6d7391a5726f6f6d31a5666c61"
               "677380a665786365707490"));
  ASSERT_TRUE(room.broadcast) << room.error;
  EXPECT_TRUE(room.broadcast->to_rooms);
}

TEST(AdapterPacket, WhatItWritesReadsBackAsOneEventWithOneArgument) {
  const std::string bytes = encode_adapter_broadcast("hookbroker:n1:b", "claude_event", {{"type", "hook"}});
  const auto back = decode_adapter_broadcast("socket.io", adapter_channel("socket.io"), bytes);
  ASSERT_TRUE(back.broadcast) << back.error;
  EXPECT_EQ(back.broadcast->uid, "hookbroker:n1:b");
  EXPECT_EQ(back.broadcast->event, "claude_event");
  EXPECT_EQ(back.broadcast->args, nlohmann::json::array({{{"type", "hook"}}}));
  EXPECT_EQ(adapter_channel("socket.io"), "socket.io#/#");
  EXPECT_EQ(adapter_pattern("socket.io"), "socket.io#/#*");
}

TEST(AdapterPacket, RefusesWhatItCannotDeliverSayingWhy) {
  EXPECT_NE(decode_adapter_broadcast("socket.io", "socket.io#/admin#", "x").error.find("namespace"), std::string::npos);
  EXPECT_NE(decode_adapter_broadcast("socket.io", "socket.io#/#", "\xc1").error.find("MessagePack"),
            std::string::npos);
  auto as_msgpack = [](const nlohmann::json& j) {
    auto bytes = nlohmann::json::to_msgpack(j);
    return std::string(bytes.begin(), bytes.end());
  };
  const auto binary = decode_adapter_broadcast(
      "socket.io", "socket.io#/#", as_msgpack({"u", {{"type", 5}, {"data", {"e"}}, {"nsp", "/"}}, nlohmann::json::object()}));
  EXPECT_NE(binary.error.find("binary"), std::string::npos) << binary.error;
  const auto other_nsp = decode_adapter_broadcast(
      "socket.io", "socket.io#/#", as_msgpack({"u", {{"type", 2}, {"data", {"e"}}, {"nsp", "/chat"}}, nlohmann::json::object()}));
  EXPECT_FALSE(other_nsp.broadcast);
}

TEST(AdapterPacket, TheSenderIsReadWithoutDecodingTheRest) {
  // The stock emitter's packet (above) and ours, a uid past fixstr's 31
  // bytes (str 8), and one whose rest is not even MessagePack: the uid is
  // all a node reads of the packets the other nodes of its cluster publish.
  EXPECT_EQ(adapter_sender(from_hex("93a7656d697474657283a47479706502")), "emitter");
  EXPECT_EQ(adapter_sender(encode_adapter_broadcast("hookbroker:n1:b", "claude_event", {{"type", "hook"}})),
            "hookbroker:n1:b");
  const std::string long_uid = "hookbroker:" + std::string(40, 'n') + ":0123456789abcdef";
  EXPECT_EQ(adapter_sender(encode_adapter_broadcast(long_uid, "claude_event", nullptr)), long_uid);
  EXPECT_EQ(adapter_sender(from_hex("93a3616263") + "\xc1\xc1"), "abc");
  // Not [string, ...], or cut short: no sender, and the decoder says why.
  EXPECT_EQ(adapter_sender(""), "");
  EXPECT_EQ(adapter_sender("\xc1"), "");
  EXPECT_EQ(adapter_sender(from_hex("9301")), "");          // [1, ...]
  EXPECT_EQ(adapter_sender(from_hex("93a5616263")), "");    // a 5-byte str with 3 bytes
  EXPECT_EQ(adapter_sender(from_hex("93d9")), "");          // str 8 without its length
  EXPECT_EQ(adapter_sender(from_hex("dc0003a3616263")), "abc");  // array 16
}
