// transport_jsonl: the smallest transport. Writes every broadcast as one JSON
// line {"event": <channel>, "data": <payload>} to a file or stdout, and can
// ingest JSON lines from a file or stdin. Handy for `| jq`, for scripts, and
// for testing the whole path without a network protocol.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "hookbroker/hookbroker.hpp"

namespace {

class JsonlTransport final : public hookbroker::Plugin, public hookbroker::Transport {
 public:
  JsonlTransport(hookbroker::HostApi& host, const nlohmann::json& config)
      : host_(host),
        path_(config.at("path").get<std::string>()),
        input_(config.at("input").get<std::string>()) {
    if (path_ == "-") {
      out_ = stdout;
    } else {
      out_ = std::fopen(path_.c_str(), "a");
      if (!out_)
        throw std::runtime_error("cannot open output file " + path_ + ": " + std::strerror(errno) +
                                 " (set plugins.transport_jsonl.config.path to a writable file, or - for stdout)");
    }
  }

  ~JsonlTransport() override {
    // The reader wakes at least every kPollInterval to see the flag, so the
    // join is short; it must end before this library can be unloaded.
    state_->stopped = true;
    if (reader_.joinable()) reader_.join();
    if (out_ && out_ != stdout) std::fclose(out_);
  }


  // Read only once every plugin runs: lines ingested earlier would be counted
  // but miss the transports and sinks not started yet.
  void on_broker_started() override {
    if (input_.empty()) return;
    // Lines are read on a thread of their own: reading stdin or a FIFO blocks.
    auto state = state_;
    hookbroker::HostApi* host = &host_;
    const std::string input = input_;
    reader_ = std::thread([state, host, input]() { read_lines(state, host, input); });
    host_.info("reading JSON lines to ingest from " + (input == "-" ? std::string("stdin") : input));
  }

  void stop() override { state_->stopped = true; }

  void broadcast(const hookbroker::Broadcast& message) override {
    std::string line = "{\"event\":" + nlohmann::json(message.channel).dump() + ",\"data\":" + *message.payload + "}\n";
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
  }

  std::size_t connected_clients() const override { return 0; }

 private:
  struct ReaderState {
    std::atomic<bool> stopped{false};
  };

  static constexpr int kPollIntervalMs = 100;

  static void read_lines(const std::shared_ptr<ReaderState>& state, hookbroker::HostApi* host,
                         const std::string& input) {
    const int fd = input == "-" ? STDIN_FILENO : ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      host->error("cannot open input " + input + ": " + std::strerror(errno));
      return;
    }
    std::string pending;
    std::size_t number = 0;
    char buffer[64 * 1024];
    while (!state->stopped) {
      // Waiting in poll() rather than read() lets stop() end this thread even
      // when stdin or a FIFO stays silent.
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, kPollIntervalMs);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) break;
      if (ready == 0) continue;
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) break;  // end of input
      pending.append(buffer, static_cast<std::size_t>(n));
      std::size_t start = 0, end;
      while ((end = pending.find('\n', start)) != std::string::npos && !state->stopped) {
        ingest_line(host, pending.substr(start, end - start), ++number);
        start = end + 1;
      }
      pending.erase(0, start);
    }
    if (!state->stopped && !pending.empty()) ingest_line(host, pending, ++number);
    if (fd != STDIN_FILENO) ::close(fd);
  }

  static void ingest_line(hookbroker::HostApi* host, const std::string& line, std::size_t number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    auto parsed = hookbroker::parse_json_input(line);
    if (!parsed.ok) {
      host->warn("input line " + std::to_string(number) + " skipped: " + parsed.error);
      return;
    }
    hookbroker::IngestContext context;
    context.source = "jsonl";
    context.raw_bytes = line;
    host->ingest(std::move(parsed.value), std::move(context), [host, number](hookbroker::IngestResult result) {
      if (result.retry_later())
        host->error("input line " + std::to_string(number) + " was not kept: " + result.error);
      else if (!result.ok())
        host->warn("input line " + std::to_string(number) + " rejected: " + result.error);
    });
  }

  hookbroker::HostApi& host_;
  const std::string path_;
  const std::string input_;
  std::FILE* out_ = nullptr;
  std::shared_ptr<ReaderState> state_ = std::make_shared<ReaderState>();
  std::thread reader_;
};

}  // namespace

HOOKBROKER_PLUGIN(JsonlTransport, [] {
  hookbroker::PluginInfo info;
  info.name = "transport_jsonl";
  info.version = "1.0.0";
  info.description = "Writes every broadcast as a JSON line to a file or stdout; can ingest JSON lines";
  info.enabled_by_default = false;
  info.options = {
      hookbroker::option("path", hookbroker::ConfigType::String, R"("-")",
                         "File to append one JSON line per broadcast to; - for stdout"),
      hookbroker::option("input", hookbroker::ConfigType::String, R"("")",
                         "File or FIFO of JSON lines to ingest (- for stdin); empty = none"),
  };
  return info;
}())
