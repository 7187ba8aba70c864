// What plugins offer each other through the core: named client requests and
// client arrival/departure notices (HTTP routes are the HttpService's), each
// run on the strand of the plugin that registered it; and what shapes the
// output clients get (greetings, broadcast and status filters, ABI 3.1),
// run on the caller's thread by their contract.
#pragma once

#include <atomic>
#include <map>
#include <memory>
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

  void add_client_greeting(const std::string& owner, ClientGreeting greeting);
  /// Every greeting's messages for `client`, in registration order; a
  /// greeting that throws is logged and skipped. Any thread.
  std::vector<ClientMessage> greetings_for(const ClientInfo& client, const nlohmann::json& history) const;

  void add_broadcast_filter(const std::string& owner, BroadcastFilter filter);
  /// Whether any broadcast filter is registered (cheap: one atomic load).
  bool has_broadcast_filters() const { return broadcast_filter_count_.load() > 0; }
  /// Runs every broadcast filter on `channel` and `message`. Any thread.
  void filter_broadcast(std::string& channel, nlohmann::json& message) const;

  void add_status_filter(const std::string& owner, StatusFilter filter);
  /// Runs every status filter on `status`. Any thread.
  void filter_status(nlohmann::json& status) const;

  /// Drops everything a plugin registered (it is stopping).
  void remove_owner(const std::string& owner);

 private:
  template <typename Fn>
  struct Entry {
    std::string owner;
    Strand* strand;
    Fn fn;
  };
  /// Output shapers run on the caller's thread, so they carry no strand.
  template <typename Fn>
  struct Shaper {
    std::string owner;
    Fn fn;
  };
  /// Copy-on-write lists: a caller takes a snapshot under the lock and runs
  /// it without holding it (a broadcast filter runs for every event).
  template <typename Fn>
  using Shapers = std::shared_ptr<const std::vector<Shaper<Fn>>>;
  template <typename Fn>
  void add_shaper(Shapers<Fn>& list, const std::string& owner, Fn fn);
  template <typename Fn>
  Shapers<Fn> snapshot(const Shapers<Fn>& list) const;

  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry<ClientRequestHandler>> requests_;
  std::vector<Entry<ClientObserver>> observers_;
  Shapers<ClientGreeting> greetings_;
  Shapers<BroadcastFilter> broadcast_filters_;
  Shapers<StatusFilter> status_filters_;
  std::atomic<std::size_t> broadcast_filter_count_{0};
};

}  // namespace hookbroker::core
