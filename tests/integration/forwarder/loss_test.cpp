// The loss test: 8 concurrent senders push events through hookbroker-hook
// while the broker is stopped, restarted and killed -9 twice. Afterwards the
// broker must have broadcast every event exactly once, in each sender's order.
//
// HOOKBROKER_LOSS_TEST_EVENTS sets the total (default 2000 to keep ctest
// quick; the acceptance run uses 10000, see docs/hooks.md).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "forwarder_world.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using forwarder_it::ForwarderWorld;
using namespace std::chrono_literals;

constexpr int kSenders = 8;

int total_events() {
  const char* text = std::getenv("HOOKBROKER_LOSS_TEST_EVENTS");
  const int n = text ? std::atoi(text) : 2000;
  return n >= kSenders * 10 ? n : 2000;
}

TEST(HookForwarderLoss, EveryEventExactlyOnceInSenderOrderThroughStopsAndKills) {
  ForwarderWorld world;
  world.start_broker();
  const int total = total_events();
  const int per_sender = total / kSenders;
  std::atomic<int> sent{0};
  std::atomic<int> bad_runs{0};
  std::vector<std::thread> senders;
  const auto started = std::chrono::steady_clock::now();
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      const std::string sender = "sender-" + std::to_string(s);
      for (int i = 0; i < per_sender; ++i) {
        const auto run = world.run_hook(forwarder_it::hook_payload("loss-" + sender, sender, i));
        if (run.exit_code != 0 || !run.out.empty() || !run.err.empty()) ++bad_runs;
        ++sent;
      }
    });
  }

  // The broker's bad day, at fixed points of the run.
  auto at = [&](double fraction) {
    while (sent.load() < static_cast<int>(fraction * per_sender * kSenders)) std::this_thread::sleep_for(1ms);
  };
  at(0.15);
  world.stop_broker(SIGTERM);
  at(0.30);
  world.start_broker();
  at(0.50);
  world.stop_broker(SIGKILL);
  at(0.60);
  world.start_broker();
  at(0.75);
  world.stop_broker(SIGKILL);
  world.start_broker();  // straight back up, while events are in flight
  for (auto& t : senders) t.join();
  const double send_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const std::size_t expected = static_cast<std::size_t>(per_sender * kSenders);
  ASSERT_TRUE(hbtest::wait_until([&] { return world.spool_empty() && world.hook_events().size() >= expected; },
                                 hbtest::scaled(60s), 50ms))
      << "broadcast " << world.hook_events().size() << " of " << expected;
  // Let anything late (a duplicate) show up before counting.
  std::this_thread::sleep_for(500ms);

  const auto events = world.hook_events();
  std::map<std::pair<std::string, int>, int> seen;
  std::map<std::string, int> last_seq;
  int order_violations = 0, replayed = 0;
  for (const auto& e : events) {
    const auto& data = e["data"];
    if (!data.contains("sender")) continue;
    const std::string sender = data["sender"];
    const int seq = data["seq"];
    ++seen[{sender, seq}];
    if (last_seq.count(sender) && seq <= last_seq[sender]) ++order_violations;
    last_seq[sender] = seq;
    if (e.value("replayed", false)) ++replayed;
  }
  int missing = 0, duplicated = 0;
  for (int s = 0; s < kSenders; ++s)
    for (int i = 0; i < per_sender; ++i) {
      const auto it = seen.find({"sender-" + std::to_string(s), i});
      if (it == seen.end()) ++missing;
      else if (it->second > 1) duplicated += it->second - 1;
    }
  if (duplicated) {
    for (std::size_t k = 0; k < events.size(); ++k) {
      const auto& d = events[k]["data"];
      if (!d.contains("sender") || seen[{d["sender"], d["seq"]}] < 2) continue;
      const std::string id = events[k]["event_id"];
      std::cout << "[ dup     ] #" << k << " " << d["sender"] << " " << d["seq"] << " replayed="
                << events[k].value("replayed", false) << " ts=" << events[k]["timestamp"] << " id=" << id << "\n";
      // What the forwarder said about it, for the post-mortem.
      const std::string hook_log = hbtest::read_file(world.hook_log());
      for (std::size_t pos = hook_log.find(id); pos != std::string::npos; pos = hook_log.find(id, pos + 1)) {
        const std::size_t start = hook_log.rfind('\n', pos) + 1;
        std::cout << "[ dup log ] " << hook_log.substr(start, hook_log.find('\n', pos) - start) << "\n";
      }
    }
  }
  // How often the accepted-id journal saved a duplicate: events the broker
  // took just before a kill -9, that the forwarder spooled for lack of a 204.
  int journal_skips = 0;
  const std::string log = world.all_broker_output();
  const std::string tail = " the broker had already taken";
  for (std::size_t pos = log.find(tail); pos != std::string::npos; pos = log.find(tail, pos + 1)) {
    const std::size_t number = log.rfind(' ', pos - 1) + 1;
    journal_skips += std::atoi(log.c_str() + number);
  }
  std::cout << "[ loss    ] " << expected << " events from " << kSenders << " senders in " << send_seconds
            << " s; broadcast " << events.size() << ", missing " << missing << ", duplicated " << duplicated
            << ", out of order " << order_violations << ", replayed from the spool " << replayed
            << ", spooled duplicates dropped by the id journal " << journal_skips << "\n";
  EXPECT_EQ(bad_runs.load(), 0) << "hook runs that printed something or exited non-zero";
  EXPECT_EQ(missing, 0);
  // Known window (docs/hooks.md, "Exactly once"): the core broadcasts an
  // accepted event before the sinks see it, and spool_replay's sink is what
  // writes the id to its journal. A kill -9 between the two leaves an event
  // shown live whose sender got no answer and spooled it, and whose id no
  // journal holds: it is shown again when replayed. Allowed here only in
  // that shape, at most once per kill -9: the first copy live, the second
  // replayed, and the forwarder's log saying the broker closed the
  // connection without answering. Anything else is a duplicate bug.
  constexpr int kKills = 2;
  int unexplained = 0;
  const std::string hook_log = hbtest::read_file(world.hook_log());
  for (const auto& [key, copies] : seen) {
    if (copies < 2) continue;
    std::vector<bool> replayed_copies;
    std::string id;
    for (const auto& e : events)
      if (e["data"].value("sender", "") == key.first && e["data"].value("seq", -1) == key.second) {
        replayed_copies.push_back(e.value("replayed", false));
        id = e.value("event_id", "");
      }
    const bool live_then_replayed = copies == 2 && !replayed_copies[0] && replayed_copies[1];
    const bool unanswered = !id.empty() && hook_log.find("did not take event " + id +
                                                         " (the server closed the connection without answering)") !=
                                               std::string::npos;
    if (!live_then_replayed || !unanswered) ++unexplained;
  }
  EXPECT_EQ(unexplained, 0) << "duplicates not explained by a kill -9 between broadcast and journal";
  EXPECT_LE(duplicated, kKills);
  // The duplicate's second copy, replayed later, is the one out of order.
  EXPECT_LE(order_violations, duplicated);
  EXPECT_GT(replayed, 0) << "the broker was down part of the time: some events must have been replayed";
  EXPECT_EQ(events.size(), expected + static_cast<std::size_t>(duplicated));
}

}  // namespace
