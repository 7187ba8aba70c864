#include "client_pool.hpp"

#include <atomic>
#include <deque>
#include <future>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "bench_event.hpp"

namespace loadgen {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

enum class ClientState { Connecting, Connected, Failed, Closed };

struct Client {
  explicit Client(asio::io_context& io) : ws(io) {}
  websocket::stream<tcp::socket> ws;
  boost::beast::flat_buffer buffer;  // one message at a time, reused
  std::deque<const char*> outbox;    // Engine.IO answers ("40", "3"): one write at a time
  bool writing = false;
  ClientState state = ClientState::Connecting;
  std::uint64_t node = 0;  // index of its server in ClientPool::Options::ports
  bool in_phase = false;
  std::uint64_t received = 0;
  std::vector<std::uint8_t> seen;  // per seq of the current phase
};

}  // namespace

struct PoolState {
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> connected{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<std::size_t> lost{0};
  std::size_t started = 0;  // clients ever started: the next one's node is started % ports
  std::vector<std::unique_ptr<ClientPool::Worker>> workers;
};

// One thread, one io_context, its clients. Every member except the atomics
// is touched only on that thread.
struct ClientPool::Worker {
  PoolState& pool;
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::unique_ptr<Client>> clients;
  std::thread thread;

  std::uint64_t run = 0;
  std::uint64_t events = 0;
  std::uint64_t nodes = 1;
  std::atomic<std::uint64_t> delivered{0};
  PhaseStats stats;

  explicit Worker(PoolState& p) : pool(p) {
    thread = std::thread([this] { io.run(); });
  }

  ~Worker() {
    io.stop();
    if (thread.joinable()) thread.join();
  }

  void start_client(const tcp::endpoint& server, const std::string& target, std::uint64_t node,
                    std::uint64_t node_count) {
    clients.push_back(std::make_unique<Client>(io));
    Client* c = clients.back().get();
    c->node = node;
    nodes = node_count;
    websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(boost::beast::role_type::client);
    timeouts.handshake_timeout = std::chrono::seconds(10);
    c->ws.set_option(timeouts);
    c->ws.next_layer().async_connect(server, [this, c, server, target](boost::system::error_code ec) {
      if (ec) return on_gone(*c);
      boost::system::error_code ignored;
      c->ws.next_layer().set_option(tcp::no_delay(true), ignored);
      const std::string host = server.address().to_string() + ":" + std::to_string(server.port());
      c->ws.async_handshake(host, target, [this, c](boost::system::error_code ec2) {
        if (ec2) return on_gone(*c);
        read(*c);
      });
    });
  }

  void read(Client& c) {
    c.ws.async_read(c.buffer, [this, &c](boost::system::error_code ec, std::size_t) {
      if (ec) return on_gone(c);
      const auto data = c.buffer.cdata();
      on_frame(c, std::string_view(static_cast<const char*>(data.data()), data.size()));
      c.buffer.consume(c.buffer.size());
      if (c.state == ClientState::Connecting || c.state == ClientState::Connected) read(c);
    });
  }

  void send(Client& c, const char* text) {
    c.outbox.push_back(text);
    if (!c.writing) write_next(c);
  }

  void write_next(Client& c) {
    if (c.outbox.empty()) {
      c.writing = false;
      return;
    }
    c.writing = true;
    const char* text = c.outbox.front();
    c.ws.text(true);
    c.ws.async_write(asio::buffer(text, std::char_traits<char>::length(text)),
                     [this, &c](boost::system::error_code ec, std::size_t) {
                       c.outbox.pop_front();
                       if (ec) {
                         c.writing = false;  // the read's error counts the loss
                         return;
                       }
                       write_next(c);
                     });
  }

  void on_frame(Client& c, std::string_view frame) {
    if (frame.empty()) return;
    switch (frame[0]) {
      case '0':  // Engine.IO open: connect to the default namespace
        send(c, "40");
        return;
      case '2':  // Engine.IO ping (v4: the server pings)
        send(c, "3");
        return;
      case '4':
        break;
      default:
        return;
    }
    if (frame.size() < 2) return;
    if (frame[1] == '0') {
      if (c.state == ClientState::Connecting) {
        c.state = ClientState::Connected;
        pool.connected.fetch_add(1, std::memory_order_relaxed);
        pool.in_flight.fetch_sub(1, std::memory_order_relaxed);
      }
    } else if (frame[1] == '2') {
      on_event(c, frame);
    } else if (frame[1] == '4') {  // CONNECT_ERROR
      settle_failed(c);
      boost::system::error_code ignored;
      c.ws.next_layer().close(ignored);
    }
  }

  void on_event(Client& c, std::string_view frame) {
    const auto marks = read_bench_marks(frame);
    if (!marks) {
      if (frame.compare(2, 15, "[\"system_event\"") == 0) ++stats.heartbeats;
      return;
    }
    if (!c.in_phase || marks->run != run || marks->seq >= events) {
      ++stats.foreign;
      return;
    }
    const std::uint64_t now = now_ns();
    if (c.seen[marks->seq]++) {
      ++stats.duplicates;
      return;
    }
    ++c.received;
    delivered.fetch_add(1, std::memory_order_relaxed);
    const std::uint64_t latency = now > marks->sent_ns ? now - marks->sent_ns : 0;
    stats.latency.record(latency);
    if (marks->seq % nodes != c.node) stats.cross_node_latency.record(latency);
  }

