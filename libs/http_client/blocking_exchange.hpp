// The HTTP client's blocking driver: one exchange over a fresh TCP connection
// with a deadline, on raw POSIX sockets. The hook forwarder runs it on every
// hook and must not pay for an I/O framework's start-up; the other tools and
// the tests use it too (through libs/broker_client when they talk to the
// broker).
#pragma once

#include "http_client/http_message.hpp"

namespace hookbroker::http_client {

/// Performs `request`; its host must be a numeric address (no name lookups:
/// they would load NSS modules and cost more than a whole hook). Never
/// throws, never raises SIGPIPE.
Answer exchange(const Request& request);

}  // namespace hookbroker::http_client
