// One connection to Redis on a strand: resolves a host name without blocking
// the strand (Asio's resolver), connects hiredis to the address (with one
// deadline for both), AUTH and SELECT, then runs commands; says once when it
// is lost. Every member is called on the strand; callbacks run there too.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "redis_reply.hpp"
#include "redis_url.hpp"
#include "redis_watcher.hpp"

struct redisAsyncContext;

namespace hookbroker::cluster {

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
  struct Pending;
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_reply(redisAsyncContext* context, void* reply, void* privdata);
  void try_next_address();
  void connect_to(const std::string& address);
  void handshake();
  void fail_connect(const std::string& error);
  void send(const std::vector<std::string>& args, ReplyHandler done, bool subscription = false);

  Strand& strand_;
  const RedisEndpoint endpoint_;
  const std::string client_name_;
  redisAsyncContext* context_ = nullptr;
  boost::asio::ip::tcp::resolver resolver_;
  /// A name's addresses not tried yet ("localhost" may give ::1 before
  /// 127.0.0.1, and Redis may listen on one only).
  std::vector<std::string> untried_addresses_;
  boost::asio::steady_timer deadline_;
  ReadyHandler on_ready_;
  LostHandler on_lost_;
  bool ready_ = false;
  bool closed_ = false;
  /// Shared with replies in flight, which may outlive this object.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hookbroker::cluster
