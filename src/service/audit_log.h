// The audit log: every read and change of participant-level data and every change to plans
// and accounts, as an append-only chain where each entry carries a keyed hash (HMAC-SHA256
// under a key derived from the database key) over itself and the hash before it. Whoever
// has the database file but not the key cannot change, delete, reorder or re-hash entries
// undetected; deleting the newest entries is caught by the head noted in a file beside the
// key after every append.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/pseudonymizer.h"
#include "service/access.h"
#include "store/unit_of_work.h"
#include "util/error.h"

namespace stegvis::service {

struct AuditVerification {
  std::int64_t entries = 0;
  std::string head_hash;               // The last entry's hash.
  std::optional<std::int64_t> broken;  // The first entry whose chain does not hold.
  // The head noted outside the database is missing from the chain: entries at its end were
  // deleted (or the head file belongs to another database).
  bool truncated = false;
  bool head_missing = false;  // No head file although the chain has entries.
  bool head_forged = false;   // The head file's own MAC does not hold.

  bool Intact() const { return !broken && !truncated && !head_missing && !head_forged; }
};

class AuditLog {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // `key` is the audit key (privacy::DeriveKey(database key, "audit")); `head_path` the file
  // where the chain's head is noted after each commit that appended to it.
  AuditLog(Clock now, const privacy::Key& key, std::string head_path)
      : now_(std::move(now)), key_(key), head_path_(std::move(head_path)) {}

  // Appends "`actor` did `action` to `target`" in the unit of work, so that it commits with
  // the change it records. `target` must never hold a personnummer: participants are named
  // by enrolment id.
  util::Status Record(store::UnitOfWork& work, const Actor& actor, std::string_view action,
                      std::string_view target) const;
  // The same action on many targets.
  util::Status RecordAll(store::UnitOfWork& work, const Actor& actor, std::string_view action,
                         const std::vector<std::string>& targets) const;

  // Walks the whole chain: numbering without gaps from 1, each previous_hash equal to the
  // hash before it, each hash recomputed under the key, and the noted head present.
  util::Result<AuditVerification> Verify(store::StorePool& pool) const;

  // Hashes every entry anew under the key and notes the head: for a database whose chain
  // was made before the chain was keyed. Part of `work`. First checks the chain as it was
  // made (unkeyed SHA-256) and fails with kFailedPrecondition, changing nothing, when it does
  // not hold.
  util::Status Rechain(store::UnitOfWork& work) const;

  // True when a head has been noted (the chain has been keyed and appended to).
  bool HeadNoted() const;

  // Fails with kUnavailable when the head file cannot be written beside the key, so that a
  // command stops before it changes anything rather than leave the chain's end unguarded.
  util::Status CheckHeadWritable() const;

  // The keyed hash of an entry over all its fields and previous_hash.
  std::string HashOf(const core::AuditEntry& entry) const;

  // The hash the chain had before it was keyed: SHA-256 without a key over the same fields,
  // which anyone can compute.
  static std::string UnkeyedHashOf(const core::AuditEntry& entry);

 private:
  // Notes `head` in the head file (with a MAC under the key) unless it already notes a later
  // one; a failure is logged, since the change it follows is already committed.
  void NoteHead(const store::AuditHead& head) const;
  // The noted head; nullopt when there is none. `forged` is set when the file's MAC fails.
  std::optional<store::AuditHead> ReadHead(bool* forged = nullptr) const;
  std::string HeadMac(const store::AuditHead& head) const;

  Clock now_;
  privacy::Key key_;
  std::string head_path_;
};

}  // namespace stegvis::service
