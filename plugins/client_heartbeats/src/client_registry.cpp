#include "client_registry.hpp"

#include <algorithm>
#include <cmath>

#include "hookbroker/time.hpp"

namespace hookbroker::client_heartbeats {
namespace {

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace

ClientRegistry::Record& ClientRegistry::ensure(const ClientInfo& client, Clock::time_point now) {
  auto it = clients_.find(client.id);
  if (it != clients_.end()) return it->second;
  if (limits_.max_clients > 0 && clients_.size() >= limits_.max_clients) {
    // Bounded memory: forget the client silent for longest.
    auto oldest = std::min_element(clients_.begin(), clients_.end(), [](const auto& a, const auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    clients_.erase(oldest);
  }
  Record r;
  r.info = client;
  if (r.info.connected_at.empty()) r.info.connected_at = iso8601_utc(now);
  r.last_seen = now;
  return clients_.emplace(client.id, std::move(r)).first->second;
}

void ClientRegistry::connected(const ClientInfo& client, Clock::time_point now) { ensure(client, now); }

void ClientRegistry::disconnected(const std::string& id) { clients_.erase(id); }

nlohmann::json ClientRegistry::heartbeat(const ClientInfo& client, const HeartbeatRequest& request,
                                         Clock::time_point now) {
  Record& r = ensure(client, now);
  r.last_seen = now;
  r.stale = false;
  ++r.heartbeats;
  if (request.client_id) r.client_id = *request.client_id;
  if (request.name) r.name = *request.name;
  if (request.rtt_ms) r.rtt_ms = *request.rtt_ms;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  nlohmann::json ack = {{"status", "ok"},
                        {"id", client.id},
                        {"server_time", iso8601_utc(now)},
                        {"server_time_ms", ms},
                        {"stale_after_seconds", std::chrono::duration<double>(limits_.stale_after).count()}};
  if (!request.echo.is_null()) ack["echo"] = request.echo;
  return ack;
}

nlohmann::json ClientRegistry::snapshot(Clock::time_point now, std::vector<std::string>* newly_stale) {
  std::vector<const Record*> order;
  order.reserve(clients_.size());
  std::size_t stale = 0, heartbeating = 0;
  for (auto& [id, r] : clients_) {
    const bool now_stale = is_stale(r, now);
    if (now_stale && !r.stale && newly_stale) {
      const auto silent = std::chrono::duration_cast<std::chrono::seconds>(now - r.last_seen).count();
      newly_stale->push_back("client " + id + (r.name.empty() ? "" : " (" + r.name + ")") + " silent for " +
                             std::to_string(silent) + " s: flagged stale");
    }
    r.stale = now_stale;
    stale += now_stale;
    heartbeating += r.heartbeats > 0;
    order.push_back(&r);
  }
  // Most recently heard from first: what a reader wants to see under the cap.
  std::sort(order.begin(), order.end(), [](const Record* a, const Record* b) { return a->last_seen > b->last_seen; });
  const std::size_t listed =
      limits_.max_listed == 0 ? order.size() : std::min(order.size(), limits_.max_listed);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < listed; ++i) {
    const Record& r = *order[i];
    const double silent = std::chrono::duration<double>(now - r.last_seen).count();
    list.push_back({{"id", r.info.id},
                    {"client_id", text_or_null(r.client_id)},
                    {"name", text_or_null(r.name)},
                    {"transport", r.info.transport},
                    {"remote", r.info.remote},
                    {"connected_at", r.info.connected_at},
                    {"last_seen", iso8601_utc(r.last_seen)},
                    {"silent_seconds", std::floor(silent * 10) / 10},
                    {"rtt_ms", r.rtt_ms ? nlohmann::json(*r.rtt_ms) : nlohmann::json(nullptr)},
                    {"heartbeats", r.heartbeats},
                    {"stale", r.stale}});
  }
  return {{"count", clients_.size()},
          {"stale", stale},
          {"heartbeating", heartbeating},
          {"stale_after_seconds", std::chrono::duration<double>(limits_.stale_after).count()},
          {"listed", listed},
          {"omitted", clients_.size() - listed},
          {"list", std::move(list)}};
}

}  // namespace hookbroker::client_heartbeats
