#include "hook_runner.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace forwarder_it {

std::string bin(const std::string& name) { return std::string(HOOKBROKER_TEST_BIN_DIR) + "/" + name; }

HookRun run_with_input(const std::vector<std::string>& argv, const std::string& input,
                       const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  HookRun run;
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return run;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  if (!env.count("PATH")) env_strings.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  // Fill the pipe before the child starts: the forwarder waits only about a
  // second for stdin, and a parent descheduled on a loaded machine (sanitizer
  // runs) must not turn into "no input". Whatever does not fit goes below.
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  std::size_t written = 0;
  if (!input.empty()) {
    const ssize_t w = ::write(in[1], input.data(), input.size());
    if (w > 0) written = static_cast<std::size_t>(w);
  }
  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (written >= input.size()) {
    ::close(in[1]);
    in[1] = -1;
  }
  const auto deadline = started + timeout;
  bool out_open = true, err_open = true;
  char buf[65536];
  while ((out_open || err_open) && Clock::now() < deadline) {
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    const int n = ::poll(fds, in[1] >= 0 ? 3 : 2, 50);
    if (n < 0 && errno == EINTR) continue;
    if (in[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t w = ::write(in[1], input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 && errno != EAGAIN) written = input.size();  // reader went away (EPIPE)
      if (written >= input.size()) {
        ::close(in[1]);
        in[1] = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
      if (r > 0) (i == 0 ? run.out : run.err).append(buf, static_cast<std::size_t>(r));
      else (i == 0 ? out_open : err_open) = false;
    }
  }
  if (in[1] >= 0) ::close(in[1]);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      run.exit_code = -1;
      return run;
    }
    ::usleep(200);
  }
  run.took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string hook_payload(const std::string& session, const std::string& sender, int seq) {
  return nlohmann::json{{"session_id", session},
                        {"transcript_path", "/tmp/" + session + ".jsonl"},
                        {"cwd", "/work"},
                        {"hook_event_name", "PreToolUse"},
                        {"tool_name", "Bash"},
                        {"tool_input", {{"command", "echo " + sender + "-" + std::to_string(seq)}}},
                        {"sender", sender},
                        {"seq", seq}}
      .dump();
}

}  // namespace forwarder_it
