#include "scenarios.hpp"

#include <cmath>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "client_pool.hpp"
#include "event_poster.hpp"
#include "proc_stats.hpp"

namespace loadgen {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

void emit(const json& line) { std::cout << line.dump() << std::endl; }
void progress(const std::string& text) { std::cerr << "loadgen: " << text << std::endl; }

json optional_number(const std::optional<std::uint64_t>& v) { return v ? json(*v) : json(nullptr); }

ClientPool::Options pool_options(const Settings& s) { return {s.host, s.ports, s.path, s.threads}; }

// Memory figures are of one server (the idle and max scenarios run one).
pid_t first_server(const Settings& s) { return s.server_pids.empty() ? 0 : s.server_pids.front(); }

// Opens `count` clients; false (and a JSON line saying why) when not all connected.
bool open_all(ClientPool& pool, const Settings& s, std::size_t count, const char* scenario) {
  const auto deadline = std::chrono::milliseconds(static_cast<std::int64_t>(10000 + count * 10));
  const OpenReport r = pool.open(count, s.window, deadline);
  progress(std::to_string(r.connected) + " clients connected in " + std::to_string(r.seconds) + " s");
  if (r.connected >= count && r.failed == 0) return true;
  emit({{"scenario", scenario}, {"error", "not every client connected"}, {"connected", r.connected},
        {"failed", r.failed}, {"pending", r.pending}});
  return false;
}

struct PhaseResult {
  json line;
  bool held = false;
};

// Posts `events` at `rate` and waits for every connected client to get each
// one (or the drain timeout); CPU of both sides over exactly that window.
PhaseResult run_phase(ClientPool& pool, const Settings& s, std::uint64_t run, double rate, std::uint64_t events) {
  pool.begin_phase(run, events);
  const std::uint64_t expected = pool.connected() * events;
  const auto server_cpu0 = processes_cpu(s.server_pids);
  const auto redis_cpu0 = process_cpu(s.redis_pid);
  const std::uint64_t self_cpu0 = self_cpu_us();
  const auto t0 = Clock::now();

  PostPlan plan;
  plan.host = s.host;
  plan.ports = s.ports;
  plan.run = run;
  plan.events = events;
  plan.rate = rate;
  plan.connections = s.posters;
  plan.sessions = s.sessions;
  const PostReport posted = post_events(plan);

  const auto drain_until = Clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(s.drain_timeout * 1000));
  while (pool.delivered() < expected && Clock::now() < drain_until)
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  const auto t1 = Clock::now();
  const auto server_cpu1 = processes_cpu(s.server_pids);
  const auto redis_cpu1 = process_cpu(s.redis_pid);
  const std::uint64_t self_cpu_delta = self_cpu_us() - self_cpu0;
  const PhaseStats st = pool.end_phase();

  const double window_s = std::chrono::duration<double>(t1 - t0).count();
  const double achieved = posted.seconds > 0 ? static_cast<double>(posted.accepted) / posted.seconds : 0;
  const auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  const std::uint64_t deliveries = st.received;
  json line = {
      {"rate", rate},
      {"events", events},
      {"clients", st.clients},
      {"posted", {{"accepted", posted.accepted}, {"refused", posted.refused}, {"errors", posted.errors},
                  {"connects", posted.connects}, {"seconds", posted.seconds}, {"achieved_rate", achieved},
                  {"max_lag_ms", posted.max_lag_ms}, {"problem", posted.first_problem}}},
      {"deliveries", deliveries},
      {"expected", st.clients * events},
      {"missing", st.missing},
      {"duplicates", st.duplicates},
      {"closed_during", st.closed_during},
      {"foreign", st.foreign},
      {"heartbeats", st.heartbeats},
      {"latency_ms", {{"p50", ms(st.latency.quantile(0.50))}, {"p90", ms(st.latency.quantile(0.90))},
                      {"p99", ms(st.latency.quantile(0.99))}, {"p999", ms(st.latency.quantile(0.999))},
                      {"max", ms(st.latency.max())}}},
      {"window_s", window_s},
      {"nodes", s.ports.size()},
      {"loadgen_cpu_us", self_cpu_delta},
      {"loadgen_cpu_us_per_delivery", deliveries ? static_cast<double>(self_cpu_delta) / static_cast<double>(deliveries) : 0.0},
  };
  if (s.ports.size() > 1) {
    const auto& cross = st.cross_node_latency;
    line["cross_node_deliveries"] = cross.count();
    line["cross_node_latency_ms"] = {{"p50", ms(cross.quantile(0.50))}, {"p90", ms(cross.quantile(0.90))},
                                     {"p99", ms(cross.quantile(0.99))}, {"p999", ms(cross.quantile(0.999))},
                                     {"max", ms(cross.max())}};
  }
  // Per event accepted: what one event costs the servers (or Redis) whatever
  // the number of clients, the figure a cluster is sized by.
  const auto per_event = [&posted](std::uint64_t us) {
    return posted.accepted ? static_cast<double>(us) / static_cast<double>(posted.accepted) : 0.0;
  };
  if (redis_cpu0 && redis_cpu1) {
    const std::uint64_t cpu = redis_cpu1->total_us() - redis_cpu0->total_us();
    line["redis_cpu_us"] = cpu;
    line["redis_cpu_us_per_event"] = per_event(cpu);
  }
  if (server_cpu0 && server_cpu1) {
    const std::uint64_t cpu = server_cpu1->total_us() - server_cpu0->total_us();
    const std::uint64_t user = server_cpu1->user_us - server_cpu0->user_us;
    const auto per = [deliveries](std::uint64_t us) {
      return deliveries ? static_cast<double>(us) / static_cast<double>(deliveries) : 0.0;
    };
    line["server_cpu_us"] = cpu;
    line["server_cpu_us_per_event"] = per_event(cpu);
    line["server_cpu_us_per_delivery"] = per(cpu);
    line["server_user_us_per_delivery"] = per(user);
    line["server_system_us_per_delivery"] = per(cpu - user);
    line["server_cpu_share"] = window_s > 0 ? static_cast<double>(cpu) / 1e6 / window_s : 0.0;
  }
  line["server_rss_kib"] = optional_number(processes_rss_kib(s.server_pids));

