#include "forwarder.hpp"

#include <chrono>

#include "broker_client/broker_call.hpp"
#include "spool/payload_envelope.hpp"
#include "spool/spool_drainer.hpp"

namespace hookbroker::hook {
namespace {

constexpr const char* kEventsPath = "/api/events";
constexpr const char* kDrainPath = "/api/spool/drain";
/// A body the broker found too large is resent cut to this size.
constexpr std::size_t kResendCutBytes = 64 * 1024;

bool parse_number(const char* text, uint64_t min, uint64_t max, uint64_t& out) {
  if (!text || !*text) return false;
  uint64_t value = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9' || value > max / 10) return false;
    value = value * 10 + static_cast<uint64_t>(*p - '0');
  }
  if (value < min || value > max) return false;
  out = value;
  return true;
}

std::string describe(const http_client::Answer& answer) {
  if (answer.outcome == http_client::Answer::Outcome::Answered) {
    std::string text = "HTTP " + std::to_string(answer.status);
    if (!answer.body.empty()) text += ": " + answer.body.substr(0, 300);
    return text;
  }
  return answer.error;
}

/// The broker did not keep the event and says so: 503 (shutting down, or an
/// event sink failed it) or 507 (a store is full). Older brokers said
/// "shutting down" with a 400. That is "send it again later", not "bad event",
/// and the broker does not have it.
bool is_not_kept(const http_client::Answer& a) {
  return a.outcome == http_client::Answer::Outcome::Answered &&
         (a.status == 503 || a.status == 507 || a.body.find("shutting down") != std::string::npos);
}

bool is_malformed_answer(const http_client::Answer& a) {
  return a.outcome == http_client::Answer::Outcome::Answered && (a.status == 400 || a.status == 422) &&
         !is_not_kept(a);
}

bool is_too_large_answer(const http_client::Answer& a) {
  return a.outcome == http_client::Answer::Outcome::Answered && a.status == 413;
}

broker_client::BrokerCall event_call(const std::string& id, const std::string& sent_at, const std::string& body,
                           int timeout_ms, bool replayed) {
  broker_client::BrokerCall call;
  call.path = kEventsPath;
  call.body = body;
  call.timeout_ms = timeout_ms;
  call.headers = {{"Content-Type", "application/json"},
                  {"User-Agent", "hookbroker-hook/" HOOKBROKER_VERSION},
                  {"X-Hookbroker-Event-Id", id},
                  {"X-Hookbroker-Sent-At", sent_at}};
  if (replayed) call.headers.emplace_back("X-Hookbroker-Replayed", "1");
  return call;
}

}  // namespace

ForwarderSettings forwarder_settings(const platform::EnvLookup& env, const broker_client::BrokerEndpoint& endpoint,
                                     std::string& problems) {
  ForwarderSettings s;
  auto number = [&](const char* name, uint64_t min, uint64_t max, auto& field) {
    const char* text = env(name);
    if (!text || !*text) return;
    uint64_t value = 0;
    if (parse_number(text, min, max, value)) {
      field = static_cast<std::remove_reference_t<decltype(field)>>(value);
    } else {
      problems += std::string(problems.empty() ? "" : "; ") + name + "=" + text + " is not a number in " +
                  std::to_string(min) + ".." + std::to_string(max) + "; using the default";
    }
  };
  number("HOOKBROKER_HOOK_MAX_BYTES", 1024, 64ull << 20, s.max_input_bytes);
  number("HOOKBROKER_HOOK_STDIN_TIMEOUT_MS", 1, 600000, s.stdin_timeout_ms);
  number("HOOKBROKER_HOOK_TIMEOUT_MS", 1, 600000, s.broker_timeout_ms);
  number("HOOKBROKER_SPOOL_MAX_BYTES", 4096, 1ull << 40, s.spool_max_bytes);
  auto flag = [&](const char* name) {
    const char* text = env(name);
    return text && (std::string(text) == "1" || std::string(text) == "true");
  };
  s.spool_fsync = flag("HOOKBROKER_SPOOL_FSYNC");
  s.debug = flag("HOOKBROKER_HOOK_DEBUG");
  s.log_path = endpoint.hook_log;
  return s;
}

Forwarder::Forwarder(broker_client::BrokerEndpoint endpoint, ForwarderSettings settings, HookLog& log)
    : endpoint_(std::move(endpoint)), settings_(std::move(settings)), log_(log), spool_(endpoint_.spool_dir) {}

