// Drives a hiredis async context from a Boost.Asio strand: hiredis says
// when it wants to read or write (its adapter hooks, redisAsyncContext::ev),
// this waits for the socket on the strand and hands the readiness back
// (redisAsyncHandleRead/Write). hiredis keeps the socket and parses RESP;
// this only watches. Every call into the context happens on the strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

struct redisAsyncContext;

namespace hookbroker::cluster {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

/// Attaches `context` to `strand`. hiredis owns the result: its cleanup hook
/// (redisAsyncFree) detaches and frees it. Call on the strand, right after
/// redisAsyncConnect.
void attach_to_strand(redisAsyncContext& context, Strand& strand);

}  // namespace hookbroker::cluster
