#include "redis_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace hbtest {

namespace {

/// A port the kernel just handed out on 127.0.0.1 (and took back): free
/// unless another process grabs it in between, which start() then reports.
int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

std::string find_program(const std::string& name, const char* override_variable) {
  if (const char* given = std::getenv(override_variable); given && *given) return given;
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    std::size_t start = 0;
    while (start <= dirs.size()) {
      const std::size_t end = std::min(dirs.find(':', start), dirs.size());
      const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
  }
  const std::string fallback = "/usr/bin/" + name;
  return ::access(fallback.c_str(), X_OK) == 0 ? fallback : std::string();
}

void append(std::vector<std::string>& to, std::initializer_list<std::string> more) {
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

std::string redis_server_binary() { return find_program("redis-server", "HOOKBROKER_TEST_REDIS_SERVER"); }

namespace {

/// A CA, a server certificate it signed for localhost and 127.0.0.1, and a
/// client certificate, in `dir` (ca.crt, server.crt/.key, client.crt/.key);
/// EC keys, so it takes milliseconds.
bool make_certificates(const std::string& dir) {
  const std::string openssl = find_program("openssl", "HOOKBROKER_TEST_OPENSSL");
  if (openssl.empty()) return false;
  const std::vector<std::vector<std::string>> steps = {
      {openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       dir + "/ca.key", "-out", dir + "/ca.crt", "-days", "2", "-subj", "/CN=hookbroker test CA"},
      {openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=localhost"},
      {openssl, "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.crt", "-CAkey", dir + "/ca.key",
       "-CAcreateserial", "-out", dir + "/server.crt", "-days", "2", "-extfile", dir + "/san.cnf"},
      {openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       dir + "/client.key", "-out", dir + "/client.csr", "-subj", "/CN=hookbroker test client"},
      {openssl, "x509", "-req", "-in", dir + "/client.csr", "-CA", dir + "/ca.crt", "-CAkey", dir + "/ca.key",
       "-CAcreateserial", "-out", dir + "/client.crt", "-days", "2"},
  };
  if (FILE* san = std::fopen((dir + "/san.cnf").c_str(), "w")) {
    std::fputs("subjectAltName=DNS:localhost,IP:127.0.0.1\n", san);
    std::fclose(san);
  }
  for (const auto& step : steps)
    if (run_command(step, std::chrono::seconds(30)).exit_code != 0) return false;
  return true;
}

}  // namespace

RedisServer::RedisServer(RedisOptions options) : options_(std::move(options)), port_(free_loopback_port()) {
  if (options_.tls && !make_certificates(dir_.path())) port_ = -1;  // ready() then says no
  start();
}

RedisServer::~RedisServer() { stop(true); }

void RedisServer::start() {
  const std::string binary = redis_server_binary();
  if (binary.empty() || port_ < 0) return;
  std::vector<std::string> args = {"--bind", "127.0.0.1", "--dir", dir_.path(), "--protected-mode", "yes",
                                   "--appendonly", "no", "--daemonize", "no"};
  if (options_.tls)
    append(args, {"--port", "0", "--tls-port", std::to_string(port_), "--tls-cert-file", dir_.path() + "/server.crt",
                  "--tls-key-file", dir_.path() + "/server.key", "--tls-ca-cert-file", ca_file(),
                  "--tls-auth-clients", options_.tls_client_certificates ? "yes" : "no"});
  else
    append(args, {"--port", std::to_string(port_)});
  if (options_.persistence) append(args, {"--dbfilename", "dump.rdb", "--save", "3600 1"});
  else append(args, {"--save", ""});
  if (!options_.password.empty()) append(args, {"--requirepass", options_.password});
  process_ = std::make_unique<BrokerProcess>(args, std::map<std::string, std::string>{}, binary);
}

bool RedisServer::ready() {
  return process_ && process_->wait_for_log("Ready to accept connections", 10s);
}

void RedisServer::stop(bool kill) {
  if (!process_) return;
  process_->stop(kill ? 9 : 15);
  process_.reset();
}

std::string RedisServer::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {find_program("redis-cli", "HOOKBROKER_TEST_REDIS_CLI"), "-h", "127.0.0.1", "-p",
                                   std::to_string(port_)};
  if (!options_.password.empty()) append(argv, {"--no-auth-warning", "-a", options_.password});
  if (options_.tls) append(argv, {"--tls", "--cacert", ca_file(), "--cert", client_cert_file(), "--key", client_key_file()});
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out = run_command(argv, 10s).out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace hbtest
