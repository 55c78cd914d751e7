// Keyed pseudonyms: a personnummer or local code becomes HMAC-SHA256 under a secret key that
// lives in a key file beside the database, never in it. Without the key nobody can link a
// pseudonym back to a number, and the same person always gets the same pseudonym within one
// database. The identifier itself is never kept, logged or put in an error message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace stegvis::privacy {

inline constexpr std::size_t kKeyBytes = 32;
using Key = std::array<std::uint8_t, kKeyBytes>;

// Where the key of a SQLite database lives by default: the database path with ".key"
// appended. The key path is configuration (stegvis --key), so that any database can have one.
std::string KeyFilePathFor(const std::string& database_path);

// Creates a key file with a fresh random key and mode 0600 unless one exists. Fails with
// kUnavailable when it cannot be written.
util::Status CreateKeyFileIfMissing(const std::string& path);

struct PersonIdentity {
  std::string key;                // 64 hex characters.
  std::optional<int> birth_year;  // From a personnummer; nullopt for a local code.
};

class Pseudonymizer {
 public:
  // Reads the key file (ReadKeyFile): kFailedPrecondition when it is missing, has the wrong
  // size, or can be read by others than its owner.
  static util::Result<Pseudonymizer> FromKeyFile(const std::string& path);
  static Pseudonymizer FromKey(const Key& key) { return Pseudonymizer(key); }

  // The person behind `identifier`: a personnummer or samordningsnummer (anything shaped
  // like one is checked as one) or a local code, which must contain a letter. Fails with
  // kInvalidArgument saying what is wrong, never repeating the identifier.
  util::Result<PersonIdentity> Identify(std::string_view identifier, int current_year) const;

 private:
  explicit Pseudonymizer(const Key& key) : key_(key) {}
  std::string Mac(std::string_view domain, std::string_view value) const;
  Key key_;
};

}  // namespace stegvis::privacy
