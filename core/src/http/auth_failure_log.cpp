#include "http/auth_failure_log.hpp"

#include <algorithm>
#include <vector>

namespace hookbroker::core {
namespace {

// Bounds on what one interval remembers: a spell from many addresses (or of
// many kinds) is summarised by its largest parts and a remainder.
constexpr std::size_t kMaxPeers = 64;
constexpr std::size_t kMaxKinds = 16;
constexpr std::size_t kPeersShown = 5;

/// "127.0.0.1:5555" -> "127.0.0.1", "::1:5555" -> "::1": failures are
/// summarised by address, each connection has its own port.
std::string address_of(const std::string& remote) {
  const std::size_t colon = remote.rfind(':');
  if (colon == std::string::npos || colon + 1 == remote.size()) return remote;
  for (std::size_t i = colon + 1; i < remote.size(); ++i)
    if (remote[i] < '0' || remote[i] > '9') return remote;
  return remote.substr(0, colon);
}

std::string describe(Credential credential) { return credential == Credential::Missing ? "no token" : "wrong token"; }

/// "a (3), b (1)": the largest counts first, at most `shown` of them.
std::string largest(const std::map<std::string, std::size_t>& counts, std::size_t shown, std::size_t& rest) {
  std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  rest = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i >= shown) {
      rest += sorted[i].second;
      continue;
    }
    out += (out.empty() ? "" : ", ") + sorted[i].first + " (" + std::to_string(sorted[i].second) + ")";
  }
  return out;
}

}  // namespace

AuthFailureLog::AuthFailureLog(boost::asio::io_context& io, std::chrono::milliseconds interval,
                               std::shared_ptr<spdlog::logger> log)
    : log_(std::move(log)), spell_(io, interval, {[this](std::size_t count) { summarise(count); }, nullptr}) {}

AuthFailureLog::~AuthFailureLog() = default;

void AuthFailureLog::record(Credential credential, const std::string& what, const std::string& remote) {
  // Held across occurred(): a summary that counts this failure waits for it
  // to be in the maps below.
  std::lock_guard lock(mutex_);
  if (spell_.occurred()) {
    log_->warn("authentication failed: {} on {} from {}; further failures are summarised every {}",
               describe(credential), what, remote, spell_log::seconds_text(spell_.interval()));
    return;
  }
  const std::string kind = describe(credential) + " on " + what;
  if (kinds_.size() < kMaxKinds || kinds_.count(kind) != 0) ++kinds_[kind];
  else ++kinds_["other requests"];
  const std::string address = address_of(remote);
  if (peers_.size() < kMaxPeers || peers_.count(address) != 0) ++peers_[address];
  else ++other_peers_;
}

void AuthFailureLog::summarise(std::size_t count) {
  std::lock_guard lock(mutex_);
  std::size_t rest = 0;
  const std::string kinds = largest(kinds_, kMaxKinds, rest);
  std::string peers = largest(peers_, kPeersShown, rest);
  rest += other_peers_;
  if (rest > 0) peers += " and others (" + std::to_string(rest) + ")";
  log_->warn("authentication failures in the last {}: {} ({}) from {}", spell_log::seconds_text(spell_.interval()),
             count, kinds, peers);
  kinds_.clear();
  peers_.clear();
  other_peers_ = 0;
}

}  // namespace hookbroker::core
