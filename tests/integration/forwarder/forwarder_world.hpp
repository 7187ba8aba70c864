// One test's world: a state directory shared by the broker and the hook
// forwarder, the broker's broadcasts in a JSON-lines file, and helpers to
// (re)start the broker on a fixed port and run hookbroker-hook against it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "hook_runner.hpp"
#include "temp_dir.hpp"

namespace forwarder_it {

class ForwarderWorld {
 public:
  ForwarderWorld();

  std::string state_dir() const { return dir_.file("state"); }
  std::string spool_dir() const { return state_dir() + "/spool"; }
  std::string broadcasts_path() const { return dir_.file("broadcasts.jsonl"); }
  std::string hook_log() const { return state_dir() + "/hook.log"; }
  int port() const { return port_; }

  /// Starts the broker (first time on a free port, later on the same one)
  /// and waits until it runs. `extra` are more broker arguments.
  void start_broker(std::vector<std::string> extra = {});
  hbtest::BrokerProcess& broker() { return *broker_; }
  bool broker_running() const { return broker_ != nullptr; }
  /// SIGTERM (orderly) or SIGKILL; waits for the exit.
  int stop_broker(int signal = 15);
  /// Everything every broker of this world printed so far.
  std::string all_broker_output() const;

  /// Environment for hookbroker-hook: this world's broker and state.
  std::map<std::string, std::string> hook_env() const;
  HookRun run_hook(const std::string& input, std::vector<std::string> args = {}) const;

  /// Every claude_event the broker broadcast so far, in order (the "data" part).
  std::vector<nlohmann::json> hook_events() const;
  /// Waits until hook_events() has at least `count` entries.
  bool wait_for_events(std::size_t count, std::chrono::milliseconds timeout) const;
  /// Nothing waits in the spool.
  bool spool_empty() const;

 private:
  hbtest::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<hbtest::BrokerProcess> broker_;
  std::string past_output_;
};

}  // namespace forwarder_it
