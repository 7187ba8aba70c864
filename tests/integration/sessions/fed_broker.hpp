// A broker (session plugins + transport_jsonl) whose hook events come from a
// FIFO the test writes one event at a time, and whose broadcasts and
// heartbeats go to bus().
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "fifo_feed.hpp"

namespace sessions_it {

class FedBroker {
 public:
  /// Starts the broker with a heartbeat every `interval` seconds and `extra`
  /// flags, and waits (10 s, scaled) for it to open the FIFO.
  explicit FedBroker(const std::string& interval, std::vector<std::string> extra = {});

  bool connected() const { return connected_; }
  void send(const nlohmann::json& event) { feed_.send(event); }
  const std::string& bus() const { return bus_; }
  hbtest::BrokerProcess& broker() { return broker_; }
  /// Ends the input and stops the broker; its exit code.
  int stop();

 private:
  hbtest::TempDir dir_;
  std::string bus_;
  FifoFeed feed_;
  hbtest::BrokerProcess broker_;
  bool connected_ = false;
};

}  // namespace sessions_it
