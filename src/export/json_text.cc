#include "export/json_text.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

namespace stegvis::exporting {

namespace {

void Write(const boost::json::value& value, JsonStyle style, int depth, std::string& out) {
  auto newline = [&](int level) {
    if (style == JsonStyle::kCompact) return;
    out.push_back('\n');
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  switch (value.kind()) {
    case boost::json::kind::object: {
      const auto& object = value.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const auto& entry : object) {
        if (!first) out.push_back(',');
        first = false;
        newline(depth + 1);
        out += boost::json::serialize(boost::json::string(entry.key()));
        out += style == JsonStyle::kCompact ? ":" : ": ";
        Write(entry.value(), style, depth + 1, out);
      }
      newline(depth);
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      const auto& array = value.get_array();
      if (array.empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const auto& element : array) {
        if (!first) out.push_back(',');
        first = false;
        newline(depth + 1);
        Write(element, style, depth + 1, out);
      }
      newline(depth);
      out.push_back(']');
      return;
    }
    case boost::json::kind::double_:
      // fmt's shortest round-trip form; JSON has no NaN or infinity.
      if (std::isfinite(value.get_double())) {
        out += fmt::format("{}", value.get_double());
      } else {
        out += "null";
      }
      return;
    default:
      out += boost::json::serialize(value);
      return;
  }
}

}  // namespace

std::string ToJsonText(const boost::json::value& value, JsonStyle style) {
  std::string out;
  Write(value, style, 0, out);
  if (style == JsonStyle::kIndented) out.push_back('\n');
  return out;
}

}  // namespace stegvis::exporting
