// hookbroker-hook: forwards one Claude Code hook event (JSON on stdin) to the
// broker, spooling it when the broker is away. Exits 0 and prints nothing (or
// exactly one {"continue": true} line with --emit-continue): a hook's exit
// code and stdout steer the agent, and a forwarder must never do that.
// Diagnostics go to STATE_DIR/hook.log.
//
// One exception: an event lost (neither delivered nor spooled) when the log
// cannot say so either. Then one line goes to stderr and the exit code is 1,
// which Claude Code reports to the user as a non-blocking hook error and
// otherwise ignores: the tool call goes ahead. Exit code 2 would block the
// tool call (and show stderr to the agent) and is never used.
#include <cstring>
#include <string>
#include <unistd.h>

#include "broker_client/broker_endpoint.hpp"
#include "event_identity.hpp"
#include "forwarder.hpp"
#include "hook_input.hpp"
#include "hook_log.hpp"
#include "spool/payload_envelope.hpp"

namespace {

constexpr char kUsage[] =
    "usage: hookbroker-hook [--emit-continue]\n"
    "\n"
    "Forwards the Claude Code hook event on stdin to the hookbroker broker\n"
    "(POST /api/events). When the broker is unreachable or does not keep it\n"
    "(503/507) the event is spooled and replayed later. Exits 0 and prints nothing\n"
    "unless --emit-continue is given, which prints exactly one {\"continue\": true}\n"
    "line. Only when an event is lost (not delivered, not spooled) and the log\n"
    "cannot be written either does it say so on stderr and exit 1 (Claude Code\n"
    "shows that to the user and goes on).\n"
    "\n"
    "Broker: HOOKBROKER_URL, else the broker's config file and HOOKBROKER_HOST/PORT/TOKEN.\n"
    "Tuning: HOOKBROKER_HOOK_MAX_BYTES, HOOKBROKER_HOOK_TIMEOUT_MS, HOOKBROKER_HOOK_STDIN_TIMEOUT_MS,\n"
    "HOOKBROKER_SPOOL_DIR, HOOKBROKER_SPOOL_MAX_BYTES, HOOKBROKER_SPOOL_FSYNC, HOOKBROKER_HOOK_LOG,\n"
    "HOOKBROKER_HOOK_DEBUG. See docs/hooks.md.\n";

void write_stdout(const char* text) {
  [[maybe_unused]] const ssize_t ignored = ::write(STDOUT_FILENO, text, std::strlen(text));
}

void write_stderr(const std::string& text) {
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hookbroker;
  const std::string sent_at = hook::now_timestamp();  // when the hook fired
  bool emit_continue = false;
  std::string unknown_args;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--emit-continue") == 0) {
      emit_continue = true;
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      write_stdout(kUsage);
      return 0;
    } else if (std::strcmp(argv[i], "--version") == 0) {
      write_stdout("hookbroker-hook " HOOKBROKER_VERSION "\n");
      return 0;
    } else {
      unknown_args += std::string(unknown_args.empty() ? "" : " ") + argv[i];
    }
  }

  const auto env = platform::process_env();
  const broker_client::BrokerEndpoint endpoint = broker_client::resolve_broker_endpoint(env);
  std::string problems = endpoint.problems;
  const hook::ForwarderSettings settings = hook::forwarder_settings(env, endpoint, problems);
  hook::HookLog log(settings.log_path);
  if (!problems.empty()) log.warn("configuration: " + problems);
  // A hook must not fail because of its command line: note it and go on.
  if (!unknown_args.empty()) log.warn("ignoring unknown arguments: " + unknown_args);

  hook::HookInput input = hook::read_hook_input(STDIN_FILENO, settings.max_input_bytes, settings.stdin_timeout_ms);
  if (input.received == 0) {
    if (!input.problem.empty() || settings.debug)
      log.info("no input to forward" + (input.problem.empty() ? std::string() : ": " + input.problem));
  } else {
    hook::HookEvent event;
    event.id = hook::new_event_id();
    event.sent_at = sent_at;
    if (input.truncated()) {
      const std::string reason = input.over_limit
                                     ? "input larger than " + std::to_string(settings.max_input_bytes) +
                                           " bytes (HOOKBROKER_HOOK_MAX_BYTES)"
                                     : input.problem;
      log.warn("event " + event.id + ": " + reason + "; forwarding it truncated");
      event.body = spool::truncated_envelope(std::string_view(input.bytes).substr(0, spool::kTruncatedKeepBytes),
                                            input.received, input.complete, reason);
    } else {
      event.body = input.bytes;
    }
    event.raw = std::move(input.bytes);
    hook::Forwarder forwarder(endpoint, settings, log);
    if (!forwarder.forward(event) && !forwarder.loss_logged()) {
      // Nobody would ever know: tell the user, without blocking the tool call.
      write_stderr("hookbroker-hook: " + forwarder.loss() + "; and the log cannot be written (" + log.problem() +
                   "). Run `hookbroker doctor`.\n");
      return 1;
    }
  }

  if (emit_continue) write_stdout("{\"continue\": true}\n");
  return 0;
}
