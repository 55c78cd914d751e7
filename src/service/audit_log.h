// The audit log: every read and change of participant-level data and every change to plans
// and accounts, as an append-only chain where each entry carries the SHA-256 of the one
// before, so that a changed or deleted entry is detected by Verify.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "service/access.h"
#include "store/store.h"
#include "util/error.h"

namespace stegvis::service {

struct AuditVerification {
  std::int64_t entries = 0;
  std::string head_hash;               // The last entry's hash: note it to detect truncation.
  std::optional<std::int64_t> broken;  // The first entry whose chain does not hold.
};

class AuditLog {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  AuditLog(store::Store& store, Clock now) : store_(store), now_(std::move(now)) {}

  // Appends "`actor` did `action` to `target`". `target` must never hold a personnummer:
  // participants are named by enrolment id.
  util::Status Record(const Actor& actor, std::string_view action, std::string_view target);
  // The same action on many targets, appended in one transaction.
  util::Status RecordAll(const Actor& actor, std::string_view action,
                         const std::vector<std::string>& targets);

  // Walks the whole chain: numbering without gaps from 1, each previous_hash equal to the
  // hash before it, each hash recomputed from the entry.
  util::Result<AuditVerification> Verify();

  // The hash of an entry over all its fields and previous_hash.
  static std::string HashOf(const core::AuditEntry& entry);

 private:
  store::Store& store_;
  Clock now_;
};

}  // namespace stegvis::service
