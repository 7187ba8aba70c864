// What connected Socket.IO clients get and may ask, compatible with the Python
// server: `status` and `history` on connect, then what plugins' greetings add
// (TransportHost::greetings_for); the requests get_status,
// get_history, echo and claude_event. A name a plugin registered
// (HostApi::add_client_request) goes to that plugin first, built-in names
// included.
//
// Plugin strand only.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "hookbroker/host_api.hpp"
#include "options.hpp"
#include "socketio_client.hpp"

namespace hookbroker::sio {

class ClientRequests {
 public:
  ClientRequests(HostApi& host, const Options& options);

  void on_connect(const std::shared_ptr<SocketIoClient>& client);
  void on_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent&& event);

  /// {"events": [...], "count": N}: the `history` event sent on connect.
  /// get_history and GET /api/history answer HistoryQuery's page instead
  /// (HostApi::history or history_sqlite), which adds next_cursor and source.
  static nlohmann::json history_payload(nlohmann::json events);

 private:
  void get_status(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event);
  void get_history(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event);
  void echo(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event);
  void claude_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent& event);
  /// Hands the event to the plugin that registered its name; false when none did.
  bool forward(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event);

  /// Acks `value` when the client asked for an ack, else emits it as `name`.
  static void answer(SocketIoClient& client, const ClientEvent& event, const char* name,
                     const nlohmann::json& value);
  /// An ack that may be given later from any thread; it hops to the strand
  /// and is dropped if the client left meanwhile.
  std::function<void(nlohmann::json args)> deferred_ack(const std::shared_ptr<SocketIoClient>& client,
                                                        std::uint64_t id);

  HostApi& host_;
  Options options_;
};

}  // namespace hookbroker::sio
