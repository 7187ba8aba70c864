// http:// URLs, the one parser: the broker's address as the tools are given
// it (HOOKBROKER_URL, --url) and the alerts plugin's webhook targets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hookbroker::http_client {

struct HttpUrl {
  std::string url;          ///< as written, for messages
  std::string host;         ///< name or address, without brackets
  std::uint16_t port = 80;  ///< 80 when not given
  std::string target;       ///< path and query, "/" when not given; no fragment
};

/// Parses "http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]" into `out`. Returns ""
/// on success, else what is wrong, worded to follow the URL in a message
/// ("uses https, ...", "has a bad port \"x\" (1-65535)"); `out` is then
/// unspecified. https is refused rather than sent in clear by surprise.
std::string parse_http_url(std::string_view url, HttpUrl& out);

/// A TCP port, "1" to "65535", digits only; false leaves `port` unchanged.
bool parse_port(std::string_view text, std::uint16_t& port);

/// "host:port", IPv6 addresses in brackets: for Host headers and messages.
std::string authority(const std::string& host, std::uint16_t port);

}  // namespace hookbroker::http_client
