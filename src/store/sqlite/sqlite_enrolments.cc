// Enrolments with their measurements and follow-ups: targeted reads (one by id, a person's
// in an intervention, a page of an intervention) and small writes of one enrolment at a time.
#include <algorithm>
#include <map>

#include <sqlite3.h>

#include <fmt/format.h>

#include "store/enrolment_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_values.h"

namespace stegvis::store::sqlite {

namespace {

using util::Result;
using util::Status;

Result<core::Enrolment> ReadEnrolment(const Statement& query) {
  return ReadEnrolmentRow(query, "sqlite");
}

Result<std::vector<core::Enrolment>> ReadEnrolments(Statement& query) {
  std::vector<core::Enrolment> enrolments;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(core::Enrolment enrolment, ReadEnrolment(query));
    enrolments.push_back(std::move(enrolment));
    return util::Ok();
  }));
  return enrolments;
}

Status ReadMeasurement(const Statement& query, core::Enrolment& enrolment) {
  return ReadMeasurementRow(query, enrolment, "sqlite");
}

Status ReadFollowUp(const Statement& query, core::Enrolment& enrolment) {
  return ReadFollowUpRow(query, enrolment, "sqlite");
}

}  // namespace

// Fills in the measurements and follow-ups of a few enrolments, one indexed lookup each.
Status SqliteStore::AttachDetails(std::vector<core::Enrolment>& enrolments) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measurements,
      connection_.Prepare("SELECT enrolment_id, date, measure, value FROM measurement "
                          "WHERE enrolment_id = ? ORDER BY position"));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement follow_ups,
      connection_.Prepare("SELECT enrolment_id, date, months, status FROM follow_up "
                          "WHERE enrolment_id = ? ORDER BY position"));
  for (core::Enrolment& enrolment : enrolments) {
    measurements.Bind(1, enrolment.id);
    STEGVIS_TRY(EachRow(measurements, [&] { return ReadMeasurement(measurements, enrolment); }));
    measurements.Reset();
    follow_ups.Bind(1, enrolment.id);
    STEGVIS_TRY(EachRow(follow_ups, [&] { return ReadFollowUp(follow_ups, enrolment); }));
    follow_ups.Reset();
  }
  return util::Ok();
}

// Fills in the measurements and follow-ups of many enrolments of one förbund (ordered by
// id): one pass over the förbund's rows in key order, walked beside the enrolments; those of
// enrolments not in the list are skipped.
Status SqliteStore::AttachAllDetails(std::string_view forbund_id,
                                     std::vector<core::Enrolment>& enrolments) {
  auto walk = [&](Statement& query, Status (*read)(const Statement&, core::Enrolment&)) -> Status {
    query.Bind(1, forbund_id);
    std::size_t at = 0;
    while (true) {
      STEGVIS_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      const std::int64_t id = query.Int(0);
      while (at < enrolments.size() && enrolments[at].id < id) ++at;
      if (at == enrolments.size()) break;
      if (enrolments[at].id == id) STEGVIS_TRY(read(query, enrolments[at]));
    }
    return util::Ok();
  };
  // The subquery keeps the rows in the table's key order: no sorting.
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measurements,
      connection_.Prepare("SELECT enrolment_id, date, measure, value FROM measurement WHERE "
                          "enrolment_id IN (SELECT id FROM enrolment WHERE forbund_id = ?) "
                          "ORDER BY enrolment_id, position"));
  STEGVIS_TRY(walk(measurements, &ReadMeasurement));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement follow_ups,
      connection_.Prepare("SELECT enrolment_id, date, months, status FROM follow_up WHERE "
                          "enrolment_id IN (SELECT id FROM enrolment WHERE forbund_id = ?) "
                          "ORDER BY enrolment_id, position"));
  return walk(follow_ups, &ReadFollowUp);
}

Result<std::vector<core::Enrolment>> SqliteStore::LoadEnrolments(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(fmt::format(
                           "SELECT {} FROM enrolment WHERE forbund_id = ?", kEnrolmentColumns)));
  query.Bind(1, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> enrolments, ReadEnrolments(query));
  // Sorted here: cheaper than SQLite's sorter for a whole förbund.
  std::sort(enrolments.begin(), enrolments.end(),
            [](const core::Enrolment& a, const core::Enrolment& b) { return a.id < b.id; });
  STEGVIS_TRY(AttachAllDetails(forbund_id, enrolments));
  return enrolments;
}

Result<std::vector<core::Enrolment>> SqliteStore::LoadActiveEnrolments(
    std::string_view forbund_id, const std::vector<std::string>& insats_ids,
    util::Date exited_since) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE forbund_id = ? AND "
                                      "insats_id = ? AND (exit_date IS NULL OR exit_date >= ?)",
                                      kEnrolmentColumns)));
  std::vector<core::Enrolment> enrolments;
  for (const std::string& insats_id : insats_ids) {
    query.Bind(1, forbund_id).Bind(2, insats_id);
    query.Bind(3, exited_since.ToString());
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> some, ReadEnrolments(query));
    query.Reset();
    for (core::Enrolment& enrolment : some) enrolments.push_back(std::move(enrolment));
  }
  std::sort(enrolments.begin(), enrolments.end(),
            [](const core::Enrolment& a, const core::Enrolment& b) { return a.id < b.id; });
  // A few: one lookup each; many: one pass over the förbund's rows.
  if (enrolments.size() <= 256) {
    STEGVIS_TRY(AttachDetails(enrolments));
  } else {
    STEGVIS_TRY(AttachAllDetails(forbund_id, enrolments));
  }
  return enrolments;
}

