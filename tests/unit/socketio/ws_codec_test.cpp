// The transport's WebSocket framing (ws_codec.hpp, websocketpp's hybi13
// underneath): the frames the server writes, byte for byte, and the reading
// of a client's frames in any split.
#include "ws_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hookbroker::sio {
namespace {

using ws_codec::FrameReader;

std::string masked(int opcode, const std::string& payload, bool fin = true) {
  std::string f{static_cast<char>((fin ? 0x80 : 0) | opcode)};
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>(payload.size() >> 8);
    f += static_cast<char>(payload.size() & 0xff);
  }
  const std::string key = "\x01\x02\x03\x04";
  f += key;
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ key[i % 4]);
  return f;
}

/// Every message in `bytes`, fed `piece` bytes at a time; "error NNNN" ends it.
std::vector<std::string> read_all(std::string bytes, std::size_t piece, std::size_t max_message = 1024) {
  FrameReader reader(max_message);
  std::vector<std::string> out;
  FrameReader::Message message;
  for (std::size_t pos = 0; pos < bytes.size();) {
    const std::size_t end = std::min(bytes.size(), pos + piece);
    while (pos < end) {
      std::size_t used = 0;
      const auto step = reader.next(bytes.data() + pos, end - pos, used, message);
      pos += used;
      if (step == FrameReader::Step::Error) {
        out.push_back("error " + std::to_string(reader.error_code()));
        return out;
      }
      if (step == FrameReader::Step::Message)
        out.push_back(std::to_string(static_cast<int>(message.kind)) + ":" + std::to_string(message.close_code) +
                      ":" + message.payload);
    }
  }
  return out;
}

TEST(WsCodec, ServerFramesAreUnmaskedAndWhole) {
  EXPECT_EQ(ws_codec::text_frame("hello")->bytes, "\x81\x05hello");
  EXPECT_EQ(ws_codec::binary_frame(std::string("\x00\x01", 2))->bytes, std::string("\x82\x02\x00\x01", 4));
  EXPECT_EQ(ws_codec::pong_frame("hb")->bytes, "\x8A\x02hb");
  EXPECT_EQ(ws_codec::close_frame(1008, "slow")->bytes, "\x88\x06\x03\xF0slow");
  EXPECT_EQ(ws_codec::close_frame(ws_codec::kNoStatus, "ignored")->bytes, std::string("\x88\x00", 2));
  const std::string big(300, 'x');
  EXPECT_EQ(ws_codec::text_frame(big)->bytes, std::string("\x81\x7E\x01\x2C", 4) + big);
  EXPECT_EQ(ws_codec::text_frame("\xff"), nullptr);  // not UTF-8: never sent as text
}

TEST(WsCodec, ARunIsItsFramesBackToBackFramedOnce) {
  OutboundRun run;
  run.add(std::make_shared<const std::string>("42[\"a\"]"));
  run.add(std::make_shared<const std::string>("\xff"));  // left out
  run.add(std::make_shared<const std::string>("42[\"b\"]"));
  EXPECT_EQ(ws_codec::run_frames(run)->bytes, "\x81\x07" "42[\"a\"]" "\x81\x07" "42[\"b\"]");
}

TEST(WsCodec, TheAcceptKeyIsRfc6455s) {
  EXPECT_EQ(ws_codec::accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsCodec, AClientsFramesReadTheSameInAnySplit) {
  const std::string bytes = masked(1, "40") + masked(1, "4", false) + masked(9, "p") + masked(0, "2", false) +
                            masked(0, "x") + masked(2, std::string("\x00\xff", 2)) + masked(10, "") +
                            masked(8, std::string("\x03\xe8") + "bye");
  const std::vector<std::string> expected = {"0:0:40",  "2:0:p",        "0:0:42x",
                                             std::string("1:0:\x00\xff", 6), "3:0:", "4:1000:bye"};
  for (std::size_t piece = 1; piece <= bytes.size(); ++piece) EXPECT_EQ(read_all(bytes, piece), expected) << piece;
}

TEST(WsCodec, ProtocolErrorsCarryTheirCloseCode) {
  std::string unmasked = masked(1, "40");
  unmasked[1] = static_cast<char>(unmasked[1] & 0x7f);
  unmasked.erase(2, 4);
  EXPECT_EQ(read_all(unmasked, 64), std::vector<std::string>{"error 1002"});
  EXPECT_EQ(read_all(masked(1, "\xff"), 64), std::vector<std::string>{"error 1007"});
  EXPECT_EQ(read_all(masked(1, std::string(20, 'a')), 64, 10), std::vector<std::string>{"error 1009"});
  // Fragments add up: two of 8 bytes pass a 10-byte limit.
  EXPECT_EQ(read_all(masked(1, std::string(8, 'a'), false) + masked(0, std::string(8, 'a')), 64, 10),
            std::vector<std::string>{"error 1009"});
  EXPECT_EQ(read_all(masked(8, "\x03"), 64), std::vector<std::string>{"error 1002"});  // a one-byte close code
  EXPECT_EQ(read_all(masked(9, std::string(126, 'p')), 200).front().rfind("error 100", 0), 0u);  // long control frame
}

TEST(WsCodec, MessagesLongerThanTheReservationCapReadWhole) {
  // A payload's memory follows the bytes that arrived, not the sizes frame
  // headers declare: the first frame's reservation is capped, a
  // continuation's is given back after each read. The bytes still add up.
  std::string text;
  for (int i = 0; text.size() < 70000; ++i) text += std::to_string(i) + ",";
  const std::string bytes = masked(1, text.substr(0, 10000), false) + masked(0, text.substr(10000));
  for (const std::size_t piece : {7u, 1000u, 65536u, 200000u})
    EXPECT_EQ(read_all(bytes, piece, 100000), std::vector<std::string>{"0:0:" + text}) << piece;
}

}  // namespace
}  // namespace hookbroker::sio
