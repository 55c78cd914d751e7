// Use cases for participants: the three CSV imports (deltagare, matningar, uppfoljningar),
// the coach's forms (register, measure, exit, follow up) that read their fields with the same
// code as the imports, the coach's reads of records and open tasks, and withdrawal of
// consent. A personnummer or local code is turned into a pseudonym here, at the edge, and
// goes no further. Each import and each form is all or nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/participant.h"
#include "core/plan.h"
#include "core/tasks.h"

#include "privacy/pseudonymizer.h"
#include "service/access.h"
#include "service/audit_log.h"
#include "service/synthetic_forbund.h"
#include "store/unit_of_work.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::service {

struct ParticipantImportSummary {
  std::size_t rows = 0;
  std::size_t created = 0;  // New enrolments, measurements or follow-ups.
  std::size_t updated = 0;  // Existing ones changed by the file.
};

// The fields of a form or an API request, named as the columns of the CSV files (e.g.
// "startdatum", "forsorjning_start"). Several income codes are joined with '|' as in files.
using Fields = std::map<std::string, std::string, std::less<>>;

// What a coach sees of an intervention's records: never an identifier, not even the
// pseudonym (Enrolment::person_key is cleared), but whether a person is behind the record.
struct EnrolmentRecord {
  core::Enrolment enrolment;
  bool identified = false;  // False for an anonymous enrolment (no consent).
};

// One intervention's records for the coach, with the plan they are read against.
struct InsatsRecords {
  core::Plan plan;
  const core::Insats* insats = nullptr;  // Points into plan.
  std::vector<EnrolmentRecord> records;  // One page of them.
  std::size_t matching = 0;              // Records the filter selects, over all pages.
  std::size_t ongoing = 0;               // Ongoing enrolments of the intervention.
  std::size_t total = 0;                 // All enrolments of the intervention.
};

// Which page of an intervention's records to list, newest start first.
struct RecordQuery {
  store::EnrolmentFilter filter = store::EnrolmentFilter::kAll;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

// The most records one page lists.
inline constexpr std::size_t kMaxRecordsPerPage = 1000;

class ParticipantService {
 public:
  using Clock = std::function<util::Date()>;

  ParticipantService(store::StorePool& pool, const privacy::Pseudonymizer& pseudonyms,
                     const AuditLog& audit, Clock today)
      : pool_(pool), pseudonyms_(pseudonyms), audit_(audit), today_(std::move(today)) {}

  // Every import needs kWriteParticipants for each row's intervention (kPermissionDenied
  // naming the row otherwise) and records each changed enrolment in the audit log.

  // Imports deltagare.csv: one row per enrolment. A row for a person, intervention and start
  // date already stored updates that enrolment (e.g. adds the exit). Fails with
  // kInvalidArgument naming "FILE: rad N, kolumn C" and what was expected; nothing is stored
  // then. The identifier is never repeated in a message.
  util::Result<ParticipantImportSummary> ImportDeltagare(const Actor& actor,
                                                         std::string_view forbund_id,
                                                         std::string_view file_name,
                                                         std::string_view content);

  // Imports matningar.csv: measurements of enrolled persons. A measurement of the same
  // measure on the same date replaces the stored one.
  util::Result<ParticipantImportSummary> ImportMatningar(const Actor& actor,
                                                         std::string_view forbund_id,
                                                         std::string_view file_name,
                                                         std::string_view content);

  // Imports uppfoljningar.csv: follow-ups after exit, attached to the person's latest exit
  // from the intervention on or before the date. The same number of months replaces.
  util::Result<ParticipantImportSummary> ImportUppfoljningar(const Actor& actor,
                                                             std::string_view forbund_id,
                                                             std::string_view file_name,
                                                             std::string_view content);

  // ---- Forms and the API: one change at a time ----
  // Each needs kWriteParticipants for the intervention concerned, checks the fields with the
  // same readers and core rules as the imports, and fails with kInvalidArgument whose
  // location is the field's name (so a page can show the error beside it); nothing is stored
  // then. Each change is one store transaction and one audit entry.

