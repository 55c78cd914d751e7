// A database as it may be shown or handed on: a postgresql:// URL or a libpq key=value
// conninfo without its password (in the URL's user part, as a password= parameter or as a
// password keyword), so that no message, log line or process list shows it. Anything else
// (a SQLite path) is returned as it is.
#pragma once

#include <string>
#include <string_view>

namespace stegvis::util {

std::string WithoutPassword(std::string_view database);

}  // namespace stegvis::util
