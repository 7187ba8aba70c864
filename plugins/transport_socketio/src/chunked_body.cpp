#include "chunked_body.hpp"

#include <algorithm>

namespace hookbroker::sio {
namespace {

// Trailer fields are ignored; this bounds how much of them is read.
constexpr std::size_t kMaxTrailerBytes = 8192;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void ChunkedBodyDecoder::fail(std::string why) {
  state_ = State::Error;
  error_ = std::move(why);
}

std::size_t ChunkedBodyDecoder::feed(const char* data, std::size_t size, std::string& body) {
  std::size_t i = 0;
  while (i < size && state_ != State::Done && state_ != State::Error) {
    const char c = data[i];
    switch (state_) {
      case State::Size: {
        const int v = hex_value(c);
        if (v >= 0) {
          // 15 hex digits already exceed any body we accept.
          if (++size_digits_ > 15) {
            fail("chunk size too long");
            return i;
          }
          chunk_left_ = chunk_left_ * 16 + static_cast<std::size_t>(v);
          if (body.size() + chunk_left_ > max_body_) {
            too_large_ = true;
            fail("request body larger than " + std::to_string(max_body_) + " bytes");
            return i;
          }
        } else if (size_digits_ == 0) {
          fail("chunk size expected");
          return i;
        } else if (c == ';' || c == ' ' || c == '\t') {
          state_ = State::Extension;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else {
          fail("bad character in chunk size");
          return i;
        }
        ++i;
        break;
      }
      case State::Extension:
        if (c == '\r')
          state_ = State::SizeLf;
        else if (++trailer_bytes_ > kMaxTrailerBytes) {
          fail("chunk extension too long");
          return i;
        }
        ++i;
        break;
      case State::SizeLf:
        if (c != '\n') {
          fail("CRLF expected after chunk size");
          return i;
        }
        ++i;
        state_ = chunk_left_ == 0 ? State::Trailer : State::Data;
        trailer_line_ = 0;
        break;
      case State::Data: {
        const std::size_t n = std::min(chunk_left_, size - i);
        body.append(data + i, n);
        chunk_left_ -= n;
        i += n;
        if (chunk_left_ == 0) state_ = State::DataCr;
        break;
      }
      case State::DataCr:
        if (c != '\r') {
          fail("CRLF expected after chunk data");
          return i;
        }
        ++i;
        state_ = State::DataLf;
        break;
      case State::DataLf:
        if (c != '\n') {
          fail("CRLF expected after chunk data");
          return i;
        }
        ++i;
        state_ = State::Size;
        size_digits_ = 0;
        chunk_left_ = 0;
        break;
      case State::Trailer:
        if (c == '\r') {
          state_ = State::TrailerLf;
        } else if (++trailer_bytes_ > kMaxTrailerBytes) {
          fail("trailer too long");
          return i;
        } else {
          ++trailer_line_;
        }
        ++i;
        break;
      case State::TrailerLf:
        if (c != '\n') {
          fail("CRLF expected in trailer");
          return i;
        }
        ++i;
        // An empty line ends the message; otherwise a trailer field ended.
        state_ = trailer_line_ == 0 ? State::Done : State::Trailer;
        trailer_line_ = 0;
        break;
      case State::Done:
      case State::Error:
        break;
    }
  }
  return i;
}

}  // namespace hookbroker::sio
