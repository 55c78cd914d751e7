// Use cases for participants: the three CSV imports (deltagare, matningar, uppfoljningar)
// and withdrawal of consent. A personnummer or local code is turned into a pseudonym here,
// at the edge, and goes no further. Each import is all or nothing.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "privacy/pseudonymizer.h"
#include "service/access.h"
#include "service/audit_log.h"
#include "store/store.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::service {

struct ParticipantImportSummary {
  std::size_t rows = 0;
  std::size_t created = 0;  // New enrolments, measurements or follow-ups.
  std::size_t updated = 0;  // Existing ones changed by the file.
};

class ParticipantService {
 public:
  using Clock = std::function<util::Date()>;

  ParticipantService(store::Store& store, const privacy::Pseudonymizer& pseudonyms, AuditLog& audit,
                     Clock today)
      : store_(store), pseudonyms_(pseudonyms), audit_(audit), today_(std::move(today)) {}

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

  // Withdraws the consent of the person behind `identifier` in the förbund: every enrolment
  // loses its link to the person and all individual data (birth year, kommun, remittent,
  // income, measurements, follow-ups), keeping kön, intervention, start and exit so that the
  // counts remain. Returns how many enrolments were anonymised; kNotFound when none.
  util::Result<std::size_t> WithdrawConsent(const Actor& actor, std::string_view forbund_id,
                                            std::string_view identifier);

 private:
  store::Store& store_;
  const privacy::Pseudonymizer& pseudonyms_;
  AuditLog& audit_;
  Clock today_;
};

}  // namespace stegvis::service
