#include "util/database_url.h"

#include <cctype>

namespace stegvis::util {

namespace {

// The URL without the password of its user part and without password= in its query. Works
// on text that is not a valid URL too (it only looks for the delimiters), since libpq's
// error messages quote whatever they could not parse.
std::string UrlWithoutPassword(std::string_view url, std::size_t scheme_end) {
  const std::size_t start = scheme_end + 3;
  std::size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  std::string result(url.substr(0, start));
  const std::string_view authority = url.substr(start, end - start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user = authority.substr(0, at);
    result += user.substr(0, user.find(':'));
    result += authority.substr(at);
  } else {
    result += authority;
  }
  const std::size_t query = url.find('?', end);
  result += url.substr(end, query == std::string_view::npos ? url.size() - end : query - end);
  if (query == std::string_view::npos) return result;
  const std::size_t fragment = url.find('#', query);
  const std::string_view params = url.substr(
      query + 1, (fragment == std::string_view::npos ? url.size() : fragment) - query - 1);
  std::string kept;
  std::size_t from = 0;
  while (from <= params.size()) {
    std::size_t amp = params.find('&', from);
    if (amp == std::string_view::npos) amp = params.size();
    const std::string_view param = params.substr(from, amp - from);
    if (!param.empty() && param.substr(0, param.find('=')) != "password") {
      kept += (kept.empty() ? "" : "&") + std::string(param);
    }
    from = amp + 1;
  }
  if (!kept.empty()) result += "?" + kept;
  if (fragment != std::string_view::npos) result += url.substr(fragment);
  return result;
}

// A key=value conninfo without its password keyword (value plain or 'quoted').
std::string ConninfoWithoutPassword(std::string_view conninfo) {
  std::string result;
  std::size_t i = 0;
  while (i < conninfo.size()) {
    if (std::isspace(static_cast<unsigned char>(conninfo[i]))) {
      result += conninfo[i++];
      continue;
    }
    const std::size_t start = i;
    while (i < conninfo.size() && conninfo[i] != '=' &&
           !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
      ++i;
    }
    const std::string_view keyword = conninfo.substr(start, i - start);
    while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i]))) ++i;
    if (i < conninfo.size() && conninfo[i] == '=') ++i;
    while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i]))) ++i;
    if (i < conninfo.size() && conninfo[i] == '\'') {
      for (++i; i < conninfo.size() && conninfo[i] != '\''; ++i) {
        if (conninfo[i] == '\\') ++i;
      }
      ++i;
    } else {
      while (i < conninfo.size() && !std::isspace(static_cast<unsigned char>(conninfo[i]))) ++i;
    }
    i = std::min(i, conninfo.size());
    if (keyword != "password") result += conninfo.substr(start, i - start);
  }
  return result;
}

}  // namespace

std::string WithoutPassword(std::string_view database) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (database.substr(0, scheme.size()) == scheme) {
      return UrlWithoutPassword(database, scheme.size() - 3);
    }
  }
  if (database.find('=') != std::string_view::npos) return ConninfoWithoutPassword(database);
  return std::string(database);
}

}  // namespace stegvis::util
