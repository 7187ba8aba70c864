// Posting OTLP/HTTP export requests to the broker under test, as an
// exporter does: JSON, optionally gzip-compressed, and reading the fixtures.
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "broker_client/broker_call.hpp"

namespace otlp_it {

/// A recorded request body from tests/fixtures/otlp.
std::string fixture(const std::string& name);

/// `body` compressed as gzip (what OTEL_EXPORTER_OTLP_COMPRESSION=gzip sends).
std::string gzip(const std::string& body);

struct Post {
  Post(std::string path_, std::string body_, std::string content_type_ = "application/json",
       std::string content_encoding_ = "")
      : path(std::move(path_)), body(std::move(body_)), content_type(std::move(content_type_)),
        content_encoding(std::move(content_encoding_)) {}
  std::string path;  ///< "/v1/logs"
  std::string body;
  std::string content_type;
  std::string content_encoding;  ///< "" = none
};

hookbroker::http_client::Answer post(int port, const Post& request);

/// GET /api/sessions/{id} as JSON; null when not 200.
nlohmann::json session(int port, const std::string& id);

}  // namespace otlp_it