Result<std::optional<core::Enrolment>> SqliteStore::LoadEnrolment(std::string_view forbund_id,
                                                                  std::int64_t id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE id = ? AND forbund_id = ?",
                                      kEnrolmentColumns)));
  query.Bind(1, id).Bind(2, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> found, ReadEnrolments(query));
  if (found.empty()) return std::optional<core::Enrolment>();
  STEGVIS_TRY(AttachDetails(found));
  return std::optional<core::Enrolment>(std::move(found.front()));
}

Result<std::vector<core::Enrolment>> SqliteStore::FindEnrolments(std::string_view forbund_id,
                                                                 std::string_view person_key,
                                                                 std::string_view insats_id) {
  STEGVIS_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(fmt::format(
                                                "SELECT {} FROM enrolment WHERE forbund_id = ? AND "
                                                "person_key = ? AND insats_id = ? ORDER BY id",
                                                kEnrolmentColumns)));
  query.Bind(1, forbund_id).Bind(2, person_key).Bind(3, insats_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> found, ReadEnrolments(query));
  STEGVIS_TRY(AttachDetails(found));
  return found;
}

Result<EnrolmentPage> SqliteStore::ListEnrolments(std::string_view forbund_id,
                                                  const EnrolmentQuery& request) {
  EnrolmentPage page;
  STEGVIS_ASSIGN_OR_RETURN(
      Statement tally,
      connection_.Prepare("SELECT enrolments, ongoing FROM insats_tally WHERE forbund_id = ? AND "
                          "insats_id = ?"));
  tally.Bind(1, forbund_id).Bind(2, request.insats_id);
  STEGVIS_ASSIGN_OR_RETURN(bool counted, tally.Step());
  if (counted) {
    page.total = static_cast<std::size_t>(tally.Int(0));
    page.ongoing = static_cast<std::size_t>(tally.Int(1));
  }
  page.matching = request.filter == EnrolmentFilter::kAll       ? page.total
                  : request.filter == EnrolmentFilter::kOngoing ? page.ongoing
                                                                : page.total - page.ongoing;
  const std::string_view filter = request.filter == EnrolmentFilter::kAll ? ""
                                  : request.filter == EnrolmentFilter::kOngoing
                                      ? " AND exit_date IS NULL"
                                      : " AND exit_date IS NOT NULL";
  STEGVIS_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(fmt::format(
                                                "SELECT {} FROM enrolment WHERE forbund_id = ? AND "
                                                "insats_id = ?{} ORDER BY start_date DESC, id DESC "
                                                "LIMIT ? OFFSET ?",
                                                kEnrolmentColumns, filter)));
  query.Bind(1, forbund_id)
      .Bind(2, request.insats_id)
      .Bind(3, static_cast<std::int64_t>(request.limit))
      .Bind(4, static_cast<std::int64_t>(request.offset));
  STEGVIS_ASSIGN_OR_RETURN(page.enrolments, ReadEnrolments(query));
  STEGVIS_TRY(AttachDetails(page.enrolments));
  return page;
}

Result<std::vector<AnonymousCount>> SqliteStore::CountAnonymous(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT insats_id, kon, substr(start_date, 1, 4), count(*) FROM "
                          "enrolment WHERE forbund_id = ? AND anonymous = 1 AND exit_date IS "
                          "NULL AND substr(start_date, 6) = '01-01' GROUP BY 1, 2, 3"));
  query.Bind(1, forbund_id);
  std::vector<AnonymousCount> counts;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(core::Kon kon, Decode(core::ParseKon(query.Text(1)), "enrolment.kon"));
    counts.push_back(AnonymousCount{query.Text(0), kon, std::stoi(query.Text(2)),
                                    static_cast<int>(query.Int(3))});
    return util::Ok();
  }));
  return counts;
}

Result<std::vector<std::int64_t>> SqliteStore::ChangedEnrolments(std::string_view forbund_id,
                                                                 std::int64_t revision) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT DISTINCT enrolment_id FROM enrolment_change WHERE forbund_id = ? "
                          "AND revision > ?"));
  query.Bind(1, forbund_id).Bind(2, revision);
  std::vector<std::int64_t> ids;
  STEGVIS_TRY(EachRow(query, [&] {
    ids.push_back(query.Int(0));
    return util::Ok();
  }));
  return ids;
}

