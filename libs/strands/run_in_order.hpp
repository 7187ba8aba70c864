// Handing work to a strand without a trip through the scheduler when the
// strand is free.
//
// boost::asio::post always queues: the worker that posts goes on, and
// another worker is woken to run the handler (on a loopback POST that is a
// futex or eventfd wake-up and a context switch per hop). dispatch runs the
// handler at once when the strand is free, on the calling thread, but when
// the caller is already inside that strand it also runs it at once, ahead of
// what the strand holds queued: that would reorder the strand's work (an
// event's broadcast overtaking an earlier one) and reenter the plugin.
// run_in_order takes the safe half of each: at once when the strand is idle
// and this thread runs the io_context, queued behind the strand's earlier
// work otherwise. Order per strand is the order of the calls, as with post.
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <utility>

namespace hookbroker::strands {

template <class Executor, class Handler>
void run_in_order(const boost::asio::strand<Executor>& strand, Handler&& handler) {
  if (strand.running_in_this_thread())
    boost::asio::post(strand, std::forward<Handler>(handler));
  else
    boost::asio::dispatch(strand, std::forward<Handler>(handler));
}

}  // namespace hookbroker::strands
