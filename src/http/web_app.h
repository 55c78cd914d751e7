// The web application: pages and the JSON API under /api/v1, each a thin handler that
// parses the request, makes one service call with the signed-in Actor and maps the result.
// Sessions ride on an HttpOnly, SameSite=Strict cookie; every state-changing request must
// carry the session's CSRF token; every answer carries a strict Content-Security-Policy.
#pragma once

#include <functional>
#include <string>

#include "http/server.h"
#include "service/services.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::http {

struct WebOptions {
  std::function<util::Date()> today;
  bool secure_cookies = false;  // Set behind TLS.
};

class WebApp {
 public:
  // `services` (built once in app/) outlive the app; every thread of the server shares them.
  WebApp(service::Services& services, WebOptions options);
  ~WebApp();
  Response Handle(const Request& request, const std::string& remote_address);

  class Exchange;

 private:
  service::Services& services_;
  WebOptions options_;
};

// The HTTP status for an error: the one mapping from error codes to statuses.
unsigned StatusFor(const util::Error& error);

}  // namespace stegvis::http
