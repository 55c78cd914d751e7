// Writes a Boost.JSON value as indented text with numbers the way people write them
// (59.6, not 5.96E1): the one JSON writer for everything stegvis prints or serves.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace stegvis::exporting {

enum class JsonStyle { kIndented, kCompact };

std::string ToJsonText(const boost::json::value& value, JsonStyle style = JsonStyle::kIndented);

}  // namespace stegvis::exporting
