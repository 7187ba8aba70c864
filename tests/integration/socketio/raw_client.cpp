#include "raw_client.hpp"

#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <nlohmann/json.hpp>

#include "http_client/blocking_exchange.hpp"

namespace sio_it {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ws_ns = beast::websocket;
using tcp = asio::ip::tcp;

void set_timeouts(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

HttpResult http(int port, const std::string& method, const std::string& target, const std::string& body,
                const std::vector<std::pair<std::string, std::string>>& headers,
                std::chrono::milliseconds timeout) {
  hookbroker::http_client::Request request;
  request.method = method;
  request.host = "127.0.0.1";
  request.port = static_cast<std::uint16_t>(port);
  request.target = target;
  // The API takes JSON; a test that means otherwise says so in `headers`.
  const bool typed = std::any_of(headers.begin(), headers.end(),
                                 [](const auto& h) { return strcasecmp(h.first.c_str(), "content-type") == 0; });
  if (!body.empty() && !typed) request.headers.emplace_back("Content-Type", "application/json");
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  request.body = body;
  request.timeout = timeout;
  request.max_answer_bytes = 64u << 20;
  const hookbroker::http_client::Answer answer = hookbroker::http_client::exchange(request);
  HttpResult result;
  if (answer.outcome != hookbroker::http_client::Answer::Outcome::Answered) {
    result.error = answer.error;
    return result;
  }
  result.status = answer.status;
  for (const auto& [name, value] : answer.headers) result.headers[name] = value;
  result.body = answer.body;
  return result;
}

std::string raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return "";
  set_timeouts(socket, timeout);
  asio::write(socket, asio::buffer(bytes), ec);
  // Says "no more requests": the server answers what it got, then closes
  // (it keeps HTTP/1.1 connections open otherwise).
  socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string answer;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // until EOF, error or timeout
  return answer;
}

std::string raw_upgrade(int port, const std::string& target) {
  return raw_exchange(port, "GET " + target +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
}

std::string error_of(const HttpResult& r) {
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "";
}

std::string request_bytes(const std::string& method, const std::string& target, const std::string& body,
                          const std::string& extra_headers) {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty())
    out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return out + "\r\n" + body;
}

struct KeepAliveClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  bool connected = false;
  std::string pending;  ///< received and not yet returned

  /// Reads more into `pending`; false on timeout, close or error.
  bool fill() {
    char buffer[65536];
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
    if (ec || n == 0) return false;
    pending.append(buffer, n);
    return true;
  }
};

KeepAliveClient::KeepAliveClient(int port, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  boost::system::error_code ec;
  impl_->socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return;
  set_timeouts(impl_->socket, timeout);
  impl_->socket.set_option(tcp::no_delay(true), ec);
  impl_->connected = true;
}

KeepAliveClient::~KeepAliveClient() = default;

bool KeepAliveClient::connected() const { return impl_->connected; }

bool KeepAliveClient::send(const std::string& bytes) {
  boost::system::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes), ec);
  return !ec;
}

HttpResult KeepAliveClient::read_answer(bool head_request) {
  HttpResult result;
  std::string& in = impl_->pending;
  std::size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos)
    if (!impl_->fill()) {
      result.error = in.empty() ? "no answer (closed or timed out)" : "the answer's head did not end: " + in;
      return result;
    }
  const std::string head = in.substr(0, head_end + 2);
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) {
    result.error = "not an HTTP answer: " + head;
    return result;
  }
  const int status = std::atoi(head.c_str() + 9);
  std::size_t line = head.find("\r\n") + 2;
  while (line < head.size()) {
    const std::size_t end = head.find("\r\n", line);
    const std::string field = head.substr(line, end - line);
    const std::size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = colon == std::string::npos ? "" : field.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    result.headers[name] = value;
    line = end + 2;
  }
  std::size_t length = 0;
  const bool bodyless = head_request || status < 200 || status == 204 || status == 304;
  if (!bodyless) {
    if (!result.headers.count("content-length")) {
      result.error = "an answer with a body but no Content-Length: " + head;
      return result;
    }
    length = std::stoul(result.headers["content-length"]);
  }
  while (in.size() < head_end + 4 + length)
    if (!impl_->fill()) {
      result.error = "the body ended early";
      return result;
    }
  result.status = status;
  result.body = in.substr(head_end + 4, length);
  in.erase(0, head_end + 4 + length);
  return result;
}

std::string KeepAliveClient::read_some() {
  if (impl_->pending.empty() && !impl_->fill()) return "";
  std::string out;
  out.swap(impl_->pending);
  return out;
}

bool KeepAliveClient::closed_by_server(std::chrono::milliseconds timeout) {
  set_timeouts(impl_->socket, timeout);
  if (!impl_->pending.empty()) return false;
  char byte;
  boost::system::error_code ec;
  const std::size_t n = impl_->socket.read_some(asio::buffer(&byte, 1), ec);
  return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

struct WsClient::Impl {
  asio::io_context io;
  ws_ns::stream<tcp::socket> ws{io};
  bool open = false;
  bool closed = false;
};

WsClient::WsClient(int port, const std::string& target, int receive_buffer) : impl_(std::make_unique<Impl>()) {
  auto& socket = impl_->ws.next_layer();
  boost::system::error_code ec;
  socket.open(tcp::v4(), ec);
  if (receive_buffer > 0) socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer), ec);
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return;
  set_timeouts(socket, std::chrono::seconds(10));
  impl_->ws.handshake("127.0.0.1:" + std::to_string(port), target, ec);
  impl_->open = !ec;
}

WsClient::~WsClient() {
  if (impl_->open && !impl_->closed) {
    boost::system::error_code ec;
    impl_->ws.next_layer().close(ec);
  }
}

bool WsClient::open() const { return impl_->open; }

bool WsClient::send(const std::string& text) {
  boost::system::error_code ec;
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text), ec);
  return !ec;
}

bool WsClient::send_binary(const std::string& bytes) {
  boost::system::error_code ec;
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(bytes), ec);
  return !ec;
}

std::optional<WsClient::Message> WsClient::read(std::chrono::milliseconds timeout) {
  if (!impl_->open || impl_->closed) return std::nullopt;
  set_timeouts(impl_->ws.next_layer(), timeout);
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  impl_->ws.read(buffer, ec);
  if (ec) {
    // A socket timeout (SO_RCVTIMEO) is "nothing yet"; anything else ends the connection.
    if (ec != asio::error::would_block && ec != asio::error::try_again && ec != asio::error::timed_out)
      impl_->closed = true;
    return std::nullopt;
  }
  return Message{beast::buffers_to_string(buffer.data()), !impl_->ws.got_text()};
}

std::optional<std::string> WsClient::read_until_prefix(const std::string& prefix, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto m = read(std::max(left, std::chrono::milliseconds(1)));
    if (!m) return std::nullopt;
    if (!m->binary && m->data == "2") send("3");  // keep the session alive
    if (!m->binary && m->data.rfind(prefix, 0) == 0) return m->data;
  }
  return std::nullopt;
}

bool WsClient::closed_by_server(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->closed && std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    read(std::max(left, std::chrono::milliseconds(1)));
  }
  return impl_->closed;
}

int WsClient::close_code() const { return static_cast<int>(impl_->ws.reason().code); }

}  // namespace sio_it
