// The three things the load generator can do against one server, each
// printing JSON lines on stdout (one per measured phase) and progress on
// stderr. See bench/socketio/README.md for what each figure means.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace loadgen {

struct Settings {
  std::string host = "127.0.0.1";
  /// One server, or the nodes of a cluster: client i connects to ports[i % N]
  /// and event i is posted to ports[i % N], so with N > 1 most deliveries
  /// cross nodes (reported apart as `cross_node_latency_ms`).
  std::vector<std::uint16_t> ports;
  std::string path = "/socket.io/";
  std::vector<pid_t> server_pids;  ///< for CPU and RSS readings (summed); empty: none
  pid_t redis_pid = 0;             ///< a cluster's Redis: its CPU is reported apart; 0: none
  unsigned threads = 2;
  unsigned posters = 4;
  unsigned sessions = 8;
  std::size_t clients = 100;
  std::size_t window = 200;  ///< WebSocket handshakes in flight at once

  // rate
  std::vector<double> rates{500};
  double duration = 5;        ///< seconds of posting per measured phase
  double warmup = 1;          ///< seconds of posting before the first phase
  double drain_timeout = 2;   ///< seconds to wait for deliveries after the last post
  bool stop_when_failing = false;
  unsigned retries = 1;       ///< with stop_when_failing: tries again before stopping
                              ///< (a neighbour's burst on a shared machine is not the server)
  unsigned give_up_after = 1; ///< with stop_when_failing: consecutive failed rates that end the ladder
  double p99_limit_ms = 10;   ///< a phase "holds" its rate only with p99 at or below this

  // idle
  double settle = 2;          ///< seconds before reading RSS

  // max
  std::size_t step = 1000;
};

int run_rate(const Settings& s);
int run_idle(const Settings& s);
int run_max(const Settings& s);

}  // namespace loadgen
