// hookbroker SDK — parsing JSON that comes from outside, safely.
//
// nlohmann::json parses without recursion, but serializing, comparing and
// copying a value recurse once per nesting level, so a hostile body nested
// 100,000 levels deep would overflow the stack later. parse_json_input refuses
// such input up front, and says precisely what was wrong.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hookbroker {

struct JsonInput {
  bool ok = false;
  nlohmann::json value;
  std::string error;  ///< when !ok: what was wrong, fit to show a sender
};

/// Depth of the deepest array/object nesting, scanning outside strings only.
/// Stops counting (returns limit + 1) as soon as `limit` is exceeded.
inline std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// Parses `text` as one JSON value. Rejects empty input, nesting deeper than
/// `max_depth`, syntax errors and invalid UTF-8, each with its own message.
inline JsonInput parse_json_input(std::string_view text, std::size_t max_depth = 64) {
  JsonInput out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.error = "empty body: send one JSON object";
    return out;
  }
  if (json_nesting_depth(text, max_depth) > max_depth) {
    out.error = "JSON nested deeper than " + std::to_string(max_depth) +
                " levels: flatten the payload";
    return out;
  }
  try {
    out.value = nlohmann::json::parse(text.begin(), text.end());
    out.ok = true;
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for numbers beyond a double ("1e999").
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error while parsing value - invalid literal; ..."; keep
    // the part after the id, which names the position and the problem.
    std::string what = e.what();
    const auto pos = what.find("] ");
    if (pos != std::string::npos) what = what.substr(pos + 2);
    // The message quotes the bytes last read; for invalid UTF-8 those bytes
    // would make the error itself unserializable as JSON. Show them as \xNN.
    std::string printable;
    for (unsigned char c : what) {
      if (c >= 0x20 && c < 0x7f) {
        printable += static_cast<char>(c);
      } else {
        static const char* hex = "0123456789abcdef";
        printable += "\\x";
        printable += hex[c >> 4];
        printable += hex[c & 0xf];
      }
    }
    out.error = "invalid JSON: " + printable;
  }
  return out;
}

}  // namespace hookbroker
