// The HTTP server: Boost.Beast over Asio with a pool of threads (one per core by default),
// a body size limit, read and write time limits, keep-alive, and a graceful shutdown in
// which requests in flight finish and idle connections close. It knows nothing of stegvis:
// every request goes to one handler.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "util/error.h"

namespace stegvis::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Called on a server thread for every complete request; `remote_address` is the peer's IP.
using Handler = std::function<Response(const Request& request, const std::string& remote_address)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port.
  int threads = 2;
  std::size_t body_limit = 1024 * 1024;
  std::chrono::seconds request_timeout{30};
};

class Server {
 public:
  // Binds and starts serving. Fails with kUnavailable when the address cannot be bound.
  static util::Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;
  // Stops accepting, lets requests in flight finish, closes idle connections, and returns
  // when every thread has stopped. Safe to call more than once and from a signal handler's
  // completion (not from a request handler).
  void Shutdown();
  // Blocks until SIGINT or SIGTERM, then shuts down.
  void RunUntilSignalled();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stegvis::http
