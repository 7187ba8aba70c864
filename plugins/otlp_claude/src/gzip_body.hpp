// Request bodies sent with `Content-Encoding: gzip` (OTLP exporters compress
// when OTEL_EXPORTER_OTLP_COMPRESSION=gzip), inflated with zlib up to a
// bound, so a small bomb cannot expand into gigabytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hookbroker::otlp {

struct Inflated {
  std::optional<std::string> body;  ///< the inflated bytes, when they could be read
  bool too_large = false;           ///< more than max_bytes once inflated (answer 413)
  std::string error;                ///< otherwise why not (answer 400)
};

Inflated gunzip(std::string_view compressed, std::size_t max_bytes);

/// `plain` compressed as an exporter sends it with
/// OTEL_EXPORTER_OTLP_COMPRESSION=gzip. The broker only inflates; the tests
/// and the bench make their bodies with this. Throws when zlib fails.
std::string gzip(std::string_view plain);

}  // namespace hookbroker::otlp
