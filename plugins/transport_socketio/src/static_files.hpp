// Serves the dashboard directory: GET / is index.html, GET /x/y a file below
// the directory (never outside it: "..", encoded or not, and symlinks that
// leave it are refused), with its content type. Files are read off the event
// loop (HostApi::run_blocking).
#pragma once

#include <string>

#include "hookbroker/host_api.hpp"

namespace hookbroker::sio {

class StaticFiles {
 public:
  StaticFiles(HostApi& host, std::string root);

  /// Answers a GET (or HEAD: the transport drops the body) for `url_path`
  /// (still percent-encoded): the file, or 404 JSON.
  void serve(const std::string& url_path, HttpReply reply);

  /// The directory path a URL path maps to, or "" when it must not be served
  /// (escapes the root, bad characters). Pure; exposed for tests.
  static std::string resolve(const std::string& root, const std::string& url_path);

  static const char* content_type(const std::string& file_path);

 private:
  HostApi& host_;
  std::string root_;
};

}  // namespace hookbroker::sio
