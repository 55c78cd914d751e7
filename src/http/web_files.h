// Templates and static files of the web application, embedded in the binary at build time
// from web/templates and web/static.
#pragma once

#include <span>
#include <string_view>

namespace stegvis::http {

struct WebFile {
  std::string_view name;
  std::string_view content;
};

std::span<const WebFile> WebFiles();

}  // namespace stegvis::http
