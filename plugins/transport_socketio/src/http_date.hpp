// The Date header of the HTTP front's answers (RFC 9110 6.6.1: an origin
// server with a clock must send one), in IMF-fixdate form.
#pragma once

#include <ctime>
#include <string>

namespace hookbroker::sio {

/// `t` as IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". Locale-free.
std::string http_date(std::time_t t);

/// The current second's, formatted once per second per thread.
const std::string& http_date_now();

}  // namespace hookbroker::sio
