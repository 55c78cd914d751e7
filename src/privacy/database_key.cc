#include "privacy/database_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

namespace stegvis::privacy {

namespace {

using util::Code;
using util::Fail;

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> Hmac(const Key& key,
                                                             std::string_view message) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key.data());
  return mac;
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

}  // namespace

util::Result<Key> ReadKeyFile(const std::string& path) {
  if (sodium_init() < 0) {
    return Fail(Code::kInternal, "libsodium", "kan inte starta libsodium",
                "cannot start libsodium");
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Fail(Code::kFailedPrecondition, path,
                "nyckelfilen saknas. En ny databas får sin nyckel av stegvis init; till en "
                "befintlig databas hör bara dess egen nyckel: återställ den från "
                "säkerhetskopian (utan den känns deltagarna inte igen)",
                "the key file is missing. A new database gets its key from stegvis init; an "
                "existing database works only with its own key: restore it from the backup "
                "(without it the participants cannot be recognised)");
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Fail(Code::kFailedPrecondition, path,
                "nyckelfilen får bara kunna läsas av ägaren (chmod 600)",
                "the key file must be readable by its owner only (chmod 600)");
  }
  Key key{};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool read_all =
      fd >= 0 && ::read(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  if (fd >= 0) ::close(fd);
  if (!read_all || info.st_size != static_cast<off_t>(kKeyBytes)) {
    return Fail(Code::kFailedPrecondition, path, "nyckelfilen är skadad (fel storlek)",
                "the key file is damaged (wrong size)");
  }
  return key;
}

Key DeriveKey(const Key& key, std::string_view purpose) {
  const auto mac = Hmac(key, "stegvis-nyckel:" + std::string(purpose));
  Key derived{};
  std::copy(mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(derived.size()),
            derived.begin());
  return derived;
}

std::string Fingerprint(const Key& key) {
  const auto mac = Hmac(key, "stegvis-fingeravtryck");
  return Hex(mac.data(), 16);
}

std::string HmacHex(const Key& key, std::string_view message) {
  const auto mac = Hmac(key, message);
  return Hex(mac.data(), mac.size());
}

}  // namespace stegvis::privacy
