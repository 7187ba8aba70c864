// hookbroker monitor: watch a running broker's heartbeats (and optionally its
// events) from a terminal or a script.
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <CLI/CLI.hpp>

#include "heartbeat_monitor.hpp"
#include "monitor_options.hpp"

int main(int argc, char** argv) {
  using namespace hookbroker;
  CLI::App app{"Connects to a running hookbroker over Socket.IO and prints each heartbeat as it arrives: uptime, "
               "clients, events and every session with its state. Reconnects by itself when the broker restarts.",
               "hookbroker monitor"};
  monitor::MonitorOptions options;
  monitor::add_monitor_options(app, options);
  app.footer("Exit codes: 0 a heartbeat arrived (--once) or stopped by Ctrl-C/SIGTERM; 1 no heartbeat within "
             "--timeout (--once) or the broker refused the connection (token); 2 bad usage.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 has a code per kind of mistake; scripts get one: 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : monitor::kExitUsage;
  }

  const broker_client::BrokerEndpoint configured = broker_client::resolve_broker_endpoint(platform::process_env());
  if (!configured.problems.empty() && options.url.empty())
    std::cerr << "hookbroker monitor: " << configured.problems << std::endl;
  monitor::MonitorTarget target;
  if (const std::string error = monitor::resolve_target(options, configured, target); !error.empty()) {
    std::cerr << "hookbroker monitor: " << error << std::endl;
    return monitor::kExitUsage;
  }

  boost::asio::io_context io;
  monitor::HeartbeatMonitor watcher(io, options, target, std::cout, std::cerr);
  watcher.start();
  io.run();
  return watcher.exit_code();
}
