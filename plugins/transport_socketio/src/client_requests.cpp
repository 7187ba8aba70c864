#include "client_requests.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "hookbroker/history_query.hpp"
#include "hookbroker/time.hpp"

namespace hookbroker::sio {
namespace {

std::string array_of(const nlohmann::json& value) { return "[" + value.dump() + "]"; }

}  // namespace

ClientRequests::ClientRequests(HostApi& host, const Options& options) : host_(host), options_(options) {}

nlohmann::json ClientRequests::history_payload(nlohmann::json events) {
  if (!events.is_array()) events = nlohmann::json::array();
  const std::size_t count = events.size();
  return nlohmann::json{{"events", std::move(events)}, {"count", count}};
}

void ClientRequests::on_connect(const std::shared_ptr<SocketIoClient>& client) {
  client->emit("status", array_of(host_.status()));
  nlohmann::json events = nlohmann::json::array();
  if (options_.history_on_connect > 0) {
    HistoryQuery recent;
    recent.limit = options_.history_on_connect;
    events = newest_within_bytes(std::move(host_.history(recent)["events"]), options_.history_on_connect_bytes);
  }
  const nlohmann::json history = history_payload(std::move(events));
  client->emit("history", array_of(history));
  // Plugins' greetings (mpm_compat's event_history) repeat what was just sent
  // under their own names, so they stay within the same bounds.
  for (const auto& message : host_.transport_host()->greetings_for(client->info(), history))
    client->emit(message.name, array_of(message.payload));
}

void ClientRequests::on_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent&& event) {
  // A plugin that registered the name answers it, built-in names included (as
  // plugin HTTP routes win over the built-in ones): a storage plugin can
  // answer get_history from disk.
  if (forward(client, event)) return;
  if (event.name == "get_status") return get_status(client, event);
  if (event.name == "get_history") return get_history(client, event);
  if (event.name == "echo") return echo(client, event);
  if (event.name == "claude_event") return claude_event(client, event);
  host_.debug("client " + client->info().id + " sent unknown event '" + event.name + "'");
  if (event.ack_id)
    client->ack(*event.ack_id, array_of({{"error", "unknown request '" + event.name +
                                                      "': this broker answers get_status, get_history, echo, "
                                                      "claude_event and the requests its plugins register"}}));
}

void ClientRequests::answer(SocketIoClient& client, const ClientEvent& event, const char* name,
                            const nlohmann::json& value) {
  if (event.ack_id)
    client.ack(*event.ack_id, array_of(value));
  else
    client.emit(name, array_of(value));
}

void ClientRequests::get_status(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event) {
  answer(*client, event, "status", host_.status());
}

void ClientRequests::get_history(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event) {
  // HistoryQuery's fields; a bad one is answered {"error": "..."}, never ignored.
  const HistoryQueryParse parsed = parse_history_query(event.args);
  answer(*client, event, "history",
         parsed.ok() ? host_.history(*parsed.query) : nlohmann::json{{"error", parsed.error}});
}

void ClientRequests::echo(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event) {
  // The arguments go back byte for byte, binary attachments included.
  if (event.ack_id)
    client->ack(*event.ack_id, event.args_json, event.attachments);
  else if (event.attachments.empty())
    client->emit("echo", event.args_json);
}

void ClientRequests::claude_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent& event) {
  std::function<void(nlohmann::json)> ack;
  if (event.ack_id) ack = deferred_ack(client, *event.ack_id);
  if (event.args.empty() || !event.args.front().is_object()) {
    if (ack)
      ack(nlohmann::json::array({{{"error", "claude_event needs the event object as its first argument"}}}));
    return;
  }
  IngestContext context;
  context.source = "socketio";
  context.received_at = now_iso8601_utc();
  host_.ingest(std::move(event.args.front()), std::move(context), [ack](IngestResult result) {
    if (!ack) return;
    if (result.ok())
      ack(nlohmann::json::array({{{"status", "ok"}}}));
    else if (result.retry_later())
      // Not kept now: the client may send it again after retry_after_s.
      ack(nlohmann::json::array({{{"error", result.error},
                                  {"retry_after_s", std::max<std::uint32_t>(result.retry_after_s, 1)}}}));
    else
      ack(nlohmann::json::array({{{"error", result.error}}}));
  });
}

bool ClientRequests::forward(const std::shared_ptr<SocketIoClient>& client, const ClientEvent& event) {
  ClientReply reply;
  if (event.ack_id) {
    auto ack = deferred_ack(client, *event.ack_id);
    reply = [ack](nlohmann::json args) {
      ack(args.is_array() ? std::move(args) : nlohmann::json::array({std::move(args)}));
    };
  } else {
    reply = [](nlohmann::json) {};
  }
  return host_.transport_host()->handle_client_request(event.name, client->info(), event.args, reply);
}

std::function<void(nlohmann::json)> ClientRequests::deferred_ack(
    const std::shared_ptr<SocketIoClient>& client, std::uint64_t id) {
  std::weak_ptr<SocketIoClient> weak = client;
  Strand* strand = &host_.strand();
  return [weak, strand, id](nlohmann::json args) {
    boost::asio::post(*strand, [weak, id, args = std::move(args)] {
      auto client = weak.lock();
      if (client && client->connected()) client->ack(id, args.dump());
    });
  };
}

}  // namespace hookbroker::sio
