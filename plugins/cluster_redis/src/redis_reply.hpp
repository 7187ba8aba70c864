// A Redis reply as a value: hiredis frees its redisReply when the callback
// returns, so the callback copies what it needs into this.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct redisReply;

namespace hookbroker::cluster {

struct RedisReply {
  enum class Type { Nil, Status, Error, Integer, String, Array };
  Type type = Type::Nil;
  std::string text;  ///< Status, Error, String
  std::int64_t integer = 0;
  std::vector<RedisReply> elements;
  /// The error is the connection's (down, lost before the reply), not Redis's
  /// answer to the command: the command may be sent again.
  bool link_failure = false;

  bool is_error() const { return type == Type::Error; }
  bool is_nil() const { return type == Type::Nil; }
  bool is_array() const { return type == Type::Array; }
  bool is_string() const { return type == Type::String || type == Type::Status; }

  static RedisReply from(const redisReply& reply);
  static RedisReply error(std::string message) {
    RedisReply r;
    r.type = Type::Error;
    r.text = std::move(message);
    return r;
  }
  static RedisReply link_error(std::string message) {
    RedisReply r = error(std::move(message));
    r.link_failure = true;
    return r;
  }
};

}  // namespace hookbroker::cluster
