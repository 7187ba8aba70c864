#include "redis_watcher.hpp"

#include <memory>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <hiredis/async.h>

namespace hookbroker::cluster {

namespace {

/// Shared between hiredis (through ev.data) and the waits in flight: a wait
/// that completes after hiredis let go finds `context` null and stops.
struct Watcher : std::enable_shared_from_this<Watcher> {
  Watcher(redisAsyncContext& c, Strand& strand) : context(&c), socket(strand, c.c.fd) {}
  redisAsyncContext* context;
  boost::asio::posix::stream_descriptor socket;
  bool reading = false;
  bool writing = false;
  bool read_armed = false;
  bool write_armed = false;

  /// Waits for the socket to become readable (or writable) once, hands that
  /// to hiredis, and waits again while hiredis still wants it.
  void arm(bool for_write) {
    bool& armed = for_write ? write_armed : read_armed;
    if (armed || !context) return;
    armed = true;
    socket.async_wait(for_write ? boost::asio::posix::stream_descriptor::wait_write
                                : boost::asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this(), for_write](const boost::system::error_code& ec) {
                        (for_write ? self->write_armed : self->read_armed) = false;
                        const bool& wanted = for_write ? self->writing : self->reading;
                        if (ec || !self->context || !wanted) return;
                        // Either may free the context (a lost connection): check again.
                        if (for_write) redisAsyncHandleWrite(self->context);
                        else redisAsyncHandleRead(self->context);
                        if (self->context && wanted) self->arm(for_write);
                      });
  }
};

/// ev.data holds a heap shared_ptr so the hooks can keep the watcher alive.
std::shared_ptr<Watcher>& watcher_of(void* data) { return *static_cast<std::shared_ptr<Watcher>*>(data); }

void add_read(void* data) {
  auto& w = watcher_of(data);
  w->reading = true;
  w->arm(false);
}
void del_read(void* data) { watcher_of(data)->reading = false; }
void add_write(void* data) {
  auto& w = watcher_of(data);
  w->writing = true;
  w->arm(true);
}
void del_write(void* data) { watcher_of(data)->writing = false; }
void cleanup(void* data) {
  auto* holder = static_cast<std::shared_ptr<Watcher>*>(data);
  auto& w = *holder;
  w->context = nullptr;
  w->reading = w->writing = false;
  boost::system::error_code ignored;
  w->socket.cancel(ignored);
  w->socket.release();  // hiredis closes the descriptor itself
  delete holder;
}

}  // namespace

void attach_to_strand(redisAsyncContext& context, Strand& strand) {
  auto* holder = new std::shared_ptr<Watcher>(std::make_shared<Watcher>(context, strand));
  context.ev.data = holder;
  context.ev.addRead = add_read;
  context.ev.delRead = del_read;
  context.ev.addWrite = add_write;
  context.ev.delWrite = del_write;
  context.ev.cleanup = cleanup;
}

}  // namespace hookbroker::cluster
