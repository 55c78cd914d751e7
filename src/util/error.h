// Errors as values: the small fixed set of error codes every layer uses, and the
// Result type that carries either a value or an Error.
//
// Messages are kept in Swedish and English so that the edge (CLI, HTTP) can show the
// user's language; a location (file, row, field or JSON path) is language neutral.
// No message may ever contain a personnummer in clear.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace stegvis::util {

enum class Code {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,
  kInternal,
};

enum class Language { kSwedish, kEnglish };

// A user-facing text in both languages.
struct Text {
  std::string swedish;
  std::string english;

  const std::string& In(Language language) const {
    return language == Language::kEnglish ? english : swedish;
  }
};

struct Error {
  Code code = Code::kInternal;
  // Where the problem is, e.g. "plan.json: $.budget[0].kostnader[2].belopp"; may be empty.
  std::string location;
  Text text;

  // "location: text" in the given language, with identifiers redacted.
  std::string Render(Language language = Language::kSwedish) const;
  // Returns a copy whose location is prefixed by `outer` ("outer: location").
  Error Within(std::string_view outer) const;
};

// Replaces every personnummer-shaped run — 10 or 12 digits, or 6 or 8 digits, a separator
// ('-', '+', a space, an en dash or a minus sign) and 4 digits — with "[dolt]", whatever column the
// value was typed into. Error rendering applies it, so that no message shows an identifier however
// the value reached it.
std::string RedactIdentifiers(std::string_view text);

// The stable English name of a code, e.g. "InvalidArgument".
std::string_view CodeName(Code code);

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(Code code, std::string location, std::string swedish,
                                  std::string english) {
  return tl::unexpected<Error>(
      Error{code, std::move(location), Text{std::move(swedish), std::move(english)}});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

inline Status Ok() { return {}; }

}  // namespace stegvis::util

// The macros declare variables from their arguments, which cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define STEGVIS_CONCAT_INNER(a, b) a##b
#define STEGVIS_CONCAT(a, b) STEGVIS_CONCAT_INNER(a, b)

// Evaluates `expr` (a Result or Status); on error returns the error from the current function.
#define STEGVIS_TRY(expr) STEGVIS_TRY_IMPL(STEGVIS_CONCAT(stegvis_try_, __COUNTER__), expr)
#define STEGVIS_TRY_IMPL(tmp, expr)                                               \
  do {                                                                            \
    if (auto tmp = (expr); !tmp) return ::tl::unexpected(std::move(tmp).error()); \
  } while (false)

// Declares `lhs` from the value of the Result `expr`, or returns its error.
#define STEGVIS_ASSIGN_OR_RETURN(lhs, expr) \
  STEGVIS_ASSIGN_OR_RETURN_IMPL(STEGVIS_CONCAT(stegvis_result_, __COUNTER__), lhs, expr)
#define STEGVIS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)        \
  auto tmp = (expr);                                         \
  if (!tmp) return ::tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
// NOLINTEND(bugprone-macro-parentheses)
