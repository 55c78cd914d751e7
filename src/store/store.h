// The store interface: everything stegvis keeps, behind one abstract class with one
// implementation per backend (sqlite/ now, postgres/ to follow). The core and the reports
// know nothing of it; only the service layer calls it and only app/ names a backend.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/plan.h"
#include "util/error.h"

namespace stegvis::store {

class Store {
 public:
  virtual ~Store() = default;

  // Creates the förbund or replaces its whole plan (organisation, members, interventions,
  // budget, outcome, equity) in one transaction: afterwards the store holds exactly `plan`
  // for that förbund, or, on any failure, exactly what it held before. The plan must
  // already be valid (core::ValidatePlan). Fails with kUnavailable or kInternal on a
  // storage failure.
  virtual util::Status ReplacePlan(const core::Plan& plan) = 0;

  // The stored plan of a förbund; kNotFound when it does not exist.
  virtual util::Result<core::Plan> LoadPlan(std::string_view forbund_id) = 0;

  // Every förbund, ordered by id.
  virtual util::Result<std::vector<core::Forbund>> ListForbund() = 0;

  // Every enrolment of the förbund with its measurements and follow-ups, ordered by id.
  virtual util::Result<std::vector<core::Enrolment>> LoadEnrolments(
      std::string_view forbund_id) = 0;

  // Stores enrolments in one transaction: those with id 0 are inserted, the others replace
  // the stored enrolment with that id (with all its measurements and follow-ups). Returns the
  // ids in order. On any failure nothing is stored. Fails with kFailedPrecondition when a
  // constraint is broken (e.g. a second open enrolment of a person in an intervention) and
  // kNotFound for an id that is not stored for this förbund.
  virtual util::Result<std::vector<std::int64_t>> SaveEnrolments(
      std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) = 0;

  // ---- Accounts ----

  // Stores a new account with its interventions; returns its id. kAlreadyExists when the
  // name is taken.
  virtual util::Result<std::int64_t> AddAccount(const core::Account& account) = 0;
  // kNotFound when there is no such account.
  virtual util::Result<core::Account> FindAccountByName(std::string_view name) = 0;
  virtual util::Result<core::Account> FindAccount(std::int64_t id) = 0;
  virtual util::Result<std::vector<core::Account>> ListAccounts() = 0;
  virtual util::Status SetPasswordHash(std::int64_t account_id, std::string_view hash) = 0;

  // ---- Sessions ----

  virtual util::Status AddSession(const core::Session& session) = 0;
  // nullopt when there is no session with that token hash.
  virtual util::Result<std::optional<core::Session>> FindSession(std::string_view token_hash) = 0;
  virtual util::Status TouchSession(std::string_view token_hash, std::int64_t now) = 0;
  virtual util::Status RemoveSession(std::string_view token_hash) = 0;
  // Removes every session of the account, e.g. after a password change.
  virtual util::Status RemoveSessionsOf(std::int64_t account_id) = 0;

  // ---- Sign-in throttling ----

  // Failed sign-ins of a subject ("konto:NAME" or "adress:ADDRESS") counted since the start
  // of its window; {0, 0} when none.
  virtual util::Result<std::pair<int, std::int64_t>> SignInFailures(std::string_view subject) = 0;
  // Counts one failure; a window older than `window_seconds` starts over at `now`.
  virtual util::Status RecordSignInFailure(std::string_view subject, std::int64_t now,
                                           std::int64_t window_seconds) = 0;
  virtual util::Status ClearSignInFailures(std::string_view subject) = 0;

  // ---- Audit log (append-only) ----

  // Appends `entries` in one transaction: the store sets each seq and previous_hash from the
  // entry before, then the hash from `hash_of`.
  virtual util::Status AppendAudit(
      std::vector<core::AuditEntry> entries,
      const std::function<std::string(const core::AuditEntry&)>& hash_of) = 0;
  // Entries with seq > `after`, in order, at most `limit`.
  virtual util::Result<std::vector<core::AuditEntry>> ListAudit(std::int64_t after,
                                                                std::size_t limit) = 0;
};

}  // namespace stegvis::store
