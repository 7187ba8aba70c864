// N Socket.IO clients over WebSocket only (`?EIO=4&transport=websocket`),
// spread over several threads, each thread with its own io_context so
// receiving never contends. Boost.Beast's WebSocket stream reads each
// message into one reused buffer, with no allocation per delivery: at 8,000
// ev/s x 100 the load generator spends 1.75-1.79 µs of CPU per delivery
// against 2.09 with websocketpp's client, used before (2026-12-05, shared
// machine). At lower rates the kernel's receive and wake-ups are most of it
// (7-8 µs per delivery at 500 ev/s with either). A client answers the Engine.IO
// open packet with a Socket.IO CONNECT to "/", answers pings with pongs and
// counts every claude_event of the current phase: once, twice (a duplicate),
// never (lost), and how long after it was posted. With several ports (the
// nodes of a cluster) client i connects to ports[i % N]; since event i is
// posted to ports[i % N], a delivery of event s to a client of node c with
// s % N != c crossed nodes, and its latency is also kept apart.
//
// Beast's WebSocket stays inside client_pool.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "latency_histogram.hpp"

namespace loadgen {

struct PhaseStats {
  std::uint64_t clients = 0;            ///< clients connected when the phase began
  std::uint64_t events = 0;             ///< events each of them should receive
  std::uint64_t received = 0;           ///< first deliveries of this phase's events
  std::uint64_t duplicates = 0;         ///< second and later deliveries of one event
  std::uint64_t missing = 0;            ///< expected, never received
  std::uint64_t closed_during = 0;      ///< clients that lost their connection in the phase
  std::uint64_t foreign = 0;            ///< claude_event frames of another phase
  std::uint64_t heartbeats = 0;         ///< system_event frames
  LatencyHistogram latency;             ///< ingest (POST written) to delivery
  LatencyHistogram cross_node_latency;  ///< the same, for events posted to another node than the client's
};

struct OpenReport {
  std::size_t connected = 0;  ///< Socket.IO-connected clients now open
  std::size_t failed = 0;     ///< attempts that ended without a Socket.IO connection
  std::size_t pending = 0;    ///< attempts still unresolved at the deadline
  double seconds = 0;
};

struct PoolState;

class ClientPool {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::vector<std::uint16_t> ports;
    std::string path = "/socket.io/";
    unsigned threads = 2;
  };

  explicit ClientPool(Options options);
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  /// Opens `count` more clients, at most `window` handshakes in flight, until
  /// each one is connected or failed or `deadline` passed.
  OpenReport open(std::size_t count, std::size_t window, std::chrono::milliseconds deadline);

  std::size_t connected() const;  ///< connected and still open
  std::size_t lost() const;       ///< closed after having connected

  /// Starts counting the events of phase `run` (seq 0..events-1) for every
  /// client connected now; returns when every thread has reset.
  void begin_phase(std::uint64_t run, std::uint64_t events);
  /// First deliveries so far in this phase (cheap, for polling).
  std::uint64_t delivered() const;
  /// Collects and merges the phase's counts from every thread.
  PhaseStats end_phase();

  struct Worker;

 private:
  Options options_;
  std::unique_ptr<PoolState> state_;
};

}  // namespace loadgen
