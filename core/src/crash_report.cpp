#include "crash_report.hpp"

#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <initializer_list>

namespace hookbroker::core {

namespace {

void write_text(const char* text) {
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, text, ::strlen(text));
}

void report_and_die(int signal) {
  // Only async-signal-safe calls here; backtrace() was warmed up at install.
  write_text("hookbroker: fatal signal ");
  write_text(::strsignal(signal));
  write_text("; backtrace (addresses: `addr2line -e <file> <offset>`):\n");
  void* frames[64];
  const int n = ::backtrace(frames, 64);
  ::backtrace_symbols_fd(frames, n, STDERR_FILENO);
  ::signal(signal, SIG_DFL);  // die of the same signal: exit status and core dump as usual
  ::raise(signal);
}

}  // namespace

void install_crash_report() {
#if defined(__SANITIZE_ADDRESS__)
  return;  // AddressSanitizer's own handler reports more; do not replace it
#endif
  void* warm[1];
  ::backtrace(warm, 1);  // loads libgcc's unwinder now, not inside the handler
  struct sigaction action {};
  action.sa_handler = report_and_die;
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  ::sigemptyset(&action.sa_mask);
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::sigaction(signal, &action, nullptr);
}

}  // namespace hookbroker::core
