#include "util/error.h"

namespace stegvis::util {

std::string Error::Render(Language language) const {
  if (location.empty()) return text.In(language);
  return location + ": " + text.In(language);
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