Result<std::vector<std::int64_t>> SqliteStore::SaveEnrolments(
    std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) {
  std::vector<std::int64_t> ids;
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    for (const core::Enrolment& enrolment : enrolments) {
      STEGVIS_ASSIGN_OR_RETURN(std::int64_t id, WriteEnrolment(forbund_id, enrolment));
      ids.push_back(id);
    }
    return util::Ok();
  }));
  return ids;
}

Result<std::int64_t> SqliteStore::WriteEnrolment(std::string_view forbund_id,
                                                 const core::Enrolment& enrolment) {
  std::int64_t id = enrolment.id;
  if (id != 0) {
    STEGVIS_ASSIGN_OR_RETURN(
        Statement remove,
        connection_.Prepare("DELETE FROM enrolment WHERE id = ? AND forbund_id = ?"));
    STEGVIS_TRY(remove.Bind(1, id).Bind(2, forbund_id).Run());
    if (sqlite3_changes(connection_.handle()) != 1) {
      return util::Fail(util::Code::kNotFound, "deltagare",
                        fmt::format("inskrivning {} finns inte", id),
                        fmt::format("enrolment {} does not exist", id));
    }
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO enrolment (id, forbund_id, insats_id, person_key, kon, "
                          "birth_year, kommun, anonymous, start_date, remittent, income_at_start, "
                          "exit_date, exit_reason, income_at_exit) VALUES "
                          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (id != 0) {
    insert.Bind(1, id);
  } else {
    insert.BindNull(1);
  }
  insert.Bind(2, forbund_id)
      .Bind(3, enrolment.insats_id)
      .Bind(4, enrolment.person_key)
      .Bind(5, core::KonCode(enrolment.kon))
      .Bind(6, Widen(enrolment.birth_year))
      .Bind(7, enrolment.kommun)
      .Bind(8, std::int64_t{enrolment.anonymous ? 1 : 0})
      .Bind(9, enrolment.start.ToString())
      .Bind(10, enrolment.remittent
                    ? std::optional<std::string>(core::RemittentCode(*enrolment.remittent))
                    : std::nullopt)
      .Bind(11, JoinCodes(enrolment.income_at_start, &core::ForsorjningCode));
  if (enrolment.exit) {
    insert.Bind(12, enrolment.exit->date.ToString())
        .Bind(13, core::ExitReasonCode(enrolment.exit->reason))
        .Bind(14, JoinCodes(enrolment.exit->income, &core::ForsorjningCode));
  } else {
    insert.BindNull(12).BindNull(13).Bind(14, std::string_view());
  }
  if (auto inserted = insert.Run(); !inserted) {
    // A broken rule is named for what it means, never with the database's own text.
    switch (sqlite3_extended_errcode(connection_.handle())) {
      case SQLITE_CONSTRAINT_UNIQUE:  // The unique index on open enrolments.
        return util::Fail(util::Code::kFailedPrecondition, "startdatum",
                          "deltagaren har redan en pågående inskrivning i insatsen",
                          "the participant already has an ongoing enrolment in the intervention");
      case SQLITE_CONSTRAINT_FOREIGNKEY:
        return util::Fail(
            util::Code::kFailedPrecondition, "insats",
            fmt::format("insatsen \"{}\" finns inte i förbundets plan", enrolment.insats_id),
            fmt::format("intervention \"{}\" is not in the förbund's plan", enrolment.insats_id));
      case SQLITE_CONSTRAINT_CHECK:
        return util::Fail(util::Code::kFailedPrecondition, "deltagare",
                          "en anonym inskrivning kan inte ha person, födelseår eller kommun, och "
                          "slutdatum och avslutsorsak anges tillsammans",
                          "an anonymous enrolment has no person, birth year or kommun, and exit "
                          "date and reason go together");
      default:
        return util::Fail(inserted.error());
    }
  }
  if (id == 0) id = sqlite3_last_insert_rowid(connection_.handle());

  STEGVIS_ASSIGN_OR_RETURN(
      Statement measurement,
      connection_.Prepare("INSERT INTO measurement (enrolment_id, position, date, measure, value) "
                          "VALUES (?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < enrolment.measurements.size(); ++i) {
    const core::Measurement& item = enrolment.measurements[i];
    STEGVIS_TRY(measurement.Bind(1, id)
                    .Bind(2, static_cast<std::int64_t>(i))
                    .Bind(3, item.date.ToString())
                    .Bind(4, item.measure)
                    .Bind(5, static_cast<std::int64_t>(item.value))
                    .Run());
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement follow_up,
      connection_.Prepare("INSERT INTO follow_up (enrolment_id, position, date, months, status) "
                          "VALUES (?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < enrolment.follow_ups.size(); ++i) {
    const core::FollowUp& item = enrolment.follow_ups[i];
    STEGVIS_TRY(follow_up.Bind(1, id)
                    .Bind(2, static_cast<std::int64_t>(i))
                    .Bind(3, item.date.ToString())
                    .Bind(4, static_cast<std::int64_t>(item.months))
                    .Bind(5, core::SysselsattningCode(item.status))
                    .Run());
  }
  return id;
}

}  // namespace stegvis::store::sqlite
