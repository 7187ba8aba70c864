// libFuzzer target: the HTTP front's request reading (transport_socketio's
// HttpRequestReader: head limit, libs/http_framing's checks, Beast's parse,
// Content-Length and chunked bodies, the early 413, upgrades), on a
// connection's bytes. Besides not crashing:
//   - split-invariance: the bytes fed in one piece and fed in pieces (sizes
//     taken from the input) give the same requests, bodies, keep-alive and
//     the same end (refusal status, upgrade with the same remaining bytes).
//     Whatever the network does to the segments, pipelined requests are read
//     the same;
//   - every body is within the limit, and a refusal has a 4xx/5xx status and
//     a reason;
//   - after a Continue the reader never asks for "100 Continue" again for
//     the same request.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http_request_reader.hpp"

using hookbroker::sio::HttpRequestReader;

namespace {

constexpr std::size_t kMaxHead = 512;
constexpr std::size_t kMaxBody = 1024;

void check(bool ok) {
  if (!ok) std::abort();
}

struct Outcome {
  std::vector<std::string> requests;  ///< method, target, headers, body, keep-alive of each
  int refused = 0;
  bool upgraded = false;
  std::string left;  ///< after an upgrade

  bool operator==(const Outcome& o) const {
    return requests == o.requests && refused == o.refused && upgraded == o.upgraded && left == o.left;
  }
};

std::string describe(hookbroker::HttpRequest r, const HttpRequestReader& reader) {
  std::string out = r.method + ' ' + r.path + '?' + r.query + '\n';
  for (const auto& [name, value] : r.headers) out += name + ':' + value + '\n';
  out += std::to_string(reader.version()) + (reader.keep_alive() ? "k" : "c") + (reader.head_method() ? "h" : "") +
         '\n' + r.body;
  check(r.body.size() <= kMaxBody);
  return out;
}

/// Feeds `data` in pieces whose sizes come from `cuts` (empty: one piece).
Outcome read_all(std::string_view data, std::string_view cuts) {
  HttpRequestReader reader(kMaxHead, kMaxBody);
  Outcome out;
  std::size_t pos = 0;
  std::size_t cut = 0;
  bool continued = false;
  while (true) {
    const HttpRequestReader::Step step = reader.next();
    switch (step) {
      case HttpRequestReader::Step::Request:
        out.requests.push_back(describe(reader.take_request(), reader));
        continued = false;
        continue;
      case HttpRequestReader::Step::Continue:
        check(!continued);
        continued = true;
        continue;
      case HttpRequestReader::Step::Upgrade:
        out.upgraded = true;
        out.requests.push_back(describe(reader.take_request(), reader));
        out.left = reader.take_buffered() + std::string(data.substr(pos));
        return out;
      case HttpRequestReader::Step::Refuse:
        out.refused = reader.refusal().status;
        check(out.refused >= 400 && out.refused <= 599 && !reader.refusal().reason.empty());
        return out;
      case HttpRequestReader::Step::NeedMore:
        break;
    }
    if (pos == data.size()) return out;
    std::size_t n = data.size() - pos;
    if (!cuts.empty()) n = std::min<std::size_t>(n, 1 + static_cast<unsigned char>(cuts[cut++ % cuts.size()]) % 64);
    reader.add(data.substr(pos, n));
    pos += n;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  // The first bytes say how to cut the rest: [n][n cut sizes][connection bytes].
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const std::size_t n = input.empty() ? 0 : std::min<std::size_t>(static_cast<unsigned char>(input[0]) % 16, size - 1);
  const std::string_view cuts = input.substr(input.empty() ? 0 : 1, n);
  const std::string_view data = input.substr(input.empty() ? 0 : 1 + n);
  const Outcome whole = read_all(data, {});
  const Outcome pieces = read_all(data, cuts.empty() ? std::string_view("\x01", 1) : cuts);
  check(whole == pieces);
  return 0;
}
