#include "broker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hbtest {

std::string broker_binary() { return HOOKBROKER_TEST_BINARY; }
std::string builtin_plugin_dir() { return HOOKBROKER_TEST_PLUGIN_DIR; }
std::string source_dir() { return HOOKBROKER_TEST_SOURCE_DIR; }
std::string build_dir() { return HOOKBROKER_TEST_BUILD_DIR; }

namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra,
                                            const std::string& home) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  // Isolate from the developer's real config and state.
  env["HOME"] = home;
  env["XDG_CONFIG_HOME"] = home + "/.config";
  env["XDG_STATE_HOME"] = home + "/.local/state";
  for (auto it = env.begin(); it != env.end();)
    it = it->first.rfind("HOOKBROKER_", 0) == 0 && it->first.rfind("HOOKBROKER_TEST_", 0) != 0 ? env.erase(it)
                                                                                               : std::next(it);
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& out_path,
            const std::string& err_path, const std::string& cwd, int max_open_files) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (::chdir(cwd.c_str()) != 0) _exit(126);
    if (max_open_files > 0) {
      const rlimit limit{static_cast<rlim_t>(max_open_files), static_cast<rlim_t>(max_open_files)};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) _exit(126);
    }
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

BrokerProcess::BrokerProcess(std::vector<std::string> args, std::map<std::string, std::string> env,
                             std::string program, int max_open_files) {
  args.insert(args.begin(), program);
  pid_ = spawn(args, merged_environment(env, dir_.path()), dir_.file("stdout.log"), dir_.file("stderr.log"),
               dir_.path(), max_open_files);
}

BrokerProcess::~BrokerProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string BrokerProcess::stdout_text() const { return read_file(dir_.file("stdout.log")); }
std::string BrokerProcess::stderr_text() const { return read_file(dir_.file("stderr.log")); }

std::size_t BrokerProcess::count_log(const std::string& regex) const {
  const std::string text = output();
  const std::regex re(regex);
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

bool BrokerProcess::wait_for_log(const std::string& regex, std::chrono::milliseconds timeout, std::size_t count) {
  return wait_until([&] { return count_log(regex) >= count; }, timeout, std::chrono::milliseconds(10));
}

int BrokerProcess::port() {
  if (cached_port_ > 0) return cached_port_;
  // [^\s]: the host part must not run past the end of the line; the
  // newline: a line still being written must not yield a prefix of the port.
  const std::regex re("listening on http://[^\\s]*:([0-9]+)[ \\t\\r]*\\n");
  wait_until(
      [&] {
        std::smatch m;
        const std::string text = output();
        if (std::regex_search(text, m, re)) cached_port_ = std::stoi(m[1]);
        return cached_port_ > 0 || !running();
      },
      std::chrono::milliseconds(10000), std::chrono::milliseconds(10));
  return cached_port_;
}

bool BrokerProcess::running() {
  if (exited_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    exit_code_ = decode_status(status);
    return false;
  }
  return r == 0;
}

int BrokerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (!wait_until([&] { return !running(); }, timeout, std::chrono::milliseconds(2))) return -1;
  return exit_code_;
}

int BrokerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (!running()) return exit_code_;
  ::kill(pid_, signal);
  const int code = wait_exit(timeout);
  if (code == -1) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
  }
  return code;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::map<std::string, std::string> env) {
  TempDir dir;
  std::map<std::string, std::string> environment = std::move(env);
  const pid_t pid = spawn(argv, merged_environment(environment, dir.path()), dir.file("out"), dir.file("err"),
                          dir.path(), 0);
  CommandResult result;
  int status = 0;
  const bool done = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout,
                               std::chrono::milliseconds(2));
  if (!done) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    result.exit_code = -1;
  } else {
    result.exit_code = decode_status(status);
  }
  result.out = read_file(dir.file("out"));
  result.err = read_file(dir.file("err"));
  return result;
}

}  // namespace hbtest
