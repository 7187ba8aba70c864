// The HTTP client's asynchronous driver, for code that runs on the broker's
// io_context (plugins): the same exchange as blocking_exchange.hpp (resolve,
// connect, send, read the answer, all under one deadline) as a chain of Asio
// operations that never blocks a thread. Used by the alerts plugin's webhook
// sender and the Socket.IO transport's port probe.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "http_client/http_message.hpp"

namespace hookbroker::http_client {

/// A started exchange; keep it to cancel it.
class AsyncExchange {
 public:
  virtual ~AsyncExchange() = default;
  /// Ends the exchange early; its `done` still runs, once, with the error
  /// "cancelled". Call on the exchange's executor.
  virtual void cancel() = 0;
};

/// Starts `request` (body copied, names resolved) with its handlers on
/// `executor`, a strand when several threads run the io_context. `done` is
/// called exactly once, on `executor`, with the answer or what went wrong.
std::shared_ptr<AsyncExchange> start_exchange(const boost::asio::any_io_executor& executor, const Request& request,
                                              std::function<void(Answer)> done);

}  // namespace hookbroker::http_client
