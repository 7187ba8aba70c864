#include "runtime/plugin_services.hpp"

#include <algorithm>
#include <type_traits>

#include <boost/asio/post.hpp>

namespace hookbroker::core {
namespace {

/// Runs `fn`, logging (not passing on) what it throws: one plugin's shaper
/// must not cost a client its greeting or an event its broadcast.
template <typename Fn>
void guarded(spdlog::logger& log, const char* what, const std::string& owner, Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    log.error("{} of plugin '{}' threw: {}", what, owner, e.what());
  } catch (...) {
    log.error("{} of plugin '{}' threw a non-standard exception", what, owner);
  }
}

}  // namespace

bool PluginServices::add_client_request(const std::string& owner, Strand& strand, const std::string& name,
                                        ClientRequestHandler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.emplace(name, Entry<ClientRequestHandler>{owner, &strand, std::move(handler)}).second;
}

bool PluginServices::handle_client_request(const std::string& name, const ClientInfo& client,
                                           const nlohmann::json& args, ClientReply reply) {
  Entry<ClientRequestHandler> entry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = requests_.find(name);
    if (it == requests_.end()) return false;
    entry = it->second;
  }
  boost::asio::post(*entry.strand, [this, entry, name, client, args, reply]() {
    try {
      entry.fn(client, args, reply);
    } catch (const std::exception& e) {
      log_->error("client request '{}' of plugin '{}' threw: {}", name, entry.owner, e.what());
    } catch (...) {
      log_->error("client request '{}' of plugin '{}' threw a non-standard exception", name, entry.owner);
    }
  });
  return true;
}

void PluginServices::add_client_observer(const std::string& owner, Strand& strand, ClientObserver observer) {
  std::lock_guard<std::mutex> lock(mutex_);
  observers_.push_back({owner, &strand, std::move(observer)});
}

void PluginServices::client_changed(const ClientInfo& client, bool connected) {
  std::vector<Entry<ClientObserver>> observers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    observers = observers_;
  }
  for (const auto& entry : observers) {
    boost::asio::post(*entry.strand, [this, entry, client, connected]() {
      try {
        entry.fn(client, connected);
      } catch (const std::exception& e) {
        log_->error("client observer of plugin '{}' threw: {}", entry.owner, e.what());
      } catch (...) {
        log_->error("client observer of plugin '{}' threw a non-standard exception", entry.owner);
      }
    });
  }
}

template <typename Fn>
void PluginServices::add_shaper(Shapers<Fn>& list, const std::string& owner, Fn fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto copy = list ? std::make_shared<std::vector<Shaper<Fn>>>(*list) : std::make_shared<std::vector<Shaper<Fn>>>();
  copy->push_back({owner, std::move(fn)});
  list = std::move(copy);
}

template <typename Fn>
PluginServices::Shapers<Fn> PluginServices::snapshot(const Shapers<Fn>& list) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return list;
}

void PluginServices::add_client_greeting(const std::string& owner, ClientGreeting greeting) {
  add_shaper(greetings_, owner, std::move(greeting));
}

std::vector<ClientMessage> PluginServices::greetings_for(const ClientInfo& client,
                                                         const nlohmann::json& history) const {
  std::vector<ClientMessage> messages;
  const auto greetings = snapshot(greetings_);
  if (!greetings) return messages;
  for (const auto& g : *greetings)
    guarded(*log_, "client greeting", g.owner, [&] {
      for (auto& m : g.fn(client, history)) messages.push_back(std::move(m));
    });
  return messages;
}

void PluginServices::add_broadcast_filter(const std::string& owner, BroadcastFilter filter) {
  add_shaper(broadcast_filters_, owner, std::move(filter));
  ++broadcast_filter_count_;
}

void PluginServices::filter_broadcast(std::string& channel, nlohmann::json& message) const {
  if (!has_broadcast_filters()) return;
  const auto filters = snapshot(broadcast_filters_);
  if (!filters) return;
  for (const auto& f : *filters) guarded(*log_, "broadcast filter", f.owner, [&] { f.fn(channel, message); });
}

void PluginServices::add_status_filter(const std::string& owner, StatusFilter filter) {
  add_shaper(status_filters_, owner, std::move(filter));
}

void PluginServices::filter_status(nlohmann::json& status) const {
  const auto filters = snapshot(status_filters_);
  if (!filters) return;
  for (const auto& f : *filters) guarded(*log_, "status filter", f.owner, [&] { f.fn(status); });
}

void PluginServices::remove_owner(const std::string& owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = requests_.begin(); it != requests_.end();)
    it = it->second.owner == owner ? requests_.erase(it) : std::next(it);
  observers_.erase(std::remove_if(observers_.begin(), observers_.end(),
                                  [&](const auto& e) { return e.owner == owner; }),
                   observers_.end());
  auto drop = [&](auto& list) -> std::size_t {
    if (!list) return 0;
    auto kept = std::make_shared<std::remove_const_t<typename std::decay_t<decltype(list)>::element_type>>();
    for (const auto& e : *list)
      if (e.owner != owner) kept->push_back(e);
    const std::size_t dropped = list->size() - kept->size();
    list = std::move(kept);
    return dropped;
  };
  drop(greetings_);
  broadcast_filter_count_ -= drop(broadcast_filters_);
  drop(status_filters_);
}

}  // namespace hookbroker::core
