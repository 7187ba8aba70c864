// hookbroker-loadgen: a native Socket.IO load generator for comparing
// Socket.IO brokers (hookbroker and its Node peer) on one machine. It posts
// events over HTTP at a fixed rate, receives them on N WebSocket clients and
// reports delivery latency, loss, and the CPU and memory of the server (from
// /proc) and of itself. Driven by bench/socketio/compare.py.
#include <iostream>

#include <CLI/CLI.hpp>

#include "scenarios.hpp"

int main(int argc, char** argv) {
  loadgen::Settings s;
  std::string scenario = "rate";
  CLI::App app{"Socket.IO broker load generator (loopback only)"};
  app.add_option("scenario", scenario, "rate | idle | max")->check(CLI::IsMember({"rate", "idle", "max"}));
  app.add_option("--host", s.host, "server address")->check(CLI::IsMember({"127.0.0.1", "::1", "localhost"}));
  app.add_option("--port", s.ports, "server port; several (comma-separated) for the nodes of a cluster")
      ->required()
      ->delimiter(',');
  app.add_option("--path", s.path, "Engine.IO path");
  app.add_option("--server-pid", s.server_pids, "server process(es) for CPU/RSS readings, summed")->delimiter(',');
  app.add_option("--redis-pid", s.redis_pid, "a cluster's redis-server, for its CPU apart");
  app.add_option("--threads", s.threads, "receiving threads")->check(CLI::Range(1, 64));
  app.add_option("--posters", s.posters, "HTTP keep-alive connections posting events")->check(CLI::Range(1, 64));
  app.add_option("--sessions", s.sessions, "distinct session ids in the events");
  app.add_option("--clients", s.clients, "WebSocket clients (max: the most to try)")->check(CLI::Range(1, 20000));
  app.add_option("--window", s.window, "handshakes in flight at once")->check(CLI::Range(1, 5000));
  app.add_option("--rates", s.rates, "events/s of each measured phase, in order")->delimiter(',');
  app.add_option("--duration", s.duration, "seconds of posting per phase")->check(CLI::Range(0.1, 60.0));
  app.add_option("--warmup", s.warmup, "seconds of posting before measuring")->check(CLI::Range(0.0, 60.0));
  app.add_option("--drain-timeout", s.drain_timeout, "seconds to wait for late deliveries")->check(CLI::Range(0.1, 60.0));
  app.add_flag("--stop-when-failing", s.stop_when_failing, "stop at the first phase that does not hold its rate");
  app.add_option("--retries", s.retries, "tries of a failing phase before stopping")->check(CLI::Range(0, 5));
  app.add_option("--give-up-after", s.give_up_after, "consecutive failed rates that stop the ladder")
      ->check(CLI::Range(1, 10));
  app.add_option("--p99-limit-ms", s.p99_limit_ms, "p99 latency a held rate must stay within");
  app.add_option("--settle", s.settle, "seconds before reading RSS")->check(CLI::Range(0.0, 60.0));
  app.add_option("--step", s.step, "clients added per step (max)")->check(CLI::Range(1, 20000));
  CLI11_PARSE(app, argc, argv);

  if (scenario == "idle") return loadgen::run_idle(s);
  if (scenario == "max") return loadgen::run_max(s);
  return loadgen::run_rate(s);
}
