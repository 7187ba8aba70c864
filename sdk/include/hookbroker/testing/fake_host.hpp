// hookbroker SDK — FakeHost: a HostApi for unit-testing plugins without the broker.
//
// A plugin is written against HostApi only, so a test can construct it with a
// FakeHost and call it directly:
//
//   #include <hookbroker/testing/fake_host.hpp>
//
//   hookbroker::testing::FakeHost host("my_plugin");
//   MyPlugin plugin(host, hookbroker::with_defaults(my_option_table()));  // config as the core completes it
//   host.on_strand([&] { plugin.start(); });          // as the core would call it
//   EXPECT_TRUE(host.run_until([&] { return host.published().size() == 1; },
//                              std::chrono::seconds(2)));
//   EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Info, "started"));
//
// What it does:
//  - owns an io_context and a strand (the plugin's), like the core's. Either
//    drive it from the test thread with run_until()/on_strand(), or run it on
//    worker threads with start_threads(n) to exercise thread safety; the
//    destructor stops the threads.
//  - records every log line, ingested and published event, registered HTTP
//    route and client request, for assertions. All accessors are thread-safe
//    and return copies.
//  - is also the TransportHost (for testing transports): it routes HTTP
//    requests to the registered routes by the same path rules as the core,
//    but applies none of the core's policy (token, Host, Origin, content
//    type): test those against the real broker.
//  - lets the test plug in a SessionTracker (set_sessions), decide what
//    ingest() answers (set_ingest_reply) and set the counters.
//  - run_blocking() runs the work on its own thread; the destructor joins it.
//  - keeps the greetings and filters a plugin adds (ABI 3.1): greetings_for()
//    runs the greetings as a transport would on connect, status() applies the
//    status filters, shape_broadcast() the broadcast filters.
// It never opens sockets or files. Header-only: link nothing but the SDK.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "hookbroker/host_api.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::testing {

class FakeHost : public HostApi, public TransportHost {
 public:
  struct LogLine {
    LogLevel level;
    std::string message;
  };
  struct Ingested {
    nlohmann::json raw;
    IngestContext context;
  };
  struct ClientRequest {
    std::string name;
    ClientRequestHandler handler;
  };

  explicit FakeHost(std::string plugin_name = "test_plugin", HostSettings settings = default_settings())
      : name_(std::move(plugin_name)),
        settings_(std::move(settings)),
        strand_(boost::asio::make_strand(io_)) {}

  ~FakeHost() override {
    stop_threads();
    std::vector<std::thread> blocking;
    {
      std::lock_guard lock(mutex_);
      blocking.swap(blocking_threads_);
    }
    for (auto& t : blocking) t.join();
  }

  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  static HostSettings default_settings() {
    HostSettings s;
    s.version = "0.0.0-test";
    s.host = "127.0.0.1";
    s.port = 0;
    s.heartbeat_interval_s = 60;
    return s;
  }

  // ---- driving the io_context ------------------------------------------------

