#include "socketio_service.hpp"

namespace hookbroker::sio {

SocketIoService::SocketIoService(HostApi& host, const Options& options)
    : requests_(host, options),
      engine_(host, options, requests_),
      rest_(host, options),
      files_(host, options.dashboard_dir),
      router_(host, options, engine_, rest_, files_, http_counts_) {}

nlohmann::json SocketIoService::heartbeat() const {
  return {{"dropped_slow_clients", engine_.dropped_slow_clients()},
          {"http_requests", http_counts_.to_json()},
          {"clients_by_transport", engine_.clients_by_transport()},
          {"coalesce_window_us", engine_.coalesce_window().count()}};
}

}  // namespace hookbroker::sio
