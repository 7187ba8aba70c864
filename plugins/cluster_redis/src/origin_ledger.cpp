#include "origin_ledger.hpp"

namespace hookbroker::cluster {

bool OriginLedger::take(const std::string& node, const std::string& boot, std::uint64_t seq) {
  auto [it, inserted] = last_.try_emplace(node + '\n' + boot, 0);
  if (!inserted && seq <= it->second) {
    ++repeats_;
    return false;
  }
  it->second = seq;
  ++taken_;
  return true;
}

}  // namespace hookbroker::cluster
