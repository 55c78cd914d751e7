// The web application: pages and the JSON API under /api/v1, each a thin handler that
// parses the request, makes one service call with the signed-in Actor and maps the result.
// Sessions ride on an HttpOnly, SameSite=Strict cookie; every state-changing request must
// carry the session's CSRF token; every answer carries a strict Content-Security-Policy.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/server.h"
#include "privacy/pseudonymizer.h"
#include "store/store.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::http {

struct WebOptions {
  // Opens one more connection to the store; the app keeps a small pool of them.
  std::function<util::Result<std::unique_ptr<store::Store>>()> open_store;
  std::function<std::int64_t()> now;
  std::function<util::Date()> today;
  bool secure_cookies = false;  // Set behind TLS.
  // The database's pseudonym key, for the coach's forms and person lookup.
  std::shared_ptr<const privacy::Pseudonymizer> pseudonyms;
};

class WebApp {
 public:
  explicit WebApp(WebOptions options);
  ~WebApp();
  Response Handle(const Request& request, const std::string& remote_address);

  class Exchange;

 private:
  std::unique_ptr<store::Store> Acquire();
  void Release(std::unique_ptr<store::Store> store);

  WebOptions options_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<store::Store>> pool_;
};

// The HTTP status for an error: the one mapping from error codes to statuses.
unsigned StatusFor(const util::Error& error);

}  // namespace stegvis::http
