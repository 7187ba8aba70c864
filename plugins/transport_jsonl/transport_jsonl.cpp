// transport_jsonl: the smallest transport. Writes every broadcast as one JSON
// line {"event": <channel>, "data": <payload>} to a file or stdout, and can
// ingest JSON lines from a file or stdin. Handy for `| jq`, for scripts, and
// for testing the whole path without a network protocol.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
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
    if (reader_.joinable()) reader_.detach();  // blocked in a read; it holds only shared state
    if (out_ && out_ != stdout) std::fclose(out_);
  }

  hookbroker::Transport* as_transport() override { return this; }

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

  static void read_lines(const std::shared_ptr<ReaderState>& state, hookbroker::HostApi* host,
                         const std::string& input) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (input != "-") {
      file.open(input);
      if (!file) {
        host->error("cannot open input " + input + ": " + std::strerror(errno));
        return;
      }
      in = &file;
    }
    std::string line;
    std::size_t number = 0;
    while (!state->stopped && std::getline(*in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto parsed = hookbroker::parse_json_input(line);
      if (!parsed.ok) {
        host->warn("input line " + std::to_string(number) + " skipped: " + parsed.error);
        continue;
      }
      hookbroker::IngestContext context;
      context.source = "jsonl";
      context.raw_bytes = line;
      if (state->stopped) break;
      host->ingest(std::move(parsed.value), std::move(context),
                   [host, number](hookbroker::IngestResult result) {
                     if (!result.ok())
                       host->warn("input line " + std::to_string(number) + " rejected: " + result.error);
                   });
    }
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
  info.kinds = HOOKBROKER_KIND_TRANSPORT;
  info.enabled_by_default = false;
  info.options = {
      hookbroker::option("path", hookbroker::ConfigType::String, R"("-")",
                         "File to append one JSON line per broadcast to; - for stdout"),
      hookbroker::option("input", hookbroker::ConfigType::String, R"("")",
                         "File or FIFO of JSON lines to ingest (- for stdin); empty = none"),
  };
  return info;
}())
