#include "redis_link.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <optional>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <hiredis/hiredis.h>
#include <openssl/err.h>

namespace hookbroker::cluster {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// Everything the asynchronous operations touch, shared with them so that a
/// link destroyed while one is in flight leaves it nothing dangling.
struct RedisLink::Wire {
  explicit Wire(Strand& strand) : socket(strand) {}
  ~Wire() {
    if (reader) redisReaderFree(reader);
  }

  tcp::socket socket;
  std::optional<asio::ssl::context> tls_context;
  std::optional<asio::ssl::stream<tcp::socket&>> tls;
  redisReader* reader = redisReaderCreate();
  std::array<char, 16 * 1024> inbox{};
  std::string outbox;   ///< formatted commands not yet written
  std::string writing;  ///< the ones being written
  bool write_in_flight = false;

  std::deque<ReplyHandler> pending;  ///< one per command sent and not yet answered, in order
  ReplyHandler subscription;         ///< every reply beyond `pending`, once subscribed

  template <typename Fn>
  void with_stream(Fn&& fn) {
    if (tls) fn(*tls);
    else fn(socket);
  }
  void shut() {
    boost::system::error_code ignored;
    socket.close(ignored);
  }
};

namespace {

/// What OpenSSL said, for the log: "certificate verify failed" reads better
/// with the library's reason than Asio's category name alone.
std::string tls_message(const boost::system::error_code& ec) {
  std::string text = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    if (const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) text = reason;
  }
  return text;
}

std::optional<std::string> setup_tls(asio::ssl::context& context, const RedisEndpoint& e) {
  boost::system::error_code ec;
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  if (e.tls_ca_file.empty()) context.set_default_verify_paths(ec);
  else context.load_verify_file(e.tls_ca_file, ec);
  if (ec) return "tls_ca_file " + e.tls_ca_file + ": " + tls_message(ec);
  if (!e.tls_cert_file.empty()) {
    context.use_certificate_chain_file(e.tls_cert_file, ec);
    if (ec) return "tls_cert_file " + e.tls_cert_file + ": " + tls_message(ec);
    context.use_private_key_file(e.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) return "tls_key_file " + e.tls_key_file + ": " + tls_message(ec);
  }
  context.set_verify_mode(e.tls_verify ? asio::ssl::verify_peer : asio::ssl::verify_none);
  return std::nullopt;
}

}  // namespace

RedisLink::RedisLink(Strand& strand, RedisEndpoint endpoint, std::string client_name)
    : strand_(strand),
      endpoint_(std::move(endpoint)),
      client_name_(std::move(client_name)),
      resolver_(strand),
      deadline_(strand),
      wire_(std::make_shared<Wire>(strand)) {}

RedisLink::~RedisLink() { close(); }

void RedisLink::connect(std::chrono::milliseconds timeout, ReadyHandler ready, LostHandler lost) {
  on_ready_ = std::move(ready);
  on_lost_ = std::move(lost);
  if (!wire_->reader) return fail_connect("out of memory");
  // One deadline for the lookup, the connection, TLS and the handshake.
  deadline_.expires_after(timeout);
  deadline_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || ready_ || !on_ready_) return;
    fail_connect("no answer within the connect timeout");
  });
  boost::system::error_code not_an_address;
  const auto address = asio::ip::make_address(endpoint_.host, not_an_address);
  if (!not_an_address) {
    untried_ = {tcp::endpoint(address, endpoint_.port)};
    return try_next_address("");
  }
  // Asio's resolver runs getaddrinfo off the strand and comes back to it: a
  // slow DNS server stalls nothing here.
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      asio::bind_executor(strand_, [this, alive = alive_](const boost::system::error_code& ec,
                                                          tcp::resolver::results_type results) {
        if (!*alive || !on_ready_) return;  // closed, or the deadline already failed it
        if (ec || results.empty())
          return fail_connect("cannot resolve '" + endpoint_.host + "': " + (ec ? ec.message() : "no address"));
        for (const auto& entry : results)
          if (std::find(untried_.begin(), untried_.end(), entry.endpoint()) == untried_.end())
            untried_.push_back(entry.endpoint());
        std::reverse(untried_.begin(), untried_.end());  // in getaddrinfo's order from the back
        try_next_address("");
      }));
}

void RedisLink::try_next_address(std::string last_error) {
  if (untried_.empty()) return fail_connect(last_error);
  const tcp::endpoint next = untried_.back();
  untried_.pop_back();
  boost::system::error_code ignored;
  wire_->socket.close(ignored);
  wire_->socket.async_connect(next, [this, alive = alive_, wire = wire_](const boost::system::error_code& ec) {
    if (!*alive || !on_ready_) return;
    if (ec) return try_next_address(ec.message());
    boost::system::error_code ignored_option;
    wire->socket.set_option(tcp::no_delay(true), ignored_option);  // one command, one packet
    connected();
  });
}

