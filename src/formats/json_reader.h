// Typed, path-tracking access to a parsed JSON document, shared by every JSON import.
// Each accessor fails with kInvalidArgument naming the JSON path ("$.budget[0].ar") and
// what was expected, so that a user can find the place in their file.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "util/date.h"
#include "util/error.h"
#include "util/money.h"

namespace stegvis::formats {

// Parses JSON text; a syntax error names the line and column.
util::Result<boost::json::value> ParseJsonText(std::string_view text);

// A JSON object at a known path.
class JsonObject {
 public:
  // Fails unless `value` is an object whose keys are all in `allowed`.
  static util::Result<JsonObject> Create(const boost::json::value& value, std::string path,
                                         std::initializer_list<std::string_view> allowed);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return path_ + "." + std::string(key); }
  bool Has(std::string_view key) const;
  // Returns the member, or nullptr when it is absent or null.
  const boost::json::value* Find(std::string_view key) const;

  util::Result<std::string> String(std::string_view key) const;
  util::Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  util::Result<std::int64_t> Integer(std::string_view key) const;
  util::Result<std::optional<std::int64_t>> OptionalInteger(std::string_view key) const;
  util::Result<double> Number(std::string_view key) const;
  util::Result<bool> OptionalBool(std::string_view key, bool fallback) const;
  // A non-negative amount in kronor with at most two decimals.
  util::Result<util::Money> Amount(std::string_view key) const;
  util::Result<util::Date> Date(std::string_view key) const;
  util::Result<std::optional<util::Date>> OptionalDate(std::string_view key) const;
  // An array (absent or null gives an empty one).
  util::Result<const boost::json::array*> OptionalArray(std::string_view key) const;

 private:
  JsonObject(const boost::json::object* object, std::string path)
      : object_(object), path_(std::move(path)) {}
  util::Result<const boost::json::value*> Required(std::string_view key) const;
  const boost::json::object* object_;
  std::string path_;
};

// Short description of a JSON value for an error message: "\"abc\"", "12", "en lista".
std::string DescribeJson(const boost::json::value& value, util::Language language);

// kInvalidArgument at `path` with "förväntade …, fick …".
tl::unexpected<util::Error> Expected(const std::string& path, std::string_view swedish,
                                     std::string_view english, const boost::json::value* got);

}  // namespace stegvis::formats
