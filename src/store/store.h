// The store interface: everything stegvis keeps, behind one abstract class with one
// implementation per backend (sqlite/ and postgres/). The core and the reports
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
#include "core/participant.h"
#include "core/plan.h"
#include "store/tables.h"
#include "util/error.h"

namespace stegvis::store {

enum class TransactionMode {
  kRead,   // A consistent snapshot; writes are refused by the backend or serialised.
  kWrite,  // Takes the write lock at once, so that what is read is what gets changed.
};

// The end of the audit chain after an append: the newest entry's number and hash.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
};

// Which enrolments of an intervention a list shows, newest start first.
enum class EnrolmentFilter { kOngoing, kEnded, kAll };

struct EnrolmentQuery {
  std::string insats_id;
  EnrolmentFilter filter = EnrolmentFilter::kOngoing;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

struct EnrolmentPage {
  std::vector<core::Enrolment> enrolments;  // With measurements and follow-ups.
  std::size_t matching = 0;                 // Enrolments the filter selects, over all pages.
  std::size_t ongoing = 0;                  // Ongoing enrolments of the intervention.
  std::size_t total = 0;                    // All enrolments of the intervention.
};

// How many anonymous enrolments (no consent) an intervention has per kön and start year.
struct AnonymousCount {
  std::string insats_id;
  core::Kon kon = core::Kon::kKvinna;
  int year = 0;
  int count = 0;
};

// The repositories of one connection to the database. A service uses them only inside a
// transaction (store::UnitOfWork): what it reads and writes there, and the audit entries it
// appends, commit together or not at all. A method that writes several rows outside a
// transaction still writes them atomically.
class Store {
 public:
  virtual ~Store() = default;

  // ---- Transactions ----

  // Starts a transaction on this connection. kUnavailable with a clear message when the
  // database stays busy (another writer) past the backend's wait.
  virtual util::Status Begin(TransactionMode mode) = 0;
  virtual util::Status Commit() = 0;
  virtual void Rollback() = 0;

  // ---- Settings of the database itself (e.g. the key fingerprint) ----

  virtual util::Result<std::optional<std::string>> Setting(std::string_view name) = 0;
  virtual util::Status PutSetting(std::string_view name, std::string_view value) = 0;
  // True when the database holds anything a user put there: a förbund, an account or an
  // audit entry.
  virtual util::Result<bool> HasData() = 0;

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

  // The enrolment with `id` in the förbund, with its measurements and follow-ups; nullopt
  // when there is none.
  virtual util::Result<std::optional<core::Enrolment>> LoadEnrolment(std::string_view forbund_id,
                                                                     std::int64_t id) = 0;

  // The person's enrolments in the intervention, ordered by id.
  virtual util::Result<std::vector<core::Enrolment>> FindEnrolments(std::string_view forbund_id,
                                                                    std::string_view person_key,
                                                                    std::string_view insats_id) = 0;

  // The enrolments of the förbund in the interventions `insats_ids` that are ongoing or
  // ended on or after `exited_since`, ordered by id: those that can still ask for work.
  virtual util::Result<std::vector<core::Enrolment>> LoadActiveEnrolments(
      std::string_view forbund_id, const std::vector<std::string>& insats_ids,
      util::Date exited_since) = 0;

  // One page of an intervention's enrolments, newest start first (then highest id).
  virtual util::Result<EnrolmentPage> ListEnrolments(std::string_view forbund_id,
                                                     const EnrolmentQuery& query) = 0;

  // The anonymous enrolments of the förbund that an import counts: ongoing, started on
  // 1 January, per intervention, kön and year.
  virtual util::Result<std::vector<AnonymousCount>> CountAnonymous(std::string_view forbund_id) = 0;

  // A number that changes whenever the förbund's plan or any of its enrolments changes, so
  // that a reader can keep what it computed until it does.
  virtual util::Result<std::int64_t> Revision(std::string_view forbund_id) = 0;

  // The ids of the förbund's enrolments changed (stored, replaced or removed) after
  // `revision`, in no particular order.
  virtual util::Result<std::vector<std::int64_t>> ChangedEnrolments(std::string_view forbund_id,
                                                                    std::int64_t revision) = 0;

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
  // entry before, then the hash from `hash_of`. Returns the new head of the chain.
  virtual util::Result<AuditHead> AppendAudit(
      std::vector<core::AuditEntry> entries,
      const std::function<std::string(const core::AuditEntry&)>& hash_of) = 0;
  // Entries with seq > `after`, in order, at most `limit`.
  virtual util::Result<std::vector<core::AuditEntry>> ListAudit(std::int64_t after,
                                                                std::size_t limit) = 0;
  // Sets every entry's previous_hash and hash anew with `hash_of`, in order: only for
  // moving a chain to a new hash (e.g. from unkeyed to keyed), never to change entries.
  virtual util::Result<AuditHead> RechainAudit(
      const std::function<std::string(const core::AuditEntry&)>& hash_of) = 0;

  // ---- Everything, as rows (stegvis copy) ----

  // Calls `each` with every row of `table` (one of CopiedTables()) in its key order, the
  // columns as the table lists them; stops at the first failure.
  virtual util::Status ExportRows(const Table& table,
                                  const std::function<util::Status(const Row&)>& each) = 0;
  // Inserts `rows` into `table` as they are, ids and hashes included; the backend's own
  // triggers keep the derived tables. kFailedPrecondition when a row breaks a constraint.
  virtual util::Status ImportRows(const Table& table, const std::vector<Row>& rows) = 0;
  // Every column of every table of the database's schema, as "table.column", sorted.
  virtual util::Result<std::vector<std::string>> SchemaColumns() = 0;
};

}  // namespace stegvis::store
