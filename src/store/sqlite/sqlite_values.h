// The conversions of store/values.h (found from this namespace as they are), and the SQLite
// store's own way of reporting a value it cannot read back.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

#include "store/values.h"
#include "util/error.h"

namespace stegvis::store::sqlite {

// A value the store wrote itself but cannot read back: the file was changed outside stegvis.
inline util::Error Corrupt(std::string_view what) { return CorruptIn("sqlite", what); }

template <typename T>
util::Result<T> Decode(std::optional<T> value, std::string_view what) {
  return DecodeIn("sqlite", std::move(value), what);
}

}  // namespace stegvis::store::sqlite
