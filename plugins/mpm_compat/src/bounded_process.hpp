// Running a program with a fixed argument list (no shell), in a directory
// given as an open descriptor, with a deadline and a cap on its output: what
// mpm_compat needs to ask git about a file. Blocking: call it from
// HostApi::run_blocking.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace hookbroker::mpm {

struct ProcessLimits {
  std::chrono::milliseconds timeout{5000};  ///< then the process is killed
  std::size_t max_output_bytes = 1 << 20;   ///< more stdout: the process is killed
};

struct ProcessResult {
  enum class Outcome {
    Exited,          ///< ran to its end: see exit_code
    NotStarted,      ///< could not be started (not installed?): see error
    TimedOut,        ///< killed at the deadline
    OutputTooLarge,  ///< killed when its stdout passed the cap
    Signalled,       ///< ended by a signal of its own
  };
  Outcome outcome = Outcome::NotStarted;
  int exit_code = -1;
  std::string output;  ///< stdout (stderr is discarded)
  std::string error;   ///< for NotStarted
};

/// Runs argv[0] (looked up in PATH) with `argv` and exactly `env`
/// ("NAME=value" each), stdin from /dev/null, stderr discarded, no
/// descriptor of ours inherited but the stdout pipe, in the directory
/// `cwd_fd` refers to (-1: ours).
ProcessResult run_bounded(const std::vector<std::string>& argv, int cwd_fd, const ProcessLimits& limits,
                          std::vector<std::string> env);

/// This process's environment, "NAME=value" each.
std::vector<std::string> current_environment();

}  // namespace hookbroker::mpm
