// POSTs alert events to webhook URLs without ever blocking the caller: each
// delivery is an asynchronous exchange of libs/http_client (resolve, connect,
// write, read) on the plugin's strand, under a per-attempt deadline, retried with
// exponential backoff. Deliveries in flight are bounded; beyond the bound a
// new one is dropped and counted rather than queued without limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "alert_options.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::alerts {

class WebhookSender {
 public:
  using Log = std::function<void(LogLevel, const std::string&)>;

  /// Handlers run on `strand`; `log` may be called from them.
  WebhookSender(Strand& strand, WebhookPolicy policy, std::string user_agent, Log log);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Queues one delivery of `body` per URL. Call on the strand.
  void send(const std::string& body);
  /// Abandons every delivery (their handlers finish as cancelled). Call on the strand.
  void stop();

  /// {"urls", "sent", "failed", "dropped", "retries", "in_flight"}; any thread.
  nlohmann::json stats() const;

  struct Shared;  ///< counters and the live deliveries, outliving this object

 private:
  Strand& strand_;
  const WebhookPolicy policy_;
  const std::string user_agent_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace hookbroker::alerts
