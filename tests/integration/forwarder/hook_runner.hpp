// Runs the real hookbroker-hook the way Claude Code does: JSON on stdin,
// stdout and stderr captured, exit code and wall time measured.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace forwarder_it {

struct HookRun {
  int exit_code = -1;  ///< -1: did not finish in time (killed)
  std::string out;
  std::string err;
  std::chrono::microseconds took{0};
};

/// The built hookbroker-hook (and its siblings) in build/bin.
std::string bin(const std::string& name);

/// Runs `argv` with `input` on stdin and exactly `env` as the environment
/// (plus PATH). Never waits longer than `timeout`.
HookRun run_with_input(const std::vector<std::string>& argv, const std::string& input,
                       const std::map<std::string, std::string>& env,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// A Claude Code PreToolUse payload tagged with a sender and sequence number.
std::string hook_payload(const std::string& session, const std::string& sender, int seq);

}  // namespace forwarder_it
