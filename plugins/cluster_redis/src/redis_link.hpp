// One connection to Redis on a strand, driven by Boost.Asio: resolves a host
// name off the strand, connects (each address in turn), does the TLS
// handshake for rediss://, then AUTH and SELECT, then runs commands, all
// under one connect deadline; says once when it is lost. hiredis is the RESP
// library only: redisFormatCommandArgv writes the commands, a redisReader
// parses the replies; the socket is Asio's. Every member is called on the
// strand; callbacks run there too.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "redis_reply.hpp"
#include "redis_url.hpp"

namespace hookbroker::cluster {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

class RedisLink : public std::enable_shared_from_this<RedisLink> {
 public:
  /// `error` is "" when the link is ready for commands.
  using ReadyHandler = std::function<void(const std::string& error)>;
  /// The connection broke after it was ready (not called after close()).
  using LostHandler = std::function<void(const std::string& why)>;
  using ReplyHandler = std::function<void(const RedisReply& reply)>;

  RedisLink(Strand& strand, RedisEndpoint endpoint, std::string client_name);
  ~RedisLink();
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;

  /// Connects; `ready` is called exactly once (error "" = ready).
  void connect(std::chrono::milliseconds timeout, ReadyHandler ready, LostHandler lost);
  /// Runs one command; `done` gets its reply, or an Error reply when the link
  /// is down or goes down first. Never called after close().
  void command(const std::vector<std::string>& args, ReplyHandler done);
  /// PSUBSCRIBE `pattern`: `message` gets every reply on it (the
  /// confirmation, then ["pmessage", pattern, channel, payload] each) until
  /// the link goes. The link can then only (p)subscribe.
  void psubscribe(const std::string& pattern, ReplyHandler message);
  bool ready() const { return ready_; }
  /// Drops the connection; no callback runs afterwards.
  void close();

 private:
  struct Wire;  // the socket (plain or TLS), its buffers and the reply parser

  void try_next_address(std::string last_error);
  void connected();
  void handshake();
  void fail_connect(const std::string& error);
  void send(const std::vector<std::string>& args, ReplyHandler done);
  void write_more();
  void read_more();
  void take_replies();
  void lose(const std::string& why);

  Strand& strand_;
  const RedisEndpoint endpoint_;
  const std::string client_name_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  /// A name's addresses not tried yet, next at the back ("localhost" may give
  /// ::1 before 127.0.0.1, and Redis may listen on one only).
  std::vector<boost::asio::ip::tcp::endpoint> untried_;
  std::shared_ptr<Wire> wire_;
  ReadyHandler on_ready_;
  LostHandler on_lost_;
  bool ready_ = false;
  bool closed_ = false;
  /// Shared with the waits in flight, which may outlive this object.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hookbroker::cluster
