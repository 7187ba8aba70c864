// The forwarder's diagnostics. Not stdout or stderr: Claude Code reads a
// hook's stdout as instructions and shows stderr to the user (hookbroker-hook
// uses stderr only for a lost event this log could not take). Lines go to
// a log file (default STATE_DIR/hook.log, HOOKBROKER_HOOK_LOG overrides),
// appended with one write each so concurrent hooks do not interleave, and
// rotated to hook.log.1 past 1 MiB.
#pragma once

#include <string>

namespace hookbroker::hook {

class HookLog {
 public:
  explicit HookLog(std::string path) : path_(std::move(path)) {}
  ~HookLog();
  HookLog(const HookLog&) = delete;
  HookLog& operator=(const HookLog&) = delete;

  /// Each returns true when the line was written.
  bool info(const std::string& message) { return write("info", message); }
  bool warn(const std::string& message) { return write("warn", message); }
  bool error(const std::string& message) { return write("error", message); }

  const std::string& path() const { return path_; }
  /// Why the log cannot be written ("" while it can).
  const std::string& problem() const { return problem_; }

 private:
  bool write(const char* level, const std::string& message);

  std::string path_;
  std::string problem_;
  int fd_ = -1;
};

}  // namespace hookbroker::hook
