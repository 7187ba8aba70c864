#include "runtime/event_id_ledger.hpp"

#include <gtest/gtest.h>

using hookbroker::IngestDone;
using hookbroker::IngestResult;
using hookbroker::core::EventIdLedger;
using Kind = EventIdLedger::Claim::Kind;

namespace {

IngestDone no_waiter() { return [](IngestResult) {}; }

EventIdLedger::Failed failed_event(std::size_t bytes, std::vector<std::string> sinks = {"store"}) {
  return {std::make_shared<const nlohmann::json>(nlohmann::json{{"type", "x"}}), std::move(sinks), bytes};
}

Kind claim(EventIdLedger& ledger, const std::string& id) {
  IngestDone waiter = no_waiter();
  return ledger.claim(id, waiter).kind;
}

}  // namespace

TEST(EventIdLedger, AnIdIsNewThenStoredThenADuplicate) {
  EventIdLedger ledger(10, 10, 1000);
  EXPECT_EQ(claim(ledger, "a"), Kind::New);
  EXPECT_TRUE(ledger.stored("a").empty());
  EXPECT_EQ(claim(ledger, "a"), Kind::Stored);
}

TEST(EventIdLedger, ARejectedIdIsForgotten) {
  EventIdLedger ledger(10, 10, 1000);
  EXPECT_EQ(claim(ledger, "a"), Kind::New);
  ledger.forget("a");
  EXPECT_EQ(claim(ledger, "a"), Kind::New);
}

TEST(EventIdLedger, AClaimWhileInFlightJoinsAndIsHandedBack) {
  EventIdLedger ledger(10, 10, 1000);
  EXPECT_EQ(claim(ledger, "a"), Kind::New);
  int answered = 0;
  IngestDone waiter = [&](IngestResult) { ++answered; };
  EXPECT_EQ(ledger.claim("a", waiter).kind, Kind::Joined);
  auto waiters = ledger.failed("a", failed_event(10));
  ASSERT_EQ(waiters.size(), 1u);
  waiters[0]({});
  EXPECT_EQ(answered, 1);
}

TEST(EventIdLedger, AFailedIdIsRetriedWithItsEventAndSinks) {
  EventIdLedger ledger(10, 10, 1000);
  claim(ledger, "a");
  ledger.failed("a", failed_event(10, {"store", "index"}));
  EXPECT_EQ(ledger.failed_count(), 1u);
  IngestDone waiter = no_waiter();
  const auto retry = ledger.claim("a", waiter);
  ASSERT_EQ(retry.kind, Kind::Retry);
  ASSERT_TRUE(retry.failed.event);
  EXPECT_EQ(retry.failed.sinks, (std::vector<std::string>{"store", "index"}));
  EXPECT_EQ(ledger.failed_count(), 0u);
  EXPECT_EQ(claim(ledger, "a"), Kind::Joined) << "the retry is in flight now";
}

TEST(EventIdLedger, FailedEventsBeyondTheirBoundsAreForgottenNotStored) {
  EventIdLedger ledger(100, 2, 1000);
  for (const char* id : {"a", "b", "c"}) {
    claim(ledger, id);
    ledger.failed(id, failed_event(10));
  }
  EXPECT_EQ(ledger.failed_count(), 2u);
  EXPECT_EQ(claim(ledger, "a"), Kind::New) << "pushed out: its retry is a new event, never a duplicate";
  EXPECT_EQ(claim(ledger, "c"), Kind::Retry);

  EventIdLedger by_bytes(100, 100, 25);
  for (const char* id : {"a", "b", "c"}) {
    claim(by_bytes, id);
    by_bytes.failed(id, failed_event(10));
  }
  EXPECT_EQ(by_bytes.failed_count(), 2u);
  EXPECT_EQ(claim(by_bytes, "a"), Kind::New);
}

TEST(EventIdLedger, ForgetsTheOldestBeyondCapacityButNeverOneInFlight) {
  EventIdLedger ledger(2, 10, 1000);
  claim(ledger, "flying");  // never settled
  claim(ledger, "b");
  ledger.stored("b");
  claim(ledger, "c");
  ledger.stored("c");
  claim(ledger, "d");
  ledger.stored("d");
  EXPECT_EQ(claim(ledger, "flying"), Kind::Joined) << "still in flight: kept";
  EXPECT_EQ(claim(ledger, "b"), Kind::New) << "aged out";
}

TEST(EventIdLedger, AReclaimedIdIsNotPushedOutByItsOldPlace) {
  EventIdLedger ledger(3, 10, 1000);
  claim(ledger, "a");
  ledger.forget("a");
  claim(ledger, "a");  // a second life
  ledger.stored("a");
  claim(ledger, "b");
  ledger.stored("b");
  claim(ledger, "c");
  ledger.stored("c");
  EXPECT_EQ(claim(ledger, "a"), Kind::Stored) << "its first, stale place in the order must not evict it";
}
