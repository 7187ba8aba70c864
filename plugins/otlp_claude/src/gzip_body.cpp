#include "gzip_body.hpp"

#include <zlib.h>

#include <climits>
#include <stdexcept>

namespace hookbroker::otlp {

Inflated gunzip(std::string_view compressed, std::size_t max_bytes) {
  Inflated out;
  if (compressed.size() > UINT_MAX) {  // zlib counts input in uInt; bodies are bounded far below this
    out.too_large = true;
    return out;
  }
  z_stream z{};
  // 16 + MAX_WBITS: a gzip wrapper, not zlib's own
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    out.error = "could not start decompressing";
    return out;
  }
  std::string body;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    body.append(chunk, sizeof chunk - z.avail_out);
    if (body.size() > max_bytes) {
      inflateEnd(&z);
      out.too_large = true;
      return out;
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {  // input ended before the stream did
      rc = Z_BUF_ERROR;
      break;
    }
  }
  const std::string why = z.msg ? z.msg : "it ends early";
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    out.error = "the body is not valid gzip (Content-Encoding: gzip): " + why;
    return out;
  }
  out.body = std::move(body);
  return out;
}

std::string gzip(std::string_view plain) {
  if (plain.size() > UINT_MAX) throw std::length_error("gzip: input too large for one deflate call");
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(plain.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  return out;
}

}  // namespace hookbroker::otlp
