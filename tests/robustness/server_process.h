// Black-box helpers for the robustness tests: build/stegvis as a child process (an import
// that can be killed at any moment, or `stegvis serve` on 127.0.0.1 with a free port) and a
// small HTTP client on Boost.Beast with a deadline on every exchange. Nothing here links the
// program's own classes: the tests see only the binary, its answers and its database file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"

namespace stegvis::testing {

// One run of build/stegvis with `arguments` (no shell). Standard out and standard error go
// to files (so that a chatty child never blocks on a full pipe); standard in reads `input`.
// A child still running when the object is destroyed is killed with SIGKILL and reaped.
class ChildProcess {
 public:
  // Starts the child; throws std::runtime_error when it cannot be started.
  explicit ChildProcess(const std::vector<std::string>& arguments, const std::string& input = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // True until the child has exited (reaps it when it has).
  bool Running();

  // Waits at most `timeout` for the child to exit. Returns its exit code, 128 + the signal
  // number when a signal ended it, or nullopt when it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

  // Sends `signal` (SIGKILL unless told) if the child is still running.
  void Signal(int signal);

  // What the child has written so far.
  std::string Out() const;
  std::string Err() const;

 private:
  void Reap(int status);

  TempDir capture_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// `stegvis serve --db DB --listen 127.0.0.1:0` plus `extra` arguments, started at
// construction; the constructor returns once the server has printed its line
// "stegvis lyssnar på http://127.0.0.1:PORT/" (at most 15 s) and throws otherwise. The
// destructor stops it with SIGTERM and, after 3 s, SIGKILL.
class ServerProcess {
 public:
  explicit ServerProcess(const std::filesystem::path& database,
                         const std::vector<std::string>& extra = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  unsigned short port_ = 0;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::map<std::string, std::string> headers;  // Content-Type goes here too.
};

struct HttpReply {
  unsigned status = 0;  // 0 when the exchange failed; `error` then says why.
  std::string body;
  std::string location;
  std::string set_cookie;
  std::string error;
};

// One connection to 127.0.0.1:port, opened at construction. Each Exchange writes one request
// (with "Connection: close" unless keep_alive) and reads the answer, all within `timeout`.
// Opening the connection first lets many threads connect and then send at the same moment.
class HttpConnection {
 public:
  HttpConnection(unsigned short port, std::chrono::milliseconds timeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // An empty text when connected, otherwise why not.
  const std::string& connect_error() const;

  HttpReply Exchange(const HttpRequest& request, bool keep_alive = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Connects, sends one request and reads the answer, within `timeout`.
HttpReply SendHttp(unsigned short port, const HttpRequest& request,
                   std::chrono::milliseconds timeout = std::chrono::seconds(15));

// `text` percent-encoded for application/x-www-form-urlencoded.
std::string FormEncode(const std::string& text);
// name=value&... with both sides encoded.
std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields);

// A signed-in browser or API client: the session cookie and the session's CSRF token.
struct Session {
  std::string cookie;  // "stegvis_session=..." for the Cookie header.
  std::string csrf;
};

// Signs in through the sign-in form (POST /logga-in with namn and losenord) and fetches the
// CSRF token from GET /api/v1/session. Throws std::runtime_error when either step fails.
Session SignIn(unsigned short port, const std::string& name, const std::string& password);

// A form POST as a browser sends it: the session cookie and the CSRF token in the field csrf.
HttpRequest FormPost(const Session& session, const std::string& target,
                     std::vector<std::pair<std::string, std::string>> fields);
// A JSON POST as an API client sends it: the cookie and the X-CSRF-Token header.
HttpRequest JsonPost(const Session& session, const std::string& target, const std::string& json);
// A GET with the session cookie.
HttpRequest Get(const Session& session, const std::string& target);

}  // namespace stegvis::testing
