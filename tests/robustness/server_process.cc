#include "robustness/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cctype>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace stegvis::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// ---- ChildProcess ----

ChildProcess::ChildProcess(const std::vector<std::string>& arguments, const std::string& input) {
  const std::string in_path = (capture_ / "in").string();
  WriteFile(in_path, input);
  const std::string out_path = (capture_ / "out").string();
  const std::string err_path = (capture_ / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<std::string> argv_storage = {STEGVIS_BINARY};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const int spawned = posix_spawn(&pid_, STEGVIS_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " STEGVIS_BINARY);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void ChildProcess::Reap(int status) {
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ChildProcess::Running() {
  if (exit_code_) return false;
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == pid_) Reap(status);
  return !exit_code_;
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return exit_code_;
}

void ChildProcess::Signal(int signal) {
  if (Running()) ::kill(pid_, signal);
}

std::string ChildProcess::Out() const { return ReadFile(capture_ / "out"); }
std::string ChildProcess::Err() const { return ReadFile(capture_ / "err"); }

// ---- ServerProcess ----

ServerProcess::ServerProcess(const std::filesystem::path& database,
                             const std::vector<std::string>& extra) {
  std::vector<std::string> arguments = {"serve", "--db", database.string(), "--listen",
                                        "127.0.0.1:0"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  process_ = std::make_unique<ChildProcess>(arguments);
  constexpr std::string_view kListening = "http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = process_->Out();
    const std::size_t at = out.find(kListening);
    if (at != std::string::npos) {
      const std::size_t digits = at + kListening.size();
      const std::size_t slash = out.find('/', digits);
      if (slash != std::string::npos) {
        port_ = static_cast<unsigned short>(std::stoi(out.substr(digits, slash - digits)));
        return;
      }
    }
    if (!process_->Running()) {
      throw std::runtime_error("stegvis serve ended before listening: " + process_->Err());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("stegvis serve did not say where it listens within 15 s: " +
                           process_->Out() + process_->Err());
}

ServerProcess::~ServerProcess() {
  process_->Signal(SIGTERM);
  if (!process_->Wait(std::chrono::seconds(3))) process_->Signal(SIGKILL);
  process_->Wait(std::chrono::seconds(3));
}

// ---- HTTP ----

struct HttpConnection::Impl {
  asio::io_context context;
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout{0};
  std::string connect_error;

  // Runs the operations started on the context until they finish or the deadline cancels
  // them.
  void Run() {
    context.restart();
    context.run();
  }
};

HttpConnection::HttpConnection(unsigned short port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  beast::error_code result = asio::error::would_block;
  impl_->stream.expires_after(timeout);
  impl_->stream.async_connect(endpoint, [&result](beast::error_code error) { result = error; });
  impl_->Run();
  if (result) impl_->connect_error = "connect: " + result.message();
}

HttpConnection::~HttpConnection() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.close();
}

const std::string& HttpConnection::connect_error() const { return impl_->connect_error; }

HttpReply HttpConnection::Exchange(const HttpRequest& request, bool keep_alive) {
  HttpReply reply;
  if (!impl_->connect_error.empty()) {
    reply.error = impl_->connect_error;
    return reply;
  }
  beast::http::request<beast::http::string_body> message{
      beast::http::string_to_verb(request.method), request.target, 11};
  message.set(beast::http::field::host, "127.0.0.1");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.keep_alive(keep_alive);
  message.body() = request.body;
  message.prepare_payload();

  beast::error_code result = asio::error::would_block;
  impl_->stream.expires_after(impl_->timeout);
  beast::http::async_write(impl_->stream, message,
                           [&result](beast::error_code error, std::size_t) { result = error; });
  impl_->Run();
  if (result) {
    reply.error = "write: " + result.message();
    return reply;
  }
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  result = asio::error::would_block;
  impl_->stream.expires_after(impl_->timeout);
  beast::http::async_read(impl_->stream, impl_->buffer, parser,
                          [&result](beast::error_code error, std::size_t) { result = error; });
  impl_->Run();
  if (result) {
    reply.error = "read: " + result.message();
    return reply;
  }
  const auto& response = parser.get();
  reply.status = response.result_int();
  reply.body = response.body();
  if (auto it = response.find(beast::http::field::location); it != response.end()) {
    reply.location = std::string(it->value());
  }
  for (auto [it, end] = response.equal_range(beast::http::field::set_cookie); it != end; ++it) {
    reply.set_cookie += (reply.set_cookie.empty() ? "" : "\n") + std::string(it->value());
  }
  return reply;
}

HttpReply SendHttp(unsigned short port, const HttpRequest& request,
                   std::chrono::milliseconds timeout) {
  HttpConnection connection(port, timeout);
  return connection.Exchange(request);
}

std::string FormEncode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + FormEncode(name) + "=" + FormEncode(value);
  }
  return body;
}

Session SignIn(unsigned short port, const std::string& name, const std::string& password) {
  HttpRequest sign_in;
  sign_in.method = "POST";
  sign_in.target = "/logga-in";
  sign_in.headers["Content-Type"] = "application/x-www-form-urlencoded";
  sign_in.body = FormBody({{"namn", name}, {"losenord", password}});
  const HttpReply signed_in = SendHttp(port, sign_in);
  if (signed_in.status != 303 || signed_in.set_cookie.empty()) {
    throw std::runtime_error(fmt::format("sign-in as {} answered {} {}: {}", name, signed_in.status,
                                         signed_in.error, signed_in.body));
  }
  Session session;
  // Every cookie the server set, as name=value pairs for the Cookie header.
  std::size_t start = 0;
  while (start < signed_in.set_cookie.size()) {
    std::size_t end = signed_in.set_cookie.find('\n', start);
    if (end == std::string::npos) end = signed_in.set_cookie.size();
    const std::string line = signed_in.set_cookie.substr(start, end - start);
    session.cookie += (session.cookie.empty() ? "" : "; ") + line.substr(0, line.find(';'));
    start = end + 1;
  }
  const HttpReply about = SendHttp(port, Get(session, "/api/v1/session"));
  if (about.status != 200) {
    throw std::runtime_error(fmt::format("GET /api/v1/session answered {} {}: {}", about.status,
                                         about.error, about.body));
  }
  session.csrf = std::string(boost::json::parse(about.body).at("csrf").as_string());
  return session;
}

HttpRequest FormPost(const Session& session, const std::string& target,
                     std::vector<std::pair<std::string, std::string>> fields) {
  fields.emplace_back("csrf", session.csrf);
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.headers["Cookie"] = session.cookie;
  request.headers["Content-Type"] = "application/x-www-form-urlencoded";
  request.body = FormBody(fields);
  return request;
}

HttpRequest JsonPost(const Session& session, const std::string& target, const std::string& json) {
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.headers["Cookie"] = session.cookie;
  request.headers["X-CSRF-Token"] = session.csrf;
  request.headers["Content-Type"] = "application/json";
  request.headers["Accept"] = "application/json";
  request.body = json;
  return request;
}

HttpRequest Get(const Session& session, const std::string& target) {
  HttpRequest request;
  request.target = target;
  request.headers["Cookie"] = session.cookie;
  return request;
}

}  // namespace stegvis::testing
