#include "redis_link.hpp"

#include <algorithm>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace hookbroker::cluster {

/// What a command's privdata carries: the handler, and whether its link is
/// still there to hear it.
struct RedisLink::Pending {
  std::shared_ptr<bool> alive;
  ReplyHandler done;
  /// hiredis calls a subscription's callback for every message, and once
  /// with no reply when the connection goes: only then is it freed.
  bool subscription = false;
};

RedisLink::RedisLink(Strand& strand, RedisEndpoint endpoint, std::string client_name)
    : strand_(strand),
      endpoint_(std::move(endpoint)),
      client_name_(std::move(client_name)),
      resolver_(strand),
      deadline_(strand) {}

RedisLink::~RedisLink() { close(); }

void RedisLink::connect(std::chrono::milliseconds timeout, ReadyHandler ready, LostHandler lost) {
  on_ready_ = std::move(ready);
  on_lost_ = std::move(lost);
  // One deadline for the lookup, the connection and the handshake.
  deadline_.expires_after(timeout);
  deadline_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || ready_ || !on_ready_) return;
    resolver_.cancel();
    fail_connect("no answer within the connect timeout");
  });
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(endpoint_.host, not_an_address);
  if (!not_an_address) return connect_to(endpoint_.host);
  // hiredis would resolve a name with a blocking getaddrinfo inside
  // redisAsyncConnect, stalling every plugin on the strand; Asio's resolver
  // does it off the strand and comes back to it.
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      boost::asio::bind_executor(strand_, [this, alive = alive_](const boost::system::error_code& ec,
                                                                  boost::asio::ip::tcp::resolver::results_type results) {
        if (!*alive || !on_ready_) return;  // closed, or the deadline already failed it
        if (ec || results.empty())
          return fail_connect("cannot resolve '" + endpoint_.host + "': " + (ec ? ec.message() : "no address"));
        // In getaddrinfo's order; on_connect tries the next when one refuses.
        for (const auto& entry : results) {
          std::string address = entry.endpoint().address().to_string();
          if (std::find(untried_addresses_.begin(), untried_addresses_.end(), address) == untried_addresses_.end())
            untried_addresses_.push_back(std::move(address));
        }
        std::reverse(untried_addresses_.begin(), untried_addresses_.end());  // next is at the back
        try_next_address();
      }));
}

void RedisLink::try_next_address() {
  const std::string address = std::move(untried_addresses_.back());
  untried_addresses_.pop_back();
  connect_to(address);
}

void RedisLink::connect_to(const std::string& address) {
  context_ = redisAsyncConnect(address.c_str(), endpoint_.port);
  if (!context_) return fail_connect("out of memory");
  if (context_->err) {
    const std::string error = context_->errstr;
    redisAsyncFree(context_);
    context_ = nullptr;
    return fail_connect(error);
  }
  context_->data = this;
  attach_to_strand(*context_, strand_);  // before the connect callback: hiredis waits for writability then
  redisAsyncSetConnectCallback(context_, &RedisLink::on_connect);
  redisAsyncSetDisconnectCallback(context_, &RedisLink::on_disconnect);
}

void RedisLink::on_connect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisLink*>(context->data);
  if (!self) return;
  if (status != REDIS_OK) {
    const std::string error = context->errstr[0] ? context->errstr : "connection refused";
    self->context_ = nullptr;  // hiredis frees a context whose connect failed, after this returns
    if (self->untried_addresses_.empty()) return self->fail_connect(error);
    boost::asio::post(self->strand_, [self, alive = self->alive_] {
      if (*alive && self->on_ready_) self->try_next_address();
    });
    return;
  }
  self->handshake();
}

void RedisLink::on_disconnect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisLink*>(context->data);
  if (!self) return;
  const std::string why = status == REDIS_OK ? "closed" : (context->errstr[0] ? context->errstr : "connection lost");
  self->context_ = nullptr;  // hiredis frees it after this callback
  const bool was_ready = self->ready_;
  self->ready_ = false;
  if (!was_ready) return self->fail_connect(why);
  if (self->closed_) return;
  if (auto lost = std::move(self->on_lost_)) lost(why);
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
  untried_addresses_.clear();
  if (context_) {
    context_->data = nullptr;
    redisAsyncFree(context_);
    context_ = nullptr;
  }
  ready_ = false;
  if (auto ready = std::move(on_ready_)) ready(error.empty() ? std::string("connection failed") : error);
}

void RedisLink::command(const std::vector<std::string>& args, ReplyHandler done) {
  if (!ready_ || !context_) return done(RedisReply::link_error("not connected to Redis"));
  send(args, std::move(done));
}

void RedisLink::psubscribe(const std::string& pattern, ReplyHandler message) {
  if (!ready_ || !context_) return message(RedisReply::link_error("not connected to Redis"));
  send({"PSUBSCRIBE", pattern}, std::move(message), true);
}

void RedisLink::send(const std::vector<std::string>& args, ReplyHandler done, bool subscription) {
  if (!context_) return done(RedisReply::link_error("not connected to Redis"));
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* pending = new Pending{alive_, std::move(done), subscription};
  if (redisAsyncCommandArgv(context_, &RedisLink::on_reply, pending, static_cast<int>(args.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    std::unique_ptr<Pending> owned(pending);
    owned->done(RedisReply::link_error("Redis connection is closing"));
  }
}

void RedisLink::on_reply(redisAsyncContext*, void* reply, void* privdata) {
  auto* raw = static_cast<Pending*>(privdata);
  if (raw->subscription && reply) {
    if (*raw->alive) raw->done(RedisReply::from(*static_cast<redisReply*>(reply)));
    return;
  }
  std::unique_ptr<Pending> pending(raw);
  if (!*pending->alive) return;  // closed: nobody listens
  if (!reply) return pending->done(RedisReply::link_error("connection lost before the reply"));
  pending->done(RedisReply::from(*static_cast<redisReply*>(reply)));
}

void RedisLink::close() {
  if (closed_) return;
  closed_ = true;
  *alive_ = false;
  on_ready_ = nullptr;
  on_lost_ = nullptr;
  deadline_.cancel();
  resolver_.cancel();
  if (context_) {
    context_->data = nullptr;
    redisAsyncFree(context_);  // pending replies are answered with NULL, and ignored
    context_ = nullptr;
  }
}

}  // namespace hookbroker::cluster
