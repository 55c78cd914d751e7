#include "formats/json_reader.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>

namespace stegvis::formats {

using util::Code;
using util::Fail;
using util::Result;

util::Result<boost::json::value> ParseJsonText(std::string_view text) {
  // Editors on Windows start UTF-8 files with a byte order mark; it is not part of the JSON.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  boost::json::stream_parser parser;
  boost::system::error_code error;
  std::size_t consumed = parser.write_some(text.data(), text.size(), error);
  if (!error && consumed < text.size()) error = boost::json::error::extra_data;
  if (!error) parser.finish(error);
  if (!error) return parser.release();
  // Position of the failure: the bytes the parser accepted before it stopped.
  consumed = std::min(consumed, text.size());
  const std::string_view before = text.substr(0, consumed);
  const std::size_t line =
      1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      consumed - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  std::string swedish = "ogiltig JSON: oväntat tecken";
  std::string english = "invalid JSON: unexpected character";
  if (error == boost::json::error::incomplete || text.empty()) {
    swedish = "ogiltig JSON: filen tar slut mitt i ett värde";
    english = "invalid JSON: the file ends in the middle of a value";
  } else if (error == boost::json::error::extra_data) {
    swedish = "ogiltig JSON: tecken efter dokumentets slut";
    english = "invalid JSON: characters after the end of the document";
  }
  return Fail(Code::kInvalidArgument, fmt::format("rad {}, kolumn {}", line, column),
              std::move(swedish), std::move(english));
}

std::string DescribeJson(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object:
      return "ett objekt";
    case boost::json::kind::array:
      return "en lista";
    case boost::json::kind::null:
      return "null";
    default: {
      std::string text = boost::json::serialize(value);
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      return text;
    }
  }
}

tl::unexpected<util::Error> Expected(const std::string& path, std::string_view swedish,
                                     std::string_view english, const boost::json::value* got) {
  if (got == nullptr) {
    return Fail(Code::kInvalidArgument, path, fmt::format("saknas: förväntade {}", swedish),
                fmt::format("missing: expected {}", english));
  }
  const std::string described = DescribeJson(*got);
  return Fail(Code::kInvalidArgument, path,
              fmt::format("förväntade {}, fick {}", swedish, described),
              fmt::format("expected {}, got {}", english, described));
}

Result<JsonObject> JsonObject::Create(const boost::json::value& value, std::string path,
                                      std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) return Expected(path, "ett objekt", "an object", &value);
  const boost::json::object& object = value.get_object();
  for (const auto& entry : object) {
    const std::string_view key = entry.key();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string keys;
      for (std::string_view name : allowed) keys += (keys.empty() ? "" : ", ") + std::string(name);
      return Fail(Code::kInvalidArgument, path + "." + std::string(key),
                  fmt::format("okänd nyckel; tillåtna är {}", keys),
                  fmt::format("unknown key; allowed are {}", keys));
    }
  }
  return JsonObject(&object, std::move(path));
}

bool JsonObject::Has(std::string_view key) const { return Find(key) != nullptr; }

const boost::json::value* JsonObject::Find(std::string_view key) const {
  const boost::json::value* value = object_->if_contains(key);
  if (value == nullptr || value->is_null()) return nullptr;
  return value;
}

Result<const boost::json::value*> JsonObject::Required(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return Expected(PathOf(key), "ett värde", "a value", nullptr);
  return value;
}

Result<std::string> JsonObject::String(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !value->is_string()) {
    return Expected(PathOf(key), "en text", "a string", value);
  }
  return std::string(value->get_string());
}

Result<std::optional<std::string>> JsonObject::OptionalString(std::string_view key) const {
  if (!Has(key)) return std::optional<std::string>();
  STEGVIS_ASSIGN_OR_RETURN(std::string text, String(key));
  return std::optional<std::string>(std::move(text));
}

Result<std::int64_t> JsonObject::Integer(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value != nullptr) {
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64() && value->get_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(value->get_uint64());
    }
  }
  return Expected(PathOf(key), "ett heltal", "a whole number", value);
}

Result<std::optional<std::int64_t>> JsonObject::OptionalInteger(std::string_view key) const {
  if (!Has(key)) return std::optional<std::int64_t>();
  STEGVIS_ASSIGN_OR_RETURN(std::int64_t number, Integer(key));
  return std::optional<std::int64_t>(number);
}

Result<double> JsonObject::Number(std::string_view key) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !value->is_number()) {
    return Expected(PathOf(key), "ett tal", "a number", value);
  }
  return value->to_number<double>();
}

Result<bool> JsonObject::OptionalBool(std::string_view key, bool fallback) const {
  const boost::json::value* value = Find(key);
  if (value == nullptr) return fallback;
  if (!value->is_bool()) return Expected(PathOf(key), "true eller false", "true or false", value);
  return value->get_bool();
}

Result<util::Money> JsonObject::Amount(std::string_view key) const {
  const boost::json::value* value = Find(key);
  constexpr std::string_view kSwedish = "ett belopp i kronor (ett tal ≥ 0 med högst två decimaler)";
  constexpr std::string_view kEnglish =
      "an amount in kronor (a number ≥ 0 with at most two decimals)";
  if (value == nullptr || !value->is_number())
    return Expected(PathOf(key), kSwedish, kEnglish, value);
  std::optional<util::Money> money;
  if (value->is_int64()) {
    if (std::llabs(value->get_int64()) <= 10'000'000'000'000LL) {
      money = util::Money::FromKronor(value->get_int64());
    }
  } else if (value->is_double()) {
    money = util::Money::FromKronorDecimal(value->get_double());
  }
  if (!money || money->ore() < 0) return Expected(PathOf(key), kSwedish, kEnglish, value);
  return *money;
}

Result<util::Date> JsonObject::Date(std::string_view key) const {
  const boost::json::value* value = Find(key);
  std::optional<util::Date> date;
  if (value != nullptr && value->is_string()) date = util::Date::Parse(value->get_string());
  if (!date) {
    return Expected(PathOf(key), "ett datum ÅÅÅÅ-MM-DD", "a date YYYY-MM-DD", value);
  }
  return *date;
}

Result<std::optional<util::Date>> JsonObject::OptionalDate(std::string_view key) const {
  if (!Has(key)) return std::optional<util::Date>();
  STEGVIS_ASSIGN_OR_RETURN(util::Date date, Date(key));
  return std::optional<util::Date>(date);
}

Result<const boost::json::array*> JsonObject::OptionalArray(std::string_view key) const {
  static const boost::json::array kEmpty;
  const boost::json::value* value = Find(key);
  if (value == nullptr) return &kEmpty;
  if (!value->is_array()) return Expected(PathOf(key), "en lista", "a list", value);
  return &value->get_array();
}

}  // namespace stegvis::formats
