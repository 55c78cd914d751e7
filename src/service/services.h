// Every service of stegvis, built once from one configuration (by app/) and shared by the
// command line and every thread of the server. The services hold no connection: each use
// case takes one from the pool for its own unit of work.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "privacy/pseudonymizer.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/participant_service.h"
#include "service/plan_service.h"
#include "service/report_service.h"
#include "store/unit_of_work.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::service {

// Where a database's parts are: the database, its key file (kept apart from it and backed
// up with it) and the audit head noted beside the key.
struct Configuration {
  std::string database;       // A SQLite file's path or a postgresql:// URL.
  std::string key_file;       // Empty: the SQLite database path with ".key" appended.
  std::size_t pool_size = 0;  // Connections at most; 0: the backend's default.

  std::string KeyFile() const { return key_file.empty() ? database + ".key" : key_file; }
  std::string AuditHeadFile() const { return KeyFile() + ".granskning"; }
};

// The setting where a database keeps its key's fingerprint (privacy::Fingerprint).
inline constexpr std::string_view kKeyFingerprintSetting = "nyckelns_fingeravtryck";

struct Clocks {
  std::function<std::int64_t()> now;  // Unix seconds, for sessions and the audit log.
  std::function<util::Date()> today;  // For the century of a 10-digit personnummer.
};

class Services {
 public:
  Services(std::unique_ptr<store::StorePool> pool, const privacy::Key& key,
           const std::string& audit_head_file, Clocks clocks);

  // Checks that `key` is the database's own (its fingerprint is stored in the database) and
  // binds a database that has none yet to it: an empty one, or one from before keys were
  // bound, whose audit chain is then re-hashed under the key. kFailedPrecondition when the
  // database belongs to another key.
  util::Status BindKey(const privacy::Key& key);

  store::StorePool& pool() { return *pool_; }

 private:
  std::unique_ptr<store::StorePool> pool_;

 public:
  const privacy::Pseudonymizer pseudonyms;
  const AuditLog audit;
  PlanService plans;
  ReportService reports;
  AccountService accounts;
  ParticipantService participants;
};

}  // namespace stegvis::service
