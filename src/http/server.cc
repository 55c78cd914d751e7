#include "http/server.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace stegvis::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Connection;

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context context;
  tcp::acceptor acceptor{context};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::once_flag shutdown_once;

  void Accept();
  void Forget(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex);
    connections.erase(connection);
  }
};

// One client connection: read a request, answer it, repeat while kept alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ignored;
    const auto endpoint = stream_.socket().remote_endpoint(ignored);
    remote_address_ = ignored ? "" : endpoint.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection if it is waiting for a request; a busy one closes after answering.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
      }
    });
  }

 private:
  void Read() {
    idle_ = true;
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    stream_.expires_after(server_.options.request_timeout);
    beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnRead(error); });
  }

  void OnRead(beast::error_code error) {
    idle_ = false;
    if (error == beast::http::error::body_limit) {
      Respond(Plain(beast::http::status::payload_too_large, "för stor begäran\n"), false);
      return;
    }
    if (error) return Close();
    const Request request = parser_->release();
    Response response = server_.handler(request, remote_address_);
    response.keep_alive(request.keep_alive() && !server_.stopping);
    Respond(std::move(response), response.keep_alive());
  }

  static Response Plain(beast::http::status status, std::string body) {
    Response response{status, 11};
    response.set(beast::http::field::content_type, "text/plain; charset=utf-8");
    response.body() = std::move(body);
    return response;
  }

  void Respond(Response response, bool keep_alive) {
    response.keep_alive(keep_alive);
    response.prepare_payload();
    response_ = std::make_shared<Response>(std::move(response));
    stream_.expires_after(server_.options.request_timeout);
    beast::http::async_write(
        stream_, *response_,
        [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
          if (error || !keep_alive || self->server_.stopping) {
            return self->Close();
          }
          self->Read();
        });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
    server_.Forget(shared_from_this());
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  std::string remote_address_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  bool idle_ = true;
};

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(context),
                        [this](beast::error_code error, tcp::socket socket) {
                          if (error || stopping) return;
                          auto connection = std::make_shared<Connection>(std::move(socket), *this);
                          {
                            std::lock_guard lock(mutex);
                            connections.insert(connection);
                          }
                          connection->Start();
                          Accept();
                        });
}

util::Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  beast::error_code error;
  const auto address = asio::ip::make_address(options.address, error);
  if (!error) {
    const tcp::endpoint endpoint{address, options.port};
    impl->acceptor.open(endpoint.protocol(), error);
    if (!error) impl->acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) impl->acceptor.bind(endpoint, error);
    if (!error) impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    return util::Fail(util::Code::kUnavailable, fmt::format("{}:{}", options.address, options.port),
                      "kan inte lyssna: " + error.message(), "cannot listen: " + error.message());
  }
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([context = &impl->context] { context->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(); }

unsigned short Server::port() const {
  beast::error_code ignored;
  return impl_->acceptor.local_endpoint(ignored).port();
}

void Server::Shutdown() {
  std::call_once(impl_->shutdown_once, [this] {
    impl_->stopping = true;
    asio::post(impl_->context, [this] {
      beast::error_code ignored;
      impl_->acceptor.close(ignored);
    });
    {
      std::lock_guard lock(impl_->mutex);
      for (const auto& connection : impl_->connections) connection->CloseIfIdle();
    }
    // The threads return once the last connection has answered and closed.
    for (std::thread& thread : impl_->threads) {
      if (thread.joinable()) thread.join();
    }
  });
}

void Server::RunUntilSignalled() {
  asio::io_context signals_context;
  asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_context.run();
  Shutdown();
}

}  // namespace stegvis::http