  void settle_failed(Client& c) {
    if (c.state != ClientState::Connecting) return;
    c.state = ClientState::Failed;
    pool.failed.fetch_add(1, std::memory_order_relaxed);
    pool.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }

  void on_gone(Client& c) {
    if (c.state == ClientState::Connecting) return settle_failed(c);
    if (c.state != ClientState::Connected) return;
    c.state = ClientState::Closed;
    pool.connected.fetch_sub(1, std::memory_order_relaxed);
    pool.lost.fetch_add(1, std::memory_order_relaxed);
    if (c.in_phase) ++stats.closed_during;
  }

  void begin_phase(std::uint64_t new_run, std::uint64_t new_events) {
    run = new_run;
    events = new_events;
    stats = PhaseStats{};
    delivered.store(0, std::memory_order_relaxed);
    for (auto& c : clients) {
      c->in_phase = c->state == ClientState::Connected;
      c->received = 0;
      c->seen.assign(c->in_phase ? events : 0, 0);
      if (c->in_phase) ++stats.clients;
    }
  }

  PhaseStats end_phase() {
    PhaseStats out = stats;
    out.events = events;
    out.received = 0;
    for (auto& c : clients) {
      if (!c->in_phase) continue;
      out.received += c->received;
      out.missing += events - c->received;
      c->in_phase = false;
      c->seen.clear();
      c->seen.shrink_to_fit();
    }
    run = 0;
    return out;
  }
};

namespace {

// Runs `fn` on every worker's thread and waits for all of them.
template <typename Fn>
void on_every_worker(std::vector<std::unique_ptr<ClientPool::Worker>>& workers, Fn fn) {
  std::vector<std::future<void>> done;
  for (auto& w : workers) {
    auto task = std::make_shared<std::packaged_task<void()>>([&fn, worker = w.get()] { fn(*worker); });
    done.push_back(task->get_future());
    boost::asio::post(w->io, [task] { (*task)(); });
  }
  for (auto& f : done) f.get();
}

}  // namespace

ClientPool::ClientPool(Options options) : options_(std::move(options)), state_(std::make_unique<PoolState>()) {
  for (unsigned i = 0; i < std::max(1u, options_.threads); ++i)
    state_->workers.push_back(std::make_unique<Worker>(*state_));
}

ClientPool::~ClientPool() = default;

OpenReport ClientPool::open(std::size_t count, std::size_t window, std::chrono::milliseconds deadline) {
  // Resolved once, here ("localhost" too): a client connects to an address.
  asio::io_context resolving;
  const auto address =
      tcp::resolver(resolving).resolve(options_.host, "0", tcp::resolver::numeric_service)->endpoint().address();
  std::vector<tcp::endpoint> servers;
  for (std::uint16_t port : options_.ports) servers.emplace_back(address, port);
  const std::string target = options_.path + "?EIO=4&transport=websocket";
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + deadline;
  const std::size_t settled_before = state_->connected + state_->failed + state_->lost;
  std::size_t started = 0;
  auto& workers = state_->workers;
  while (std::chrono::steady_clock::now() < until) {
    while (started < count && state_->in_flight.load() < window) {
      state_->in_flight.fetch_add(1);
      Worker* w = workers[started % workers.size()].get();
      const std::uint64_t node = state_->started++ % servers.size();
      boost::asio::post(w->io, [w, server = servers[node], target, node, count = servers.size()] {
        w->start_client(server, target, node, count);
      });
      ++started;
    }
    const std::size_t settled = state_->connected + state_->failed + state_->lost - settled_before;
    if (started == count && settled >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  OpenReport report;
  report.connected = state_->connected;
  report.failed = state_->failed;
  report.pending = state_->in_flight + (count - started);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::size_t ClientPool::connected() const { return state_->connected; }
std::size_t ClientPool::lost() const { return state_->lost; }

void ClientPool::begin_phase(std::uint64_t run, std::uint64_t events) {
  on_every_worker(state_->workers, [run, events](Worker& w) { w.begin_phase(run, events); });
}

std::uint64_t ClientPool::delivered() const {
  std::uint64_t total = 0;
  for (const auto& w : state_->workers) total += w->delivered.load(std::memory_order_relaxed);
  return total;
}

PhaseStats ClientPool::end_phase() {
  std::vector<PhaseStats> parts(state_->workers.size());
  std::size_t index = 0;
  std::vector<std::pair<Worker*, PhaseStats*>> jobs;
  for (auto& w : state_->workers) jobs.emplace_back(w.get(), &parts[index++]);
  on_every_worker(state_->workers, [&jobs](Worker& w) {
    for (auto& [worker, out] : jobs)
      if (worker == &w) *out = w.end_phase();
  });
  PhaseStats total;
  for (const auto& p : parts) {
    total.clients += p.clients;
    total.events = p.events;
    total.received += p.received;
    total.duplicates += p.duplicates;
    total.missing += p.missing;
    total.closed_during += p.closed_during;
    total.foreign += p.foreign;
    total.heartbeats += p.heartbeats;
    total.latency.merge(p.latency);
    total.cross_node_latency.merge(p.cross_node_latency);
  }
  return total;
}

}  // namespace loadgen
