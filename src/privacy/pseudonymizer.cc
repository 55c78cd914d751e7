#include "privacy/pseudonymizer.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "core/personnummer.h"
#include "privacy/database_key.h"

namespace stegvis::privacy {

namespace {

using util::Code;
using util::Fail;

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// A personnummer as people type or paste it: an en dash or minus sign (from a word processor)
// or a single space between the date and the last four digits becomes '-', so that it is
// recognised as the number it is rather than taken for a local code.
std::string NormalizeSeparators(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("\u2013") || rest.starts_with("\u2212")) {
      out.push_back('-');
      i += 2;
    } else if (text[i] == ' ' && i > 0 && i + 1 < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
               std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      out.push_back('-');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool HasLetter(std::string_view text) {
  // Any ASCII letter, or any multi-byte UTF-8 character (å, ä, ö and the like).
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::isalpha(byte) != 0 || byte >= 0x80;
  });
}

}  // namespace

std::string KeyFilePathFor(const std::string& database_path) { return database_path + ".key"; }

util::Status CreateKeyFileIfMissing(const std::string& path) {
  if (!SodiumReady()) {
    return Fail(Code::kInternal, "libsodium", "kan inte starta libsodium",
                "cannot start libsodium");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return util::Ok();
    return Fail(Code::kUnavailable, path, "kan inte skapa nyckelfilen",
                "cannot create the key file");
  }
  Key key{};
  crypto_auth_hmacsha256_keygen(key.data());
  const bool written =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(key.data(), key.size());
  if (!written) {
    ::unlink(path.c_str());
    return Fail(Code::kUnavailable, path, "kan inte skriva nyckelfilen",
                "cannot write the key file");
  }
  return util::Ok();
}

util::Result<Pseudonymizer> Pseudonymizer::FromKeyFile(const std::string& path) {
  STEGVIS_ASSIGN_OR_RETURN(const Key key, ReadKeyFile(path));
  return Pseudonymizer(key);
}

std::string Pseudonymizer::Mac(std::string_view domain, std::string_view value) const {
  std::string message(domain);
  message += ':';
  message += value;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key_.data());
  sodium_memzero(message.data(), message.size());
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

util::Result<PersonIdentity> Pseudonymizer::Identify(std::string_view identifier,
                                                     int current_year) const {
  // Trim spaces a spreadsheet may leave around the value.
  while (!identifier.empty() && identifier.front() == ' ') identifier.remove_prefix(1);
  while (!identifier.empty() && identifier.back() == ' ') identifier.remove_suffix(1);
  std::string normalized = NormalizeSeparators(identifier);
  if (core::LooksLikePersonnummer(normalized)) {
    auto parsed = core::ParsePersonnummer(normalized, current_year);
    sodium_memzero(normalized.data(), normalized.size());
    STEGVIS_ASSIGN_OR_RETURN(core::Personnummer number, std::move(parsed));
    PersonIdentity identity{Mac("pnr", number.digits), number.birth_year};
    sodium_memzero(number.digits.data(), number.digits.size());
    return identity;
  }
  if (identifier.empty() || identifier.size() > 64 || !HasLetter(identifier)) {
    return Fail(Code::kInvalidArgument, "",
                "förväntade ett personnummer (10 eller 12 siffror) eller en lokal kod med minst "
                "en bokstav (högst 64 tecken)",
                "expected a personnummer (10 or 12 digits) or a local code with at least one "
                "letter (at most 64 characters)");
  }
  return PersonIdentity{Mac("kod", identifier), std::nullopt};
}

}  // namespace stegvis::privacy
