// libFuzzer target: the transport's reading of WebSocket frames from a
// client (ws_codec::FrameReader over websocketpp's hybi13 processor:
// masking, fragmentation, control frames, UTF-8, the size limit), on a
// connection's bytes after the handshake. Besides not crashing:
//   - split-invariance: the bytes fed in one piece and fed in pieces (sizes
//     taken from the input) give the same messages and the same error. The
//     connection feeds whatever each read returned;
//   - every data message is within the limit, every error has a close code
//     a server may send (1002, 1007, 1009, 1011) and a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ws_codec.hpp"

using hookbroker::sio::ws_codec::FrameReader;

namespace {

constexpr std::size_t kMaxMessage = 256;

void check(bool ok) {
  if (!ok) std::abort();
}

struct Outcome {
  std::vector<std::string> messages;  ///< kind, close code, payload of each
  int error = 0;

  bool operator==(const Outcome& o) const { return messages == o.messages && error == o.error; }
};

/// Feeds `data` in pieces whose sizes come from `cuts` (empty: one piece).
Outcome read_all(std::string data, std::string_view cuts) {
  FrameReader reader(kMaxMessage);
  Outcome out;
  std::size_t pos = 0;
  std::size_t cut = 0;
  FrameReader::Message message;
  while (pos < data.size()) {
    std::size_t n = data.size() - pos;
    if (!cuts.empty()) n = std::min<std::size_t>(n, 1 + static_cast<unsigned char>(cuts[cut++ % cuts.size()]) % 32);
    // As the connection does: everything the read returned, message by message.
    std::size_t end = pos + n;
    while (pos < end) {
      std::size_t used = 0;
      const FrameReader::Step step = reader.next(data.data() + pos, end - pos, used, message);
      check(used <= end - pos);
      pos += used;
      if (step == FrameReader::Step::Error) {
        out.error = reader.error_code();
        check(!reader.error_text().empty());
        check(out.error == 1002 || out.error == 1007 || out.error == 1009 || out.error == 1011);
        return out;
      }
      if (step == FrameReader::Step::Message) {
        const bool data_message = message.kind == FrameReader::Kind::Text || message.kind == FrameReader::Kind::Binary;
        check(!data_message || message.payload.size() <= kMaxMessage);
        check(data_message || message.payload.size() <= 125);
        out.messages.push_back(std::to_string(static_cast<int>(message.kind)) + ':' +
                               std::to_string(message.close_code) + ':' + message.payload);
        continue;
      }
      check(pos == end);  // NeedMore takes everything it was given
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  // The first bytes say how to cut the rest: [n][n cut sizes][connection bytes].
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const std::size_t n = input.empty() ? 0 : std::min<std::size_t>(static_cast<unsigned char>(input[0]) % 16, size - 1);
  const std::string_view cuts = input.substr(input.empty() ? 0 : 1, n);
  const std::string data(input.substr(input.empty() ? 0 : 1 + n));
  const Outcome whole = read_all(data, {});
  const Outcome pieces = read_all(data, cuts.empty() ? std::string_view("\x01", 1) : cuts);
  check(whole == pieces);
  return 0;
}