  /// Runs the io_context on the calling thread until `done()` is true or
  /// `timeout` passes; returns whether `done()` became true. Do not combine
  /// with start_threads().
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto guard = boost::asio::make_work_guard(io_);  // keeps run_for() waiting for work
    io_.restart();
    while (!done()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return done();
      io_.run_for(std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                                std::chrono::milliseconds(5)));
    }
    return true;
  }

  /// Runs whatever is ready now (handlers already posted, expired timers).
  void poll() {
    io_.restart();
    io_.poll();
  }

  /// Runs `f` on the plugin's strand and waits for it, as the core calls a
  /// plugin. Works with and without worker threads; rethrows f's exception.
  template <typename F>
  auto on_strand(F f, std::chrono::milliseconds timeout = std::chrono::seconds(5)) -> decltype(f()) {
    using R = decltype(f());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    std::future<R> result = task->get_future();
    boost::asio::post(strand_, [task] { (*task)(); });
    if (threads_.empty()) {
      run_until([&] { return result.wait_for(std::chrono::seconds(0)) == std::future_status::ready; },
                timeout);
    } else {
      result.wait_for(timeout);
    }
    if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      throw std::runtime_error("FakeHost::on_strand: the call did not finish in time");
    return result.get();
  }

  /// Runs the io_context on `n` threads, like the core's worker pool.
  void start_threads(std::size_t n) {
    work_.emplace(boost::asio::make_work_guard(io_));
    io_.restart();
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  void stop_threads() {
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  /// Polls `done()` until true or `timeout`; for use with start_threads().
  static bool wait_until(const std::function<bool()>& done,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return done();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  // ---- what the plugin did ---------------------------------------------------

  std::vector<LogLine> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  /// True when a line at `level` contains `text`.
  bool has_log(LogLevel level, const std::string& text) const {
    std::lock_guard lock(mutex_);
    return std::any_of(logs_.begin(), logs_.end(), [&](const LogLine& l) {
      return l.level == level && l.message.find(text) != std::string::npos;
    });
  }
  std::size_t count_logs(LogLevel level) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(
        logs_.begin(), logs_.end(), [&](const LogLine& l) { return l.level == level; }));
  }
  std::vector<Ingested> ingested() const {
    std::lock_guard lock(mutex_);
    return ingested_;
  }
  std::vector<Event> published() const {
    std::lock_guard lock(mutex_);
    return published_;
  }
  std::vector<std::string> fatal_reasons() const {
    std::lock_guard lock(mutex_);
    return fatal_;
  }

  /// Serves a request through the routes plugins added (as the core would,
  /// without its policy); nullopt when no route matches. Runs the handler on
  /// the strand and waits for its answer.
  std::optional<HttpResponse> call_http(const HttpRequest& request) {
    if (route_of(request.method, request.path).empty()) return std::nullopt;
    auto reply = std::make_shared<std::promise<HttpResponse>>();
    auto answer = reply->get_future();
    serve_http(request, [reply](HttpResponse r) { reply->set_value(std::move(r)); });
    if (threads_.empty())
      run_until([&] { return answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    else
      answer.wait_for(std::chrono::seconds(5));
    if (answer.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      throw std::runtime_error("FakeHost::call_http: the route never replied");
    return answer.get();
  }
  /// `channel` and `message` after the broadcast filters the plugin added,
  /// as the core applies them to every broadcast.
  std::pair<std::string, nlohmann::json> shape_broadcast(std::string channel, nlohmann::json message) const {
    std::vector<BroadcastFilter> filters;
    {
      std::lock_guard lock(mutex_);
      filters = broadcast_filters_;
    }
    for (const auto& f : filters) f(channel, message);
    return {std::move(channel), std::move(message)};
  }
  /// The routes registered so far.
  std::vector<HttpRoute> routes() const {
    std::lock_guard lock(mutex_);
    std::vector<HttpRoute> out;
    for (const auto& r : routes_) out.push_back(r.first);
    return out;
  }

  // ---- what the test controls ------------------------------------------------

  /// The tracker sessions() returns (not owned); nullptr = none loaded.
  void set_sessions(SessionTracker* tracker) { sessions_.store(tracker); }
  /// What ingest() answers; the default accepts everything.
  void set_ingest_reply(std::function<IngestResult(const nlohmann::json&, const IngestContext&)> f) {
    std::lock_guard lock(mutex_);
    ingest_reply_ = std::move(f);
  }
  void set_counters(Counters c) {
    std::lock_guard lock(mutex_);
    counters_ = c;
  }
  void set_status(nlohmann::json status) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
  }
  /// Forgets the registered routes, as the core does when a plugin stops
  /// (for a test that creates the plugin again on the same host).
  void clear_routes() {
    std::lock_guard lock(mutex_);
    routes_.clear();
  }
  /// The token check_client_auth() expects in {"token": ...}; "" = none.
  void set_client_token(std::string token) {
    std::lock_guard lock(mutex_);
    client_token_ = std::move(token);
  }

  // ---- HostApi -----------------------------------------------------------------

  const std::string& plugin_name() const override { return name_; }
  const HostSettings& settings() const override { return settings_; }

  void log(LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex_);
    logs_.push_back({level, message});
  }

  boost::asio::io_context& io_context() override { return io_; }
  Strand& strand() override { return strand_; }

  void run_blocking(std::function<void()> work) override {
    std::lock_guard lock(mutex_);
    blocking_threads_.emplace_back(std::move(work));
  }

  void ingest(nlohmann::json raw, IngestContext context, IngestDone done) override {
    IngestResult result;
    {
      std::lock_guard lock(mutex_);
      if (ingest_reply_) result = ingest_reply_(raw, context);
      ingested_.push_back({std::move(raw), std::move(context)});
    }
    if (done) done(std::move(result));
  }

  /// Recorded with ingested(): the event, its context with source
  /// "node:<node>" prepended, so tests tell the two calls apart.
  void ingest_from_node(nlohmann::json event, IngestContext context, std::string node, IngestDone done) override {
    context.source = "node:" + node + (context.source.empty() ? "" : ":" + context.source);
    ingest(std::move(event), std::move(context), std::move(done));
  }

  /// Recorded with published(): an Event whose channel is `channel` and
  /// whose data is `payload`, type "broadcast".
  void broadcast(const std::string& channel, const nlohmann::json& payload) override {
    Event event;
    event.type = "broadcast";
    event.channel = channel;
    event.data = payload;
    publish(std::move(event));
  }

  void publish(Event event) override {
    std::lock_guard lock(mutex_);
    published_.push_back(std::move(event));
  }

  /// Pages what publish() recorded, like the core's history ring (cursors
  /// are positions in that record).
  nlohmann::json history(const HistoryQuery& query) const override {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> events;
    for (const auto& e : published_) events.push_back(e.to_json());
    std::size_t end = events.size();
    if (query.cursor) end = std::min<std::uint64_t>(*query.cursor, end);
    return select_history_page(
        query, end, [&](std::size_t i) -> const nlohmann::json& { return events[i]; },
        [](std::size_t i) { return static_cast<std::uint64_t>(i); }, "memory");
  }

  Counters counters() const override {
    std::lock_guard lock(mutex_);
    Counters c = counters_;
    if (auto* s = sessions_.load()) c.sessions = s->size();
    return c;
  }
  /// The status set_status() gave, after the status filters the plugin added.
  nlohmann::json status() const override {
    nlohmann::json status;
    std::vector<StatusFilter> filters;
    {
      std::lock_guard lock(mutex_);
      status = status_;
      filters = status_filters_;
    }
    for (const auto& f : filters) f(status);
    return status;
  }

  SessionTracker* sessions() override { return sessions_.load(); }

  TransportHost* transport_host() override { return this; }

  using HostApi::add_http_route;
  bool add_http_route(const HttpRoute& route, HttpHandler handler) override {
    return add_http_route_with_body_limit(route, 0, std::move(handler));
  }
  bool add_http_route_with_body_limit(const HttpRoute& route, std::size_t max_body_bytes,
                                      HttpHandler handler) override {
    std::lock_guard lock(mutex_);
    for (const auto& r : routes_)
      if (r.first.method == route.method && r.first.path == route.path) return false;
    routes_.emplace_back(route, std::move(handler));
    body_limits_.push_back(max_body_bytes);
    return true;
  }

  bool add_client_request(const std::string& name, ClientRequestHandler handler) override {
    std::lock_guard lock(mutex_);
    return client_requests_.emplace(name, std::move(handler)).second;
  }
  // ---- TransportHost ---------------------------------------------------------

  void serve_http(const HttpRequest& request, HttpReply reply) override {
    HttpRequest routed = request;
    HttpHandler handler;
    {
      std::lock_guard lock(mutex_);
      const auto* best = find_route(request.method, request.path, &routed.path_params);
      if (!best && request.method == "HEAD") best = find_route("GET", request.path, &routed.path_params);
      if (!best) return reply(HttpResponse::error(404, "no route for " + request.method + " " + request.path));
      routed.route = best->first.path;
      handler = best->second;
      const std::size_t limit = body_limits_[static_cast<std::size_t>(best - routes_.data())];
      if (limit != 0 && request.body.size() > limit)
        return reply(HttpResponse::error(413, "body over the route's limit of " + std::to_string(limit) +
                                                  " bytes (FakeHost)"));
    }
    boost::asio::post(strand_, [handler, routed, reply] { handler(routed, reply); });
  }
  std::string route_of(const std::string& method, const std::string& path) const override {
    std::lock_guard lock(mutex_);
    const auto* best = find_route(method, path, nullptr);
    if (!best && method == "HEAD") best = find_route("GET", path, nullptr);
    return best ? best->first.path : std::string();
  }
  std::size_t max_body_bytes(const std::string& method, const std::string& path) const override {
    std::lock_guard lock(mutex_);
    const auto* best = find_route(method, path, nullptr);
    return best ? body_limits_[static_cast<std::size_t>(best - routes_.data())] : 0;
  }
  std::optional<HttpResponse> check_upgrade(const HttpRequest&) const override { return std::nullopt; }
  std::string check_client_auth(const nlohmann::json& auth, const std::string&) override {
    std::lock_guard lock(mutex_);
    if (client_token_.empty()) return {};
    const auto it = auth.is_object() ? auth.find("token") : auth.end();
    if (it == auth.end() || !it->is_string() || *it != client_token_) return "invalid token (FakeHost)";
    return {};
  }

  bool handle_client_request(const std::string& name, const ClientInfo& client,
                             const nlohmann::json& args, ClientReply reply) override {
    ClientRequestHandler handler;
    {
      std::lock_guard lock(mutex_);
      const auto it = client_requests_.find(name);
      if (it == client_requests_.end()) return false;
      handler = it->second;
    }
    boost::asio::post(strand_, [handler, client, args, reply] { handler(client, args, reply); });
    return true;
  }

  void client_connected(const ClientInfo& client) override { notify_clients(client, true); }
  void client_disconnected(const ClientInfo& client) override { notify_clients(client, false); }
  void add_client_observer(ClientObserver observer) override {
    std::lock_guard lock(mutex_);
    observers_.push_back(std::move(observer));
  }

  void fatal(int exit_code, const std::string& reason) override {
    std::lock_guard lock(mutex_);
    fatal_.push_back(std::to_string(exit_code) + ": " + reason);
  }
  void add_client_greeting(ClientGreeting greeting) override {
    std::lock_guard lock(mutex_);
    greetings_.push_back(std::move(greeting));
  }
  void add_broadcast_filter(BroadcastFilter filter) override {
    std::lock_guard lock(mutex_);
    broadcast_filters_.push_back(std::move(filter));
  }
  void add_status_filter(StatusFilter filter) override {
    std::lock_guard lock(mutex_);
    status_filters_.push_back(std::move(filter));
  }
  std::vector<ClientMessage> greetings_for(const ClientInfo& client, const nlohmann::json& history) override {
    std::vector<ClientGreeting> greetings;
    {
      std::lock_guard lock(mutex_);
      greetings = greetings_;
    }
    std::vector<ClientMessage> messages;
    for (const auto& g : greetings)
      for (auto& m : g(client, history)) messages.push_back(std::move(m));
    return messages;
  }
  void report_listening_port(uint16_t port) override { listening_port_ = port; }
  /// What the plugin reported through report_listening_port(), 0 before.
  uint16_t listening_port() const { return listening_port_; }

 private:
  using RouteEntry = std::pair<HttpRoute, HttpHandler>;

  /// The best route by the core's rules (http.hpp); callers hold mutex_.
  const RouteEntry* find_route(const std::string& method, const std::string& path,
                               std::vector<std::pair<std::string, std::string>>* params) const {
    const RouteEntry* best = nullptr;
    for (const auto& r : routes_) {
      if (r.first.method != method || !match_route_path(r.first.path, path)) continue;
      if (!best || route_precedes(r.first.path, best->first.path)) best = &r;
    }
    if (best && params) match_route_path(best->first.path, path, params);
    return best;
  }

  void notify_clients(const ClientInfo& client, bool connected) {
    std::vector<ClientObserver> observers;
    {
      std::lock_guard lock(mutex_);
      observers = observers_;
    }
    for (auto& o : observers) boost::asio::post(strand_, [o, client, connected] { o(client, connected); });
  }

  const std::string name_;
  const HostSettings settings_;
  std::atomic<uint16_t> listening_port_{0};
  boost::asio::io_context io_;
  Strand strand_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;

  mutable std::mutex mutex_;
  std::vector<LogLine> logs_;
  std::vector<Ingested> ingested_;
  std::vector<Event> published_;
  std::vector<std::string> fatal_;
  std::vector<std::thread> blocking_threads_;
  std::function<IngestResult(const nlohmann::json&, const IngestContext&)> ingest_reply_;
  Counters counters_;
  nlohmann::json status_ = nlohmann::json::object();
  std::atomic<SessionTracker*> sessions_{nullptr};
  std::vector<RouteEntry> routes_;
  std::vector<std::size_t> body_limits_;  ///< parallel to routes_: each route's own body limit, 0 = none
  std::string client_token_;
  std::map<std::string, ClientRequestHandler> client_requests_;
  std::vector<ClientObserver> observers_;
  std::vector<ClientGreeting> greetings_;
  std::vector<BroadcastFilter> broadcast_filters_;
  std::vector<StatusFilter> status_filters_;
};

}  // namespace hookbroker::testing
