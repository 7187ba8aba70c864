// libFuzzer target: libs/http_framing, the checks every request head passes
// before the transport's HTTP parser (websocketpp's) reads it. Besides not
// crashing:
//   - find_head_end() agrees with a plain search, also when it resumes;
//   - a head without its empty line is never accepted;
//   - a refusal has a status the transport can send and a reason;
//   - differential: every head the checks accept, websocketpp's parser
//     accepts too, and reads the same framing from it (Content-Length, no
//     chunked body hidden behind a case difference), with no control
//     character left in a header value. So nothing the checks let through
//     can be read two ways.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <websocketpp/http/request.hpp>

#include "http_framing/request_head.hpp"

namespace framing = hookbroker::http_framing;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool has_control(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return true;
  }
  return false;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

void agrees_with_websocketpp(std::string_view head, const framing::HeadCheck& accepted) {
  websocketpp::http::parser::request parser;
  parser.set_max_body_size(static_cast<std::size_t>(-1));
  try {
    check(parser.consume(head.data(), head.size()) == head.size());
  } catch (const websocketpp::http::exception&) {
    // websocketpp bounds the head at 16,000 bytes; the transport checks
    // that bound before these checks run.
    check(head.size() > websocketpp::http::max_header_size);
    return;
  }
  for (const auto& [name, value] : parser.get_headers()) check(!has_control(name) && !has_control(value));
  const std::string& length = parser.get_header("Content-Length");
  const std::string coding = lower(parser.get_header("Transfer-Encoding"));
  switch (accepted.framing) {
    case framing::BodyFraming::None:
      check(length.empty() && coding.empty() && parser.ready());
      break;
    case framing::BodyFraming::ContentLength:
      // websocketpp reads the first number of a merged "5, 5".
      check(std::strtoull(length.c_str(), nullptr, 10) == accepted.content_length);
      check(coding.empty());
      check(parser.ready() == (accepted.content_length == 0));
      break;
    case framing::BodyFraming::Chunked:
      check(length.empty() && coding.find("chunked") != std::string::npos);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::size_t end = framing::find_head_end(input);
  const std::size_t plain = input.find("\r\n\r\n");
  check(end == (plain == std::string_view::npos ? plain : plain + 4));
  if (end != std::string_view::npos && end >= 4) {
    // Resuming up to three bytes before a split point finds the same end.
    const std::size_t split = size > 0 ? static_cast<unsigned char>(input[0]) % (end - 3) : 0;
    if (framing::find_head_end(input.substr(0, split)) == std::string_view::npos)
      check(framing::find_head_end(input, split < 3 ? 0 : split - 3) == end);
  }

  const std::string_view head = end == std::string_view::npos ? input : input.substr(0, end);
  const framing::HeadCheck result = framing::check_request_head(head);
  if (end == std::string_view::npos) check(!result.ok());
  if (!result.ok()) {
    check(result.status == 400 || result.status == 413 || result.status == 501 || result.status == 505);
    check(!result.error.empty());
    return 0;
  }
  check(result.error.empty());
  agrees_with_websocketpp(head, result);
  return 0;
}
