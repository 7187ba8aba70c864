// hook_forwarder_bench: what one hook costs the agent, as a whole process
// (fork, exec, read stdin, deliver, exit), for
//   /bin/true                 the floor for any command hook
//   hookbroker-hook (up)      broker running: POST, wait for the 204
//   hookbroker-hook (down)    broker away: append to the spool
//   python3 forwarder         json + urllib POST, Debian's /usr/bin/python3
//   curl -s -d @-             the usual shell one-liner
//   the POST alone            what an "http" hook adds: no process at all
// all in the same run against the same broker, interleaved round by round so
// machine noise hits every candidate alike. Prints p50/p99 and the ratios.
//
//   hook_forwarder_bench [--runs N] [--python-runs M] [--fixture FILE]
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <spawn.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

struct Candidate {
  std::string name;
  std::vector<std::string> argv;
  std::vector<std::string> env;  // the whole environment
  int runs = 0;
  std::vector<double> ms;
  int failures = 0;
  bool in_process = false;  // an http hook: a POST from the caller, no process
};

/// Spawns argv with stdin from `input_path`, stdout/stderr discarded, and
/// returns the wall time until it was reaped (ms), or -1 on failure.
double run_once(const Candidate& c, const std::string& input_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args, envp;
  for (const auto& a : c.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : c.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid;
  const auto start = Clock::now();
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

/// What an "http" hook costs besides Claude Code's own work: one POST on a
/// fresh loopback connection, answered by the broker, no process at all.
double post_once(int port, const std::string& body) {
  const auto start = Clock::now();
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  const std::string request = "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return -1;
  }
  char buf[512];
  const ssize_t n = read(fd, buf, sizeof buf);  // the status line arrives in one segment
  close(fd);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return n >= 12 && std::string(buf + 9, 3) == "204" ? ms : -1;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())));
  return v[i];
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> base_env(const std::string& home) {
  return {"PATH=/usr/bin:/bin", "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "LANG=C.UTF-8"};
}

/// The broker, started on a free port with its state in `dir`.
struct Broker {
  pid_t pid = -1;
  int port = -1;
  Broker(const std::string& dir) {
    const std::string log = dir + "/broker.log";
    const std::string binary = std::string(BENCH_BIN_DIR) + "/hookbroker";
    std::vector<std::string> argv = {binary, "--port", "0", "--state-dir", dir + "/broker-state", "--log-level", "info"};
    auto env = base_env(dir);
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn(&pid, binary.c_str(), &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 200 && port < 0; ++i) {
      // "... listening on http://127.0.0.1:PORT\n", read from a whole line only
      const std::string text = read_file(log);
      const std::size_t at = text.find("listening on http://");
      const std::size_t end = at == std::string::npos ? std::string::npos : text.find('\n', at);
      if (end != std::string::npos) port = std::atoi(text.c_str() + text.rfind(':', end) + 1);
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~Broker() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

int closed_port() {
  // Bind a socket, remember its port, close it: nothing listens there now.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 1000, python_runs = 60;
  std::string fixture = std::string(BENCH_SOURCE_DIR) + "/fixture.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    else if (flag == "--python-runs") python_runs = std::atoi(argv[i + 1]);
    else if (flag == "--fixture") fixture = argv[i + 1];
  }
  char dir_template[] = "/tmp/hookbroker-bench-XXXXXX";
  const std::string dir = mkdtemp(dir_template);

  Broker broker(dir);
  if (broker.port < 0) {
    std::fprintf(stderr, "the broker did not start; see %s/broker.log\n", dir.c_str());
    return 1;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(broker.port) + "/api/events";
  const std::string hook = std::string(BENCH_BIN_DIR) + "/hookbroker-hook";

  auto env_with = [&](std::vector<std::string> extra) {
    auto env = base_env(dir);
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  };
  std::vector<Candidate> candidates = {
      {"/bin/true", {"/bin/true"}, env_with({}), runs, {}, 0},
      {"hookbroker-hook (broker up)", {hook},
       env_with({"HOOKBROKER_PORT=" + std::to_string(broker.port), "HOOKBROKER_STATE_DIR=" + dir + "/up"}), runs, {}, 0},
      {"hookbroker-hook (broker down, spooling)", {hook},
       env_with({"HOOKBROKER_PORT=" + std::to_string(closed_port()), "HOOKBROKER_STATE_DIR=" + dir + "/down"}), runs, {},
       0},
      {"curl -s -d @-", {"/usr/bin/curl", "-s", "-H", "Content-Type: application/json", "-d", "@-", url}, env_with({}),
       runs, {}, 0},
      {"python3 json+urllib forwarder", {"/usr/bin/python3", std::string(BENCH_SOURCE_DIR) + "/python_forwarder.py", url},
       env_with({}), python_runs, {}, 0},
      {"http hook: the POST alone (no process)", {"/bin/true"}, {}, runs, {}, 0, true},
  };
  const std::string fixture_body = read_file(fixture);
  for (auto& c : candidates)
    if (access(c.argv[0].c_str(), X_OK) != 0) {
      std::fprintf(stderr, "skipping %s: %s not found\n", c.name.c_str(), c.argv[0].c_str());
      c.runs = 0;
    }

  // Warm-up (page cache, broker connections), not measured.
  auto measure = [&](const Candidate& c) { return c.in_process ? post_once(broker.port, fixture_body) : run_once(c, fixture); };
  for (auto& c : candidates)
    for (int i = 0; i < std::min(c.runs, 5); ++i) measure(c);
  const int rounds = std::max(runs, python_runs);
  for (int round = 0; round < rounds; ++round)
    for (auto& c : candidates) {
      if (round >= c.runs) continue;
      const double ms = measure(c);
      if (ms < 0) ++c.failures;
      else c.ms.push_back(ms);
    }

  struct stat st;
  const bool up_spooled = stat((dir + "/up/spool/events.spool").c_str(), &st) == 0 && st.st_size > 0;
  std::printf("hookbroker hook forwarder benchmark: whole-process wall time per hook, %d runs each "
              "(python %d), interleaved, same broker (port %d), fixture %s (%zu bytes)\n\n",
              runs, python_runs, broker.port, fixture.c_str(), read_file(fixture).size());
  // Other work on the machine widens every tail alike; say how busy it was.
  std::printf("load average at the end: %s\n", read_file("/proc/loadavg").c_str());
  std::printf("%-42s %8s %8s %8s %6s\n", "command", "p50 ms", "p99 ms", "mean ms", "fails");
  for (const auto& c : candidates) {
    if (c.ms.empty()) continue;
    double sum = 0;
    for (double v : c.ms) sum += v;
    std::printf("%-42s %8.3f %8.3f %8.3f %6d\n", c.name.c_str(), percentile(c.ms, 50), percentile(c.ms, 99),
                sum / static_cast<double>(c.ms.size()), c.failures);
  }
  const double t = percentile(candidates[0].ms, 50), up = percentile(candidates[1].ms, 50),
               down = percentile(candidates[2].ms, 50), curl = percentile(candidates[3].ms, 50),
               py = percentile(candidates[4].ms, 50);
  std::printf("\nratios (p50):\n");
  std::printf("  hookbroker-hook (up) - /bin/true      = %+.3f ms\n", up - t);
  std::printf("  hookbroker-hook (down) - /bin/true    = %+.3f ms\n", down - t);
  if (curl > 0) std::printf("  curl / hookbroker-hook (up)           = %.1fx\n", curl / up);
  if (py > 0) std::printf("  python forwarder / hookbroker-hook (up) = %.1fx\n", py / up);
  std::printf("  http hook POST alone                  = %.3f ms (what --mode http adds, spawning nothing)\n",
              percentile(candidates[5].ms, 50));
  std::printf("\nhookbroker-hook (up) spooled anything: %s (it must not: every event was delivered)\n",
              up_spooled ? "YES" : "no");
  std::string cleanup = "rm -rf '" + dir + "'";
  if (std::system(cleanup.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", dir.c_str());
  return up_spooled ? 1 : 0;
}
