// The HTTP routes claude-mpm's dashboard calls, registered like any plugin's
// (so the core's Host, Origin and token policy applies): the file routes and
// the git routes answered on the blocking pool, one job at a time; its agent
// and skill configuration (/api/config/...) answered 501 with the reason.
#pragma once

#include <functional>
#include <memory>

#include "hookbroker/host_api.hpp"
#include "options.hpp"
#include "serial_worker.hpp"
#include "session_roots.hpp"

namespace hookbroker::mpm {

class MpmRoutes {
 public:
  MpmRoutes(HostApi& host, Options options);

  /// From the plugin's start(). Throws when a route is taken (another plugin
  /// serves it): two answers for one path would confuse the dashboard.
  void add();

 private:
  using Answer = std::function<HttpResponse(const SessionDirs&)>;
  /// Answers `reply` with `answer(the sessions' directories)`, off the strand.
  void offload(HttpReply reply, Answer answer);
  void route(const char* method, const char* path, HttpHandler handler);

  HostApi& host_;
  const Options options_;
  std::shared_ptr<SerialWorker> worker_;
};

}  // namespace hookbroker::mpm
