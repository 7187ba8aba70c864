// The forwarder's diagnostics. Never stdout or stderr: Claude Code reads a
// hook's stdout as instructions and may show stderr to the agent. Lines go to
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

  void info(const std::string& message) { write("info", message); }
  void warn(const std::string& message) { write("warn", message); }
  void error(const std::string& message) { write("error", message); }

  const std::string& path() const { return path_; }

 private:
  void write(const char* level, const std::string& message);

  std::string path_;
  int fd_ = -1;
};

}  // namespace hookbroker::hook
