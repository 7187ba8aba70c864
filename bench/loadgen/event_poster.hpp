// Posts bench events to POST /api/events at a fixed rate over a few HTTP/1.1
// keep-alive connections (Boost.Beast). Open loop: event i is due at
// start + i/rate whatever the server does; a connection that is still waiting
// for its previous answer sends as soon as it has it, and the report says how
// far behind schedule sending fell. A server that closes the connection after
// an answer is reconnected to (and the reconnects are counted). With several
// ports (the nodes of a cluster) event i goes to ports[i % N], round-robin.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loadgen {

struct PostPlan {
  std::string host = "127.0.0.1";
  std::vector<std::uint16_t> ports;
  std::uint64_t run = 0;      ///< phase id written into every event
  std::uint64_t events = 0;   ///< how many to post
  double rate = 0;            ///< events per second
  unsigned connections = 4;   ///< in all; rounded up to a multiple of ports.size()
  unsigned sessions = 8;      ///< distinct session ids the events rotate over
};

struct PostReport {
  std::uint64_t accepted = 0;  ///< answered 204
  std::uint64_t refused = 0;   ///< answered anything else
  std::uint64_t errors = 0;    ///< connection-level failures
  std::uint64_t connects = 0;  ///< TCP connections opened
  double seconds = 0;          ///< first send to last answer
  double max_lag_ms = 0;       ///< worst delay of a send past its due time
  std::string first_problem;
};

PostReport post_events(const PostPlan& plan);

}  // namespace loadgen
