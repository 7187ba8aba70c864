// The event bus for a batch of events other brokers of a cluster accepted
// (EventBus::ingest_from_nodes): the steps of ingest(), each taken for the
// whole batch in one hand-off. A hand-off to another strand usually wakes
// another thread; for an event from another node that was much of what it
// cost (docs/performance.md, "Cluster: three brokers through Redis").
// The hand-offs are deferred (boost::asio::defer): each step continues the
// one before, so it is queued on the thread that runs that step rather than
// waking an idle one for it.
//
// Order: within a batch, every step goes through the events in the batch's
// order; across batches, every batch takes every step (no handler is skipped
// when all its events are decided), so a later batch never overtakes an
// earlier one on any strand.
#include <boost/asio/defer.hpp>

#include "runtime/event_bus.hpp"
#include "runtime/event_bus_job.hpp"

namespace hookbroker::core {

struct EventBus::Batch {
  std::shared_ptr<const BusRoutes> routes;
  std::vector<std::shared_ptr<Job>> jobs;
  /// Per job: NotMine until a handler (or the generic form) decides it.
  std::vector<HookOutcome> outcomes;
};

void EventBus::ingest_from_nodes(std::vector<NodeEvent> events) {
  auto batch = std::make_shared<Batch>();
  // The ledger sees the batch in order: a repeat inside it joins the first.
  for (auto& e : events)
    if (auto job = admit(std::move(e.raw), std::move(e.context), std::move(e.done), std::move(e.node)))
      batch->jobs.push_back(std::move(job));
  if (batch->jobs.empty()) return;
  batch->routes = routes();
  for (auto& job : batch->jobs) job->routes = batch->routes;
  batch->outcomes.resize(batch->jobs.size());
  read_batch(std::move(batch), 0);
}

void EventBus::read_batch(std::shared_ptr<Batch> batch, std::size_t index) {
  const auto& handlers = batch->routes->handlers;
  auto settle = [this](Batch& b, std::size_t i) {
    HookOutcome& outcome = b.outcomes[i];
    if (outcome.verdict == HookOutcome::Verdict::Duplicate) finish(b.jobs[i], {IngestResult::Status::Duplicate, {}});
    if (outcome.verdict == HookOutcome::Verdict::Rejected)
      finish(b.jobs[i], {IngestResult::Status::Rejected, outcome.error});
  };
  if (index >= handlers.size()) {
    std::vector<std::string> names;
    for (const auto& h : handlers) names.push_back(h.plugin);
    for (std::size_t i = 0; i < batch->jobs.size(); ++i) {
      if (batch->outcomes[i].verdict != HookOutcome::Verdict::NotMine) continue;
      batch->outcomes[i] = normalize_generic(batch->jobs[i]->raw, batch->jobs[i]->context, names);
      settle(*batch, i);
    }
    boost::asio::defer(strand_, [this, batch]() { accept_batch(*batch); });
    return;
  }
  boost::asio::defer(*handlers[index].strand, [this, batch, index, settle]() {
    const auto& handler = batch->routes->handlers[index];
    for (std::size_t i = 0; i < batch->jobs.size(); ++i) {
      if (batch->outcomes[i].verdict != HookOutcome::Verdict::NotMine) continue;
      batch->outcomes[i] = read(handler, *batch->jobs[i]);
      settle(*batch, i);
    }
    read_batch(batch, index + 1);
  });
}

void EventBus::accept_batch(Batch& batch) {
  std::vector<Broadcast> messages;
  std::vector<std::pair<std::shared_ptr<Job>, std::shared_ptr<SinkRound>>> rounds;
  const auto& sinks = batch.routes->sinks;
  for (std::size_t i = 0; i < batch.jobs.size(); ++i) {
    if (batch.outcomes[i].verdict != HookOutcome::Verdict::Accepted) continue;
    Recorded recorded = record(*batch.jobs[i], std::move(batch.outcomes[i].event));
    const std::size_t bytes = recorded.message.payload->size();
    messages.push_back(std::move(recorded.message));
    rounds.emplace_back(batch.jobs[i], std::make_shared<SinkRound>(std::move(recorded.json), bytes, sinks.size()));
  }
  deliver_all(std::move(messages));
  if (sinks.empty()) {
    for (const auto& [job, round] : rounds) finish(job, {IngestResult::Status::Accepted, {}});
    return;
  }
  // The sender's acknowledgement waits until every sink answered (offer()).
  for (const auto& sink : sinks) {
    std::vector<std::pair<std::shared_ptr<const nlohmann::json>, SinkDone>> offers;
    offers.reserve(rounds.size());
    for (const auto& [job, round] : rounds) offers.emplace_back(round->event, sink_done(job, round, sink.plugin));
    boost::asio::defer(*sink.strand, [this, sink, offers = std::move(offers)]() {
      for (const auto& [event, done] : offers) consume(sink, event, done);
    });
  }
}

void EventBus::deliver_all(std::vector<Broadcast> messages) {
  if (messages.empty()) return;
  auto shared = std::make_shared<const std::vector<Broadcast>>(std::move(messages));
  for (const auto& transport : routes()->transports)
    boost::asio::defer(*transport.strand, [this, transport, shared]() {
      for (const auto& message : *shared) send(transport, message);
    });
}

}  // namespace hookbroker::core
