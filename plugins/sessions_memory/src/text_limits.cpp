#include "text_limits.hpp"

namespace hookbroker::sessions {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string truncate_chars(std::string_view text, std::size_t max_chars) {
  if (max_chars == 0) return {};
  std::size_t chars = 0, pos = 0, cut = std::string_view::npos;
  while (pos < text.size()) {
    if (chars == max_chars - 1) cut = pos;  // room for the ellipsis, if it comes to that
    if (chars == max_chars) return std::string(text.substr(0, cut)) + "\u2026";
    ++pos;
    while (pos < text.size() && is_continuation(static_cast<unsigned char>(text[pos]))) ++pos;
    ++chars;
  }
  return std::string(text);
}

std::string first_line(std::string_view text, std::size_t max_chars) {
  return truncate_chars(text.substr(0, text.find_first_of("\r\n")), max_chars);
}

}  // namespace hookbroker::sessions
