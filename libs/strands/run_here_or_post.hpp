// Running a caller's own request on a strand: in place when the caller is
// already inside that strand, posted to it otherwise.
//
// The rule differs from run_in_order's on both sides, on purpose.
// run_in_order hands over work that others' work on the strand may precede
// (an event's broadcast behind an earlier one), so from inside the strand it
// queues. Here the work is the request the caller is serving right now: its
// answer is the caller's own, so running it in place overtakes nothing a
// client sees, and saves a second turn of the strand. From outside the strand
// it is posted, even when the strand is free: the strand belongs to another
// plugin, whose handler may take its time, and should neither hold the
// caller's thread nor run on it.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <utility>

namespace hookbroker::strands {

template <class Executor, class Handler>
void run_here_or_post(const boost::asio::strand<Executor>& strand, Handler&& handler) {
  if (strand.running_in_this_thread())
    std::forward<Handler>(handler)();
  else
    boost::asio::post(strand, std::forward<Handler>(handler));
}

}  // namespace hookbroker::strands
