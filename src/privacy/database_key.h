// The database's secret key: 32 random bytes in a 0600 file kept apart from the database.
// The pseudonyms are keyed with it, the audit chain with a key derived from it, and the
// database records its fingerprint so that a missing or foreign key file is refused.
#pragma once

#include <string>
#include <string_view>

#include "privacy/pseudonymizer.h"
#include "util/error.h"

namespace stegvis::privacy {

// Reads a key file. Fails with kFailedPrecondition when it is missing, has the wrong size
// or can be read by others than its owner; the message never suggests making a new key,
// since a new key cannot recognise the people already stored.
util::Result<Key> ReadKeyFile(const std::string& path);

// A key for one purpose (e.g. "audit"), derived from the database key with HMAC-SHA256, so
// that one file to keep safe serves every purpose and no purpose's key reveals another's.
Key DeriveKey(const Key& key, std::string_view purpose);

// A public fingerprint of the key (32 hex characters): what the database stores to know
// its key again. It reveals nothing of the key.
std::string Fingerprint(const Key& key);

// Hex of HMAC-SHA256 of `message` under `key`.
std::string HmacHex(const Key& key, std::string_view message);

}  // namespace stegvis::privacy
