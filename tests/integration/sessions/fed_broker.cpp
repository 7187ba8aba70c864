#include "fed_broker.hpp"

#include "session_broker.hpp"

namespace sessions_it {

FedBroker::FedBroker(const std::string& interval, std::vector<std::string> extra)
    : bus_(dir_.file("bus.jsonl")),
      feed_(dir_.file("hooks.fifo")),
      broker_(broker_args(bus_, feed_.path(), interval, std::move(extra))) {
  connected_ = feed_.connect(std::chrono::seconds(10));
}

int FedBroker::stop() {
  feed_.close();
  return broker_.stop();
}

}  // namespace sessions_it
