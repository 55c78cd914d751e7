#include "util/error.h"

namespace stegvis::util {

std::string Error::Render(Language language) const {
  if (location.empty()) return RedactIdentifiers(text.In(language));
  return RedactIdentifiers(location + ": " + text.In(language));
}

std::string RedactIdentifiers(std::string_view text) {
  // Digit groups and the single '-' or '+' between them, scanned left to right. A group of 10
  // or 12 digits, or 6 or 8 digits, a separator and 4 digits, is a personnummer's shape.
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto group_end = [&](std::size_t from) {
    while (from < text.size() && is_digit(text[from])) ++from;
    return from;
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i]) || (i > 0 && is_digit(text[i - 1]))) {
      out.push_back(text[i++]);
      continue;
    }
    const std::size_t end = group_end(i);
    const std::size_t length = end - i;
    if (length == 10 || length == 12) {
      out += "[dolt]";
      i = end;
      continue;
    }
    // The separator as typed or pasted: '-', '+', a space, an en dash or a minus sign.
    std::size_t separator = 0;
    if (end < text.size() && (text[end] == '-' || text[end] == '+' || text[end] == ' ')) {
      separator = 1;
    } else if (text.substr(end).starts_with("\u2013") || text.substr(end).starts_with("\u2212")) {
      separator = 3;
    }
    if ((length == 6 || length == 8) && separator > 0 && end + separator < text.size() &&
        group_end(end + separator) - (end + separator) == 4) {
      out += "[dolt]";
      i = group_end(end + separator);
      continue;
    }
    out.append(text.substr(i, length));
    i = end;
  }
  return out;
}

Error Error::Within(std::string_view outer) const {
  Error copy = *this;
  if (copy.location.empty()) {
    copy.location = std::string(outer);
  } else {
    copy.location = std::string(outer) + ": " + copy.location;
  }
  return copy;
}

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kNotFound:
      return "NotFound";
    case Code::kAlreadyExists:
      return "AlreadyExists";
    case Code::kFailedPrecondition:
      return "FailedPrecondition";
    case Code::kPermissionDenied:
      return "PermissionDenied";
    case Code::kUnauthenticated:
      return "Unauthenticated";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kInternal:
      return "Internal";
  }
  return "Internal";
}

}  // namespace stegvis::util
