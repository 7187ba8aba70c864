#include "runtime/plugin_services.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace hookbroker::core {

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

void PluginServices::remove_owner(const std::string& owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = requests_.begin(); it != requests_.end();)
    it = it->second.owner == owner ? requests_.erase(it) : std::next(it);
  observers_.erase(std::remove_if(observers_.begin(), observers_.end(),
                                  [&](const auto& e) { return e.owner == owner; }),
                   observers_.end());
}

}  // namespace hookbroker::core
