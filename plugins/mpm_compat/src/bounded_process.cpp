#include "bounded_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "confined_path.hpp"

extern char** environ;

namespace hookbroker::mpm {
namespace {

using Clock = std::chrono::steady_clock;

/// posix_spawn's attributes and file actions, destroyed with this object.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// Waits for `pid` until `deadline` (polling, as the child may keep running
/// after closing stdout); kills it at the deadline. True when it ended by
/// itself (`status` is its wait status; 0 when it was reaped elsewhere).
bool reap(pid_t pid, Clock::time_point deadline, int& status) {
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno == ECHILD) {  // SIGCHLD ignored: the kernel reaped it
      status = 0;
      return true;
    }
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::vector<std::string> current_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return env;
}

ProcessResult run_bounded(const std::vector<std::string>& argv, int cwd_fd, const ProcessLimits& limits,
                          std::vector<std::string> env) {
  ProcessResult result;
  if (argv.empty()) {
    result.error = "nothing to run";
    return result;
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return result;
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);

  SpawnSetup setup;
  // The child gets stdin from /dev/null, stdout into our pipe, stderr to
  // /dev/null, the working directory, and none of the broker's sockets.
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, write_end.get(), 1);
  posix_spawn_file_actions_addopen(&setup.actions, 2, "/dev/null", O_WRONLY, 0);
  if (cwd_fd >= 0) posix_spawn_file_actions_addfchdir_np(&setup.actions, cwd_fd);
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  // The child starts with default signal handling whatever the broker set.
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&setup.attributes, &all);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> args = argv;
  auto arg_ptrs = c_strings(args);
  auto env_ptrs = c_strings(env);

  pid_t pid = 0;
  const int spawn_error =
      ::posix_spawnp(&pid, args[0].c_str(), &setup.actions, &setup.attributes, arg_ptrs.data(), env_ptrs.data());
  write_end.reset();
  if (spawn_error != 0) {
    result.error = "cannot run " + args[0] + ": " + std::strerror(spawn_error);
    return result;
  }

  const auto deadline = Clock::now() + limits.timeout;
  char buffer[16384];
  while (read_end.valid()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      kill_and_reap(pid);
      result.outcome = ProcessResult::Outcome::TimedOut;
      return result;
    }
    pollfd p{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      read_end.reset();
      break;
    }
    if (result.output.size() + static_cast<std::size_t>(n) > limits.max_output_bytes) {
      kill_and_reap(pid);
      result.outcome = ProcessResult::Outcome::OutputTooLarge;
      return result;
    }
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  if (!reap(pid, deadline, status)) {
    result.outcome = ProcessResult::Outcome::TimedOut;
    return result;
  }
  if (WIFEXITED(status)) {
    result.outcome = ProcessResult::Outcome::Exited;
    result.exit_code = WEXITSTATUS(status);
  } else {
    result.outcome = ProcessResult::Outcome::Signalled;
  }
  return result;
}

}  // namespace hookbroker::mpm