  const bool complete = posted.accepted == events && st.missing == 0 && st.duplicates == 0 && st.closed_during == 0;
  const bool on_time = achieved >= 0.95 * rate;
  const bool fast = ms(st.latency.quantile(0.99)) <= s.p99_limit_ms;
  PhaseResult result{std::move(line), complete && on_time && fast};
  result.line["held"] = result.held;
  result.line["complete"] = complete;
  result.line["on_time"] = on_time;
  return result;
}

std::uint64_t events_for(double rate, double seconds) {
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(rate * seconds)));
}

}  // namespace

int run_rate(const Settings& s) {
  ClientPool pool(pool_options(s));
  if (!open_all(pool, s, s.clients, "rate")) return 1;
  std::uint64_t run = 1;
  if (s.warmup > 0 && !s.rates.empty()) {
    const double rate = s.rates.front();
    progress("warm-up at " + std::to_string(rate) + " events/s");
    run_phase(pool, s, run++, rate, events_for(rate, s.warmup));
  }
  unsigned failed_in_a_row = 0;
  for (double rate : s.rates) {
    bool held = false;
    for (unsigned attempt = 0; attempt <= (s.stop_when_failing ? s.retries : 0) && !held; ++attempt) {
      progress("phase at " + std::to_string(rate) + " events/s x " + std::to_string(pool.connected()) + " clients");
      PhaseResult r = run_phase(pool, s, run++, rate, events_for(rate, s.duration));
      r.line["scenario"] = "rate";
      r.line["attempt"] = attempt + 1;
      emit(r.line);
      held = r.held;
    }
    failed_in_a_row = held ? 0 : failed_in_a_row + 1;
    if (s.stop_when_failing && failed_in_a_row >= std::max(1u, s.give_up_after)) break;
  }
  return 0;
}

int run_idle(const Settings& s) {
  const auto before = process_memory(first_server(s));
  ClientPool pool(pool_options(s));
  if (!open_all(pool, s, s.clients, "idle")) return 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<std::int64_t>(s.settle * 1000)));
  const auto after = process_memory(first_server(s));
  json line = {{"scenario", "idle"}, {"clients", pool.connected()}, {"lost", pool.lost()}};
  if (before && after) {
    line["rss_idle_kib"] = before->rss_kib;
    line["rss_idle_anon_kib"] = before->anon_kib;
    line["rss_idle_file_kib"] = before->file_kib;
    line["rss_with_clients_kib"] = after->rss_kib;
    if (pool.connected() > 0)
      line["kib_per_client"] = (static_cast<double>(after->rss_kib) - static_cast<double>(before->rss_kib)) /
                               static_cast<double>(pool.connected());
  }
  emit(line);
  return 0;
}

int run_max(const Settings& s) {
  ClientPool pool(pool_options(s));
  const auto start = Clock::now();
  std::size_t target = 0;
  std::string stopped_by;
  while (target < s.clients) {
    const std::size_t batch = std::min(s.step, s.clients - target);
    const auto deadline = std::chrono::milliseconds(static_cast<std::int64_t>(15000 + batch * 10));
    const OpenReport r = pool.open(batch, s.window, deadline);
    target += batch;
    progress(std::to_string(r.connected) + " of " + std::to_string(target) + " clients connected (" +
             std::to_string(r.failed) + " failed, " + std::to_string(pool.lost()) + " lost)");
    if (r.failed > 0 || r.pending > 0 || pool.lost() > 0 || r.connected < target) {
      stopped_by = std::to_string(r.failed) + " failed, " + std::to_string(r.pending) + " unanswered, " +
                   std::to_string(pool.lost()) + " dropped after connecting";
      break;
    }
  }
  const double connect_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<std::int64_t>(s.settle * 1000)));
  // Held means served: every open client must still get every broadcast.
  PhaseResult check = run_phase(pool, s, 1, 10, 5);
  const bool served = check.line["missing"] == 0 && check.line["duplicates"] == 0 && check.line["closed_during"] == 0;
  emit({{"scenario", "max"},
        {"target", s.clients},
        {"connected", pool.connected()},
        {"held", served ? pool.connected() : 0},
        {"all_served", served},
        {"stopped_by", stopped_by},
        {"connect_seconds", connect_s},
        {"check", check.line},
        {"server_rss_kib", optional_number(process_rss_kib(first_server(s)))}});
  return 0;
}

}  // namespace loadgen
