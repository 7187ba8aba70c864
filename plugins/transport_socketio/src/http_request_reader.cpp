#include "http_request_reader.hpp"

#include <algorithm>
#include <limits>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http_framing/field_text.hpp"

namespace hookbroker::sio {
namespace {

namespace http = boost::beast::http;

std::string_view view(boost::beast::string_view text) { return {text.data(), text.size()}; }

}  // namespace

char* HttpRequestReader::prepare_read(std::size_t& size) {
  const std::size_t used = in_.size();
  in_.resize(used + read_size_);
  size = read_size_;
  return in_.data() + used;
}

void HttpRequestReader::commit_read(std::size_t n) {
  constexpr std::size_t kMaxRead = 64 * 1024;
  in_.resize(in_.size() - read_size_ + std::min(n, read_size_));
  if (n >= read_size_ && read_size_ < kMaxRead) read_size_ *= 2;
}

HttpRequestReader::Step HttpRequestReader::next() {
  if (phase_ == Phase::Done) return refuse(refusal_.status ? refusal_.status : 400, refusal_.reason);
  if (phase_ == Phase::Head) {
    const std::size_t end = http_framing::find_head_end(in_, searched_ < 3 ? 0 : searched_ - 3);
    if ((end == std::string::npos ? in_.size() : end) > max_head_)
      return refuse(431, "the request head is larger than " + std::to_string(max_head_) +
                             " bytes: send fewer or shorter headers");
    if (end == std::string::npos) {
      searched_ = in_.size();
      return Step::NeedMore;
    }
    const Step step = read_head(end);
    if (step != Step::NeedMore) return step;
  }
  if (!body_complete()) {
    if (phase_ == Phase::Done) return Step::Refuse;
    if (expects_continue_) {
      expects_continue_ = false;
      return Step::Continue;
    }
    return Step::NeedMore;
  }
  phase_ = Phase::Head;
  searched_ = 0;
  return Step::Request;
}

std::size_t HttpRequestReader::body_limit_for(const HttpRequest& request, std::size_t& route_limit) const {
  route_limit = route_body_limit_ && *route_body_limit_ ? (*route_body_limit_)(request.method, request.path) : 0;
  if (route_limit == 0) return max_body_;
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  return route_limit > kMax / 2 ? kMax : 2 * route_limit;
}

HttpRequestReader::Step HttpRequestReader::read_head(std::size_t end) {
  const std::string_view head(in_.data(), end);
  const http_framing::HeadCheck check = http_framing::check_request_head(head);
  if (!check.ok()) return refuse(check.status, check.error);
  http::request_parser<http::empty_body> parser;
  parser.eager(false);
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(end, UINT32_MAX)));
  // The head alone: bodies are read and bounded here. (Beast 1.74 reads
  // body_limit(none) as "less than anything", hence skip.)
  parser.skip(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(head.data(), head.size()), ec);
  if (ec || !parser.is_header_done())
    return refuse(400, "the request head is malformed (" + (ec ? ec.message() : std::string("incomplete")) + ")");
  const auto& req = parser.get();
  request_ = HttpRequest{};
  request_.method = std::string(view(req.method_string()));
  const std::string_view target = view(req.target());
  const std::size_t q = target.find('?');
  request_.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request_.query = std::string(target.substr(q + 1));
  for (const auto& field : req) {
    // Repeated fields are one list (RFC 9110 5.3), as the routes read them.
    std::string name = http_framing::ascii_lower(view(field.name_string()));
    auto same = std::find_if(request_.headers.begin(), request_.headers.end(),
                             [&](const auto& h) { return h.first == name; });
    if (same == request_.headers.end())
      request_.headers.emplace_back(std::move(name), std::string(view(field.value())));
    else
      same->second.append(", ").append(view(field.value()));
  }
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  head_method_ = req.method() == http::verb::head;
  if (boost::beast::websocket::is_upgrade(req)) {
    // What follows the head is the WebSocket's.
    in_.erase(0, end);
    phase_ = Phase::Done;
    return Step::Upgrade;
  }
  framing_ = check.framing;
  chunked_.reset();
  std::size_t route_limit = 0;
  // A request without a body (most GETs) needs no limit: the route table,
  // which takes a lock, is asked only for one that has a body.
  const std::size_t max_body =
      framing_ == http_framing::BodyFraming::None ? max_body_ : body_limit_for(request_, route_limit);
  if (framing_ == http_framing::BodyFraming::ContentLength) {
    if (check.content_length > max_body)
      return refuse(413, route_limit
                             ? body_over_limit_message(request_.method, request_.path, route_limit,
                                                       static_cast<std::size_t>(check.content_length))
                             : "the body (" + std::to_string(check.content_length) +
                                   " bytes) is larger than this server takes (" + std::to_string(max_body) +
                                   " bytes)");
    content_length_ = static_cast<std::size_t>(check.content_length);
  } else if (framing_ == http_framing::BodyFraming::Chunked) {
    chunked_.emplace(max_body);
  }
  expects_continue_ = version_ >= 11 && framing_ != http_framing::BodyFraming::None &&
                      boost::beast::iequals(req[http::field::expect], "100-continue");
  in_.erase(0, end);
  phase_ = Phase::Body;
  return Step::NeedMore;
}

bool HttpRequestReader::body_complete() {
  switch (framing_) {
    case http_framing::BodyFraming::None:
      return true;
    case http_framing::BodyFraming::ContentLength:
      if (in_.size() < content_length_) return false;
      request_.body.assign(in_, 0, content_length_);
      in_.erase(0, content_length_);
      return true;
    case http_framing::BodyFraming::Chunked: {
      const std::size_t used = chunked_->feed(in_.data(), in_.size(), request_.body);
      in_.erase(0, used);
      if (chunked_->failed()) {
        refuse(chunked_->too_large() ? 413 : 400, "malformed chunked body: " + chunked_->error());
        return false;
      }
      return chunked_->done();
    }
  }
  return false;
}

HttpRequestReader::Step HttpRequestReader::refuse(int status, std::string reason) {
  phase_ = Phase::Done;
  refusal_ = {status, std::move(reason)};
  head_method_ = false;
  return Step::Refuse;
}

}  // namespace hookbroker::sio
