// HTTP field text as RFC 9110 defines it, for every place that reads or
// compares header fields (the server's framing checks and policy, the
// client's answer reader): names compare case-insensitively in ASCII, and
// values lose optional whitespace (OWS: spaces and tabs) at both ends.
// Header-only, so the hook forwarder's client pulls in no object for it.
#pragma once

#include <string>
#include <string_view>

namespace hookbroker::http_framing {

/// ASCII lower case; other bytes (UTF-8 included) unchanged, whatever the locale.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

/// `text` without leading and trailing spaces and tabs.
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace hookbroker::http_framing