bool Forwarder::forward(const HookEvent& event) {
  if (spool_.has_pending()) {
    // Earlier events are still waiting: sending this one now would overtake
    // them. Queue behind them and make sure someone drains.
    const bool kept = spool_event(event, event.body, false, "");
    ask_broker_to_drain();
    return kept;
  }

  std::string body = event.body;
  auto answer = broker_client::call_broker(endpoint_, event_call(event.id, event.sent_at, body, settings_.broker_timeout_ms, false));
  if (!answer.ok() && (is_malformed_answer(answer) || is_too_large_answer(answer))) {
    // The broker will never take these bytes; send what it can take instead,
    // under the same id (a refused id is not remembered by the broker).
    const std::string reason = describe(answer);
    body = is_too_large_answer(answer)
               ? spool::truncated_envelope(std::string_view(event.raw).substr(0, kResendCutBytes), event.raw.size(),
                                           true, "the broker refused the full event: " + reason)
               : spool::invalid_input_envelope(event.raw, reason);
    log_.warn("event " + event.id + " refused (" + reason + "); resending it wrapped");
    answer = broker_client::call_broker(endpoint_, event_call(event.id, event.sent_at, body, settings_.broker_timeout_ms, false));
  }
  if (answer.ok()) {
    if (settings_.debug) log_.info("event " + event.id + " delivered (HTTP " + std::to_string(answer.status) + ")");
    return true;
  }
  // The broker may hold the event when the request went out and no verdict
  // came back, or when it failed on its side (a 5xx other than "not kept").
  // A 503/507 is the broker saying it did not keep it: spooled unmarked, it
  // is replayed whatever the broker recorded (accepted_ids.hpp).
  const bool maybe_delivered =
      (answer.outcome == http_client::Answer::Outcome::NoAnswer && answer.request_fully_sent) ||
      (answer.outcome == http_client::Answer::Outcome::Answered && answer.status >= 500 && !is_not_kept(answer));
  return spool_event(event, body, maybe_delivered, describe(answer));
}

bool Forwarder::spool_event(const HookEvent& event, const std::string& body, bool maybe_delivered,
                            const std::string& why) {
  const bool first = !why.empty();  // the broker was tried: this event starts (or restarts) the spool
  const auto result =
      spool_.append({event.id, event.sent_at, maybe_delivered}, body, settings_.spool_max_bytes, settings_.spool_fsync);
  if (!result.ok) {
    lost_ = "event " + event.id + " LOST: not delivered (" + (why.empty() ? "spool busy" : why) +
            ") and not spooled: " + result.error;
    lost_logged_ = log_.error(lost_);
    return false;
  }
  if (first)
    log_.warn("broker at " + endpoint_.base_url() + " did not take event " + event.id + " (" + why +
              "); spooled in " + spool_.path() + ", it will be replayed when the broker is back");
  else if (settings_.debug)
    log_.info("event " + event.id + " queued in the spool behind earlier events");
  return true;
}

void Forwarder::ask_broker_to_drain() {
  broker_client::BrokerCall call;
  call.path = kDrainPath;
  call.timeout_ms = settings_.broker_timeout_ms;
  call.headers = {{"User-Agent", "hookbroker-hook/" HOOKBROKER_VERSION}};
  const auto answer = broker_client::call_broker(endpoint_, call);
  if (answer.ok() || answer.outcome == http_client::Answer::Outcome::NotConnected) return;  // draining, or away
  if (answer.outcome == http_client::Answer::Outcome::Answered && answer.status == 404) {
    drain_ourselves();  // a broker without the spool_replay plugin
    return;
  }
  if (settings_.debug) log_.info("drain request: " + describe(answer));
}

void Forwarder::drain_ourselves() {
  using Clock = std::chrono::steady_clock;
  const auto give_up = Clock::now() + std::chrono::milliseconds(settings_.fallback_drain_ms);
  spool::DrainHooks hooks;
  hooks.deliver = [this](const spool::ScannedRecord& record, spool::DeliveryDone done) {
    const std::string body(record.payload);
    const auto answer = broker_client::call_broker(
        endpoint_, event_call(record.meta.event_id, record.meta.sent_at, body, settings_.broker_timeout_ms, true));
    if (answer.ok()) done({spool::DeliveryResult::Kind::Delivered, {}});
    else if (is_malformed_answer(answer) || is_too_large_answer(answer))
      done({spool::DeliveryResult::Kind::Refused, describe(answer)});
    else
      done({spool::DeliveryResult::Kind::Retry, describe(answer)});
  };
  hooks.stop_requested = [give_up]() { return Clock::now() >= give_up; };
  hooks.warn = [this](const std::string& message) { log_.warn(message); };
  spool::DrainOptions options;
  options.wait_for_lock = false;
  options.answer_timeout = std::chrono::milliseconds(settings_.broker_timeout_ms);
  const auto report = spool::drain_spool(spool_, hooks, options);
  if (report.delivered > 0 || settings_.debug)
    log_.info("broker has no spool_replay plugin; this hook drained " + std::to_string(report.delivered) +
              " spooled event(s)" + (report.complete ? ", spool empty" : "; stopped: " + report.stopped_because));
}

}  // namespace hookbroker::hook
