// What plugins offer each other through the core: named client requests and
// client arrival/departure notices (HTTP routes are the HttpService's). Each
// handler runs on the strand of the plugin that registered it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/logger.h>

#include "hookbroker/clients.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::core {

class PluginServices {
 public:
  explicit PluginServices(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {}

  bool add_client_request(const std::string& owner, Strand& strand, const std::string& name,
                          ClientRequestHandler handler);
  bool handle_client_request(const std::string& name, const ClientInfo& client, const nlohmann::json& args,
                             ClientReply reply);

  void add_client_observer(const std::string& owner, Strand& strand, ClientObserver observer);
  void client_changed(const ClientInfo& client, bool connected);

  /// Drops everything a plugin registered (it is stopping).
  void remove_owner(const std::string& owner);

 private:
  template <typename Fn>
  struct Entry {
    std::string owner;
    Strand* strand;
    Fn fn;
  };
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;
  std::map<std::string, Entry<ClientRequestHandler>> requests_;
  std::vector<Entry<ClientObserver>> observers_;
};

}  // namespace hookbroker::core
