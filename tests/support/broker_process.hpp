// Runs the real hookbroker binary for an integration test.
//
//   hbtest::BrokerProcess broker({"--port", "0", "--heartbeat-interval-s", "0.2"});
//   ASSERT_TRUE(broker.wait_for_log("System heartbeat sent", 5s));
//   int port = broker.port();
//   EXPECT_EQ(broker.stop(), 0);
//
// Output (stdout and stderr) goes to files in a temp dir, so a test can read
// everything the broker printed, at any time. The destructor kills a broker
// that is still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "wait.hpp"

namespace hbtest {

using namespace std::chrono_literals;

std::string broker_binary();      ///< build/bin/hookbroker
std::string builtin_plugin_dir(); ///< build/lib/hookbroker/plugins
std::string source_dir();
std::string build_dir();

class BrokerProcess {
 public:
  /// Starts `program` (default: the broker) with `args`; `env` entries are
  /// added to (or replace in) the test's environment. HOME, XDG_CONFIG_HOME
  /// and XDG_STATE_HOME point into the process's temp dir unless given, so a
  /// user's real config never leaks into a test.
  /// `max_open_files` > 0 sets the child's RLIMIT_NOFILE (soft and hard)
  /// before it starts, for tests of descriptor exhaustion.
  explicit BrokerProcess(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                         std::string program = broker_binary(), int max_open_files = 0);
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  pid_t pid() const { return pid_; }
  const TempDir& dir() const { return dir_; }

  std::string stdout_text() const;
  std::string stderr_text() const;
  /// stdout and stderr together (stderr first).
  std::string output() const { return stderr_text() + stdout_text(); }

  /// Waits until the output matches `regex` (ECMAScript) at least `count` times.
  bool wait_for_log(const std::string& regex, std::chrono::milliseconds timeout, std::size_t count = 1);
  /// Number of matches of `regex` in the output so far.
  std::size_t count_log(const std::string& regex) const;

  /// The port from the transport's "listening on http://HOST:PORT" line
  /// (waits up to 10 s); -1 when it never appears.
  int port();

  bool running();
  /// Sends `signal`, waits up to `timeout` for exit; returns the exit code,
  /// 128+N if killed by signal N, or -1 on timeout (the process is then killed).
  int stop(int signal = 15, std::chrono::milliseconds timeout = 5000ms);
  /// Waits for the process to exit by itself; exit code as for stop().
  int wait_exit(std::chrono::milliseconds timeout = 5000ms);

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool exited_ = false;
  int cached_port_ = -1;
};

/// Runs a command to completion (no shell), returns its exit code and output.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 30000ms,
                          std::map<std::string, std::string> env = {});

}  // namespace hbtest