void RedisLink::connected() {
  if (!endpoint_.tls) {
    read_more();
    return handshake();
  }
  auto& wire = *wire_;
  wire.tls_context.emplace(asio::ssl::context::tls_client);
  if (auto error = setup_tls(*wire.tls_context, endpoint_)) return fail_connect(*error);
  wire.tls.emplace(wire.socket, *wire.tls_context);
  const std::string& name = endpoint_.tls_server_name.empty() ? endpoint_.host : endpoint_.tls_server_name;
  boost::system::error_code not_an_address;
  asio::ip::make_address(name, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(wire.tls->native_handle(), name.c_str());  // SNI: names only
  if (endpoint_.tls_verify) wire.tls->set_verify_callback(asio::ssl::host_name_verification(name));
  wire.tls->async_handshake(asio::ssl::stream_base::client,
                            [this, alive = alive_, wire = wire_](const boost::system::error_code& ec) {
                              if (!*alive || !on_ready_) return;
                              if (ec) return fail_connect("TLS handshake: " + tls_message(ec));
                              read_more();
                              handshake();
                            });
}

void RedisLink::handshake() {
  auto after_select = [this](const RedisReply& reply) {
    if (reply.is_error()) return fail_connect(reply.text);
    deadline_.cancel();
    ready_ = true;
    if (auto ready = std::move(on_ready_)) ready("");
  };
  auto select = [this, after_select](const RedisReply& reply) {
    if (reply.is_error()) {
      // A wrong password says so in its own words (WRONGPASS, NOAUTH).
      return fail_connect(reply.text);
    }
    send({"CLIENT", "SETNAME", client_name_}, [](const RedisReply&) {});
    send({"SELECT", std::to_string(endpoint_.database)}, after_select);
  };
  if (endpoint_.password.empty()) return select(RedisReply{});
  if (endpoint_.username.empty()) send({"AUTH", endpoint_.password}, select);
  else send({"AUTH", endpoint_.username, endpoint_.password}, select);
}

void RedisLink::fail_connect(const std::string& error) {
  deadline_.cancel();
  resolver_.cancel();
  untried_.clear();
  ready_ = false;
  auto ready = std::move(on_ready_);
  on_ready_ = nullptr;
  // Commands of the handshake in flight go with the connection, unanswered.
  wire_->pending.clear();
  wire_->shut();
  if (ready) ready(error.empty() ? std::string("connection failed") : error);
}

void RedisLink::command(const std::vector<std::string>& args, ReplyHandler done) {
  if (!ready_) return done(RedisReply::link_error("not connected to Redis"));
  send(args, std::move(done));
}

void RedisLink::psubscribe(const std::string& pattern, ReplyHandler message) {
  if (!ready_) return message(RedisReply::link_error("not connected to Redis"));
  wire_->subscription = message;
  send({"PSUBSCRIBE", pattern}, std::move(message));
}

void RedisLink::send(const std::vector<std::string>& args, ReplyHandler done) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* formatted = nullptr;
  const int length = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (length < 0 || !formatted) return done(RedisReply::link_error("out of memory formatting a command"));
  wire_->outbox.append(formatted, static_cast<std::size_t>(length));
  redisFreeCommand(formatted);
  wire_->pending.push_back(std::move(done));
  write_more();
}

// Commands sent while a write is in flight wait in the outbox and go
// together in the next write: pipelined, one system call for many.
void RedisLink::write_more() {
  auto& wire = *wire_;
  if (wire.write_in_flight || wire.outbox.empty()) return;
  wire.writing.swap(wire.outbox);
  wire.outbox.clear();
  wire.write_in_flight = true;
  wire.with_stream([&](auto& stream) {
    asio::async_write(stream, asio::buffer(wire.writing),
                      [this, alive = alive_, wire = wire_](const boost::system::error_code& ec, std::size_t) {
                        wire->write_in_flight = false;
                        if (!*alive) return;
                        if (ec) return lose(ec.message());
                        write_more();
                      });
  });
}

void RedisLink::read_more() {
  auto& wire = *wire_;
  wire.with_stream([&](auto& stream) {
    stream.async_read_some(asio::buffer(wire.inbox), [this, alive = alive_, wire = wire_](
                                                         const boost::system::error_code& ec, std::size_t n) {
      if (!*alive) return;
      if (ec) return lose(ec == asio::error::eof ? std::string("closed by Redis") : ec.message());
      if (redisReaderFeed(wire->reader, wire->inbox.data(), n) != REDIS_OK) return lose("reply unreadable");
      take_replies();
      if (*alive && wire == wire_ && (ready_ || on_ready_)) read_more();
    });
  });
}

void RedisLink::take_replies() {
  const auto alive = alive_;
  const auto wire = wire_;
  while (*alive && wire == wire_) {
    void* raw = nullptr;
    if (redisReaderGetReply(wire->reader, &raw) != REDIS_OK) return lose(std::string("reply unreadable: ") + wire->reader->errstr);
    if (!raw) return;
    const RedisReply reply = RedisReply::from(*static_cast<redisReply*>(raw));
    freeReplyObject(raw);
    if (!wire->pending.empty()) {
      ReplyHandler done = std::move(wire->pending.front());
      wire->pending.pop_front();
      done(reply);
    } else if (wire->subscription) {
      wire->subscription(reply);
    }
  }
}

void RedisLink::lose(const std::string& why) {
  if (closed_) return;
  const bool was_ready = ready_;
  ready_ = false;
  if (!was_ready) return fail_connect(why);
  auto wire = wire_;
  wire->shut();
  // Every command in flight is answered first, then the loss is told.
  auto pending = std::move(wire->pending);
  wire->pending.clear();
  auto subscription = std::move(wire->subscription);
  wire->subscription = nullptr;
  const auto alive = alive_;
  for (auto& done : pending) {
    if (!*alive) return;
    done(RedisReply::link_error("connection lost before the reply"));
  }
  if (subscription && *alive) subscription(RedisReply::link_error("connection lost"));
  if (!*alive || closed_) return;
  if (auto lost = std::move(on_lost_)) lost(why);
}

void RedisLink::close() {
  if (closed_) return;
  closed_ = true;
  *alive_ = false;
  on_ready_ = nullptr;
  on_lost_ = nullptr;
  deadline_.cancel();
  resolver_.cancel();
  wire_->pending.clear();
  wire_->subscription = nullptr;
  wire_->shut();
}

}  // namespace hookbroker::cluster
