// A broker under test with one SDK example loaded from the directory the
// sdk.build_example.<name> test built it into, every broadcast written to a
// JSON-lines file, and hook JSON posted to it over HTTP.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"

namespace examples_it {

/// Where sdk.build_example.<example> put the plugin (e.g. "hook-handler").
std::string example_dir(const std::string& example);

class ExampleBroker {
 public:
  /// Starts the broker with --plugin-dir example_dir(example), a 0.2 s
  /// heartbeat, transport_jsonl on, plus `extra` arguments.
  ExampleBroker(const std::string& example, std::vector<std::string> extra = {});

  hbtest::BrokerProcess& process() { return *process_; }
  /// POSTs `hook` to /api/events; the HTTP status (0 when not answered).
  int post_event(const nlohmann::json& hook);
  /// Broadcasts on `channel` so far (payloads, not the jsonl envelope).
  std::vector<nlohmann::json> events(const std::string& channel, const std::string& subtype = "") const;
  /// Waits for a heartbeat whose data satisfies `accept`; returns its data,
  /// or null on timeout.
  nlohmann::json wait_for_heartbeat(const std::function<bool(const nlohmann::json&)>& accept,
                                    std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

 private:
  hbtest::TempDir dir_;
  std::string bus_;
  std::unique_ptr<hbtest::BrokerProcess> process_;
};

}  // namespace examples_it