  // Registers an enrolment from the fields of a deltagare.csv row (without exit fields the
  // enrolment is ongoing). Fails with kAlreadyExists (at "startdatum") when the person
  // already has this enrolment, and kInvalidArgument (at "startdatum") when it would overlap
  // another of the person's enrolments in the intervention. Returns the new enrolment's id.
  util::Result<std::int64_t> RegisterEnrolment(const Actor& actor, std::string_view forbund_id,
                                               const Fields& fields);

  // Adds a measurement (fields datum, matt, varde) to an enrolment; the same measure on the
  // same date replaces the stored value.
  util::Status AddMeasurement(const Actor& actor, std::string_view forbund_id,
                              std::int64_t enrolment_id, const Fields& fields);

  // Registers the exit of an ongoing enrolment (fields slutdatum, avslutsorsak, and
  // optionally forsorjning_slut and steg_slut). kFailedPrecondition when it has already
  // ended.
  util::Status RegisterExit(const Actor& actor, std::string_view forbund_id,
                            std::int64_t enrolment_id, const Fields& fields);

  // Registers a follow-up after exit (fields datum, manader, sysselsattning); the same number
  // of months replaces the stored follow-up.
  util::Status RegisterFollowUp(const Actor& actor, std::string_view forbund_id,
                                std::int64_t enrolment_id, const Fields& fields);

  // ---- Reads of records, each recorded in the audit log ----

  // One page of the records of one intervention (at most kMaxRecordsPerPage); needs
  // kReadParticipants for it.
  util::Result<InsatsRecords> ListRecords(const Actor& actor, std::string_view forbund_id,
                                          std::string_view insats_id, const RecordQuery& query);

  // One enrolment with the plan it is read against; needs kReadParticipants for its
  // intervention. kPermissionDenied also when there is no such enrolment, so that ids of
  // other interventions cannot be probed.
  util::Result<InsatsRecords> Record(const Actor& actor, std::string_view forbund_id,
                                     std::int64_t enrolment_id);

  // The enrolments in the intervention of the person behind `identifier` (personnummer or
  // local code), newest first: how a coach finds a person again, since no list shows who
  // anyone is. kInvalidArgument (at "deltagare") for a malformed identifier.
  util::Result<std::vector<std::int64_t>> FindPerson(const Actor& actor,
                                                     std::string_view forbund_id,
                                                     std::string_view insats_id,
                                                     std::string_view identifier);

  // The open tasks in the interventions the actor may read records of (a coach's own);
  // empty for everyone else. Recorded in the audit log like every read of records.
  util::Result<std::vector<core::Task>> OpenTasks(const Actor& actor, std::string_view forbund_id);

  // True when the förbund has any enrolment; needs kViewPlan.
  util::Result<bool> HasEnrolments(const Actor& actor, std::string_view forbund_id);

  // Creates a synthetic förbund (SyntheticPlan) with options.deltagare generated enrolments
  // in one unit of work, with one audit entry; `progress(done)` is called after each batch.
  // Needs kEditPlan for the förbund; kAlreadyExists when a förbund with that id exists.
  util::Status CreateSyntheticForbund(const Actor& actor, const SyntheticOptions& options,
                                      const std::function<void(std::size_t done)>& progress);

  // Withdraws the consent of the person behind `identifier` in the förbund: every enrolment
  // loses its link to the person and all individual data (birth year, kommun, remittent,
  // income, measurements, follow-ups), keeping kön, intervention, start and exit so that the
  // counts remain. Returns how many enrolments were anonymised; kNotFound when none.
  util::Result<std::size_t> WithdrawConsent(const Actor& actor, std::string_view forbund_id,
                                            std::string_view identifier);

 private:
  template <typename Change>
  util::Status ChangeRecord(const Actor& actor, std::string_view forbund_id,
                            std::int64_t enrolment_id, const Fields& fields,
                            std::string_view action, Change change);

  store::StorePool& pool_;
  const privacy::Pseudonymizer& pseudonyms_;
  const AuditLog& audit_;
  Clock today_;
};

}  // namespace stegvis::service
