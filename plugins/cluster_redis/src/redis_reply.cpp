#include "redis_reply.hpp"

#include <hiredis/hiredis.h>

namespace hookbroker::cluster {

RedisReply RedisReply::from(const redisReply& reply) {
  RedisReply r;
  switch (reply.type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
    case REDIS_REPLY_STRING:
      r.type = reply.type == REDIS_REPLY_STATUS  ? Type::Status
               : reply.type == REDIS_REPLY_ERROR ? Type::Error
                                                 : Type::String;
      r.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      r.type = Type::Integer;
      r.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      r.type = Type::Array;
      r.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) r.elements.push_back(from(*reply.element[i]));
      break;
    default:
      r.type = Type::Nil;
  }
  return r;
}

}  // namespace hookbroker::cluster
