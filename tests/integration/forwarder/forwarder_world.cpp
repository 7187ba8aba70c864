#include "forwarder_world.hpp"

#include <sys/stat.h>

#include "json_lines.hpp"
#include "wait.hpp"

namespace forwarder_it {

ForwarderWorld::ForwarderWorld() { ::mkdir(state_dir().c_str(), 0700); }

void ForwarderWorld::start_broker(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--port", std::to_string(port_), "--state-dir", state_dir(),
                                   "--heartbeat-interval-s", "60",
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + broadcasts_path(),
                                   "--set", "plugins.spool_replay.config.start_delay_s=0.05",
                                   "--set", "plugins.spool_replay.config.poll_interval_s=0.2"};
  args.insert(args.end(), extra.begin(), extra.end());
  broker_ = std::make_unique<hbtest::BrokerProcess>(args);
  if (!broker_->wait_for_log("hookbroker .* running", std::chrono::seconds(10)))
    throw std::runtime_error("broker did not report running:\n" + broker_->output());
  // Read the port from a whole line only: the log may be caught mid-line.
  const std::string text = broker_->output();
  const std::string marker = "listening on http://";
  const std::size_t at = text.find(marker);
  const std::size_t end = at == std::string::npos ? std::string::npos : text.find('\n', at);
  const std::size_t colon = end == std::string::npos ? std::string::npos : text.rfind(':', end);
  if (colon == std::string::npos || colon < at) throw std::runtime_error("no listening line:\n" + text);
  port_ = std::stoi(text.substr(colon + 1, end - colon - 1));
}

int ForwarderWorld::stop_broker(int signal) {
  const int code = broker_->stop(signal, std::chrono::seconds(10));
  past_output_ += broker_->output();
  broker_.reset();
  return code;
}

std::string ForwarderWorld::all_broker_output() const {
  return past_output_ + (broker_ ? broker_->output() : std::string());
}

std::map<std::string, std::string> ForwarderWorld::hook_env() const {
  // HOME and XDG_CONFIG_HOME point into the test: never a user's real config.
  return {{"HOME", dir_.path()},
          {"XDG_CONFIG_HOME", dir_.file("no-config")},
          {"HOOKBROKER_PORT", std::to_string(port_ ? port_ : 1)},
          {"HOOKBROKER_STATE_DIR", state_dir()}};
}

HookRun ForwarderWorld::run_hook(const std::string& input, std::vector<std::string> args) const {
  args.insert(args.begin(), bin("hookbroker-hook"));
  return run_with_input(args, input, hook_env());
}

std::vector<nlohmann::json> ForwarderWorld::hook_events() const {
  return hbtest::broadcasts(broadcasts_path(), "claude_event");
}

bool ForwarderWorld::wait_for_events(std::size_t count, std::chrono::milliseconds timeout) const {
  return hbtest::wait_until([&] { return hook_events().size() >= count; }, timeout, std::chrono::milliseconds(20));
}

bool ForwarderWorld::spool_empty() const {
  struct stat st;
  const bool active = ::stat((spool_dir() + "/events.spool").c_str(), &st) == 0 && st.st_size > 0;
  const bool draining = ::stat((spool_dir() + "/draining.spool").c_str(), &st) == 0;
  return !active && !draining;
}

}  // namespace forwarder_it
