// PostgresStore: enrolments with their measurements and follow-ups: targeted reads (one by id,
// a person's in an intervention, a page of an intervention) and writes of many enrolments in
// a few statements. The details of a list of enrolments come and go in one query per kind,
// never one per enrolment.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "store/enrolment_rows.h"
#include "store/postgres/pg_values.h"
#include "store/postgres/postgres_store.h"

namespace stegvis::store::postgres {

namespace {

using util::Result;
using util::Status;

Result<core::Enrolment> ReadEnrolment(const Statement& query) {
  return ReadEnrolmentRow(query, "postgresql");
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
  return ReadMeasurementRow(query, enrolment, "postgresql");
}

Status ReadFollowUp(const Statement& query, core::Enrolment& enrolment) {
  return ReadFollowUpRow(query, enrolment, "postgresql");
}

}  // namespace

// Reads the rows of `measurements` and `follow_ups` (enrolment_id first, in key order) into
// the enrolments they belong to; rows of enrolments not in the list are skipped.
Status PostgresStore::ReadDetails(Statement& measurements, Statement& follow_ups,
                                  std::vector<core::Enrolment>& enrolments) {
  std::unordered_map<std::int64_t, core::Enrolment*> by_id;
  by_id.reserve(enrolments.size());
  for (core::Enrolment& enrolment : enrolments) by_id.emplace(enrolment.id, &enrolment);
  auto read = [&](Statement& query, Status (*read_row)(const Statement&, core::Enrolment&)) {
    return EachRow(query, [&]() -> Status {
      const auto found = by_id.find(query.Int(0));
      return found == by_id.end() ? util::Ok() : read_row(query, *found->second);
    });
  };
  STEGVIS_TRY(read(measurements, &ReadMeasurement));
  return read(follow_ups, &ReadFollowUp);
}

// Fills in the measurements and follow-ups of some enrolments: one indexed query for each
// kind of row, whatever the number of enrolments.
Status PostgresStore::AttachDetails(std::vector<core::Enrolment>& enrolments) {
  if (enrolments.empty()) return util::Ok();
  std::vector<std::int64_t> ids;
  ids.reserve(enrolments.size());
  for (const core::Enrolment& enrolment : enrolments) ids.push_back(enrolment.id);
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measurements,
      connection_.Prepare(
          "SELECT enrolment_id, date, measure, value FROM measurement "
          "WHERE enrolment_id = ANY($1::bigint[]) ORDER BY enrolment_id, position"));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement follow_ups,
      connection_.Prepare(
          "SELECT enrolment_id, date, months, status FROM follow_up "
          "WHERE enrolment_id = ANY($1::bigint[]) ORDER BY enrolment_id, position"));
  measurements.BindArray(1, ids);
  follow_ups.BindArray(1, ids);
  return ReadDetails(measurements, follow_ups, enrolments);
}

// Fills in the measurements and follow-ups of every enrolment of one förbund: one pass over
// the förbund's rows, without sending its ids.
Status PostgresStore::AttachAllDetails(std::string_view forbund_id,
                                       std::vector<core::Enrolment>& enrolments) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measurements,
      connection_.Prepare("SELECT enrolment_id, date, measure, value FROM measurement WHERE "
                          "enrolment_id IN (SELECT id FROM enrolment WHERE forbund_id = $1) "
                          "ORDER BY enrolment_id, position"));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement follow_ups,
      connection_.Prepare("SELECT enrolment_id, date, months, status FROM follow_up WHERE "
                          "enrolment_id IN (SELECT id FROM enrolment WHERE forbund_id = $1) "
                          "ORDER BY enrolment_id, position"));
  measurements.Bind(1, forbund_id);
  follow_ups.Bind(1, forbund_id);
  return ReadDetails(measurements, follow_ups, enrolments);
}

Result<std::vector<core::Enrolment>> PostgresStore::LoadEnrolments(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE forbund_id = $1 ORDER BY id",
                                      kEnrolmentColumns)));
  query.Bind(1, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> enrolments, ReadEnrolments(query));
  STEGVIS_TRY(AttachAllDetails(forbund_id, enrolments));
  return enrolments;
}

Result<std::vector<core::Enrolment>> PostgresStore::LoadActiveEnrolments(
    std::string_view forbund_id, const std::vector<std::string>& insats_ids,
    util::Date exited_since) {
  if (insats_ids.empty()) return std::vector<core::Enrolment>();
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE forbund_id = $1 AND "
                                      "insats_id = ANY($2::text[]) AND (exit_date IS NULL OR "
                                      "exit_date >= $3) ORDER BY id",
                                      kEnrolmentColumns)));
  query.Bind(1, forbund_id).BindArray(2, insats_ids).Bind(3, exited_since.ToString());
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> enrolments, ReadEnrolments(query));
  STEGVIS_TRY(AttachDetails(enrolments));
  return enrolments;
}

Result<std::optional<core::Enrolment>> PostgresStore::LoadEnrolment(std::string_view forbund_id,
                                                                    std::int64_t id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE id = $1 AND forbund_id = $2",
                                      kEnrolmentColumns)));
  query.Bind(1, id).Bind(2, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> found, ReadEnrolments(query));
  if (found.empty()) return std::optional<core::Enrolment>();
  STEGVIS_TRY(AttachDetails(found));
  return std::optional<core::Enrolment>(std::move(found.front()));
}

Result<std::vector<core::Enrolment>> PostgresStore::FindEnrolments(std::string_view forbund_id,
                                                                   std::string_view person_key,
                                                                   std::string_view insats_id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE forbund_id = $1 AND "
                                      "person_key = $2 AND insats_id = $3 ORDER BY id",
                                      kEnrolmentColumns)));
  query.Bind(1, forbund_id).Bind(2, person_key).Bind(3, insats_id);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> found, ReadEnrolments(query));
  STEGVIS_TRY(AttachDetails(found));
  return found;
}

Result<EnrolmentPage> PostgresStore::ListEnrolments(std::string_view forbund_id,
                                                    const EnrolmentQuery& request) {
  EnrolmentPage page;
  STEGVIS_ASSIGN_OR_RETURN(
      Statement tally,
      connection_.Prepare("SELECT enrolments, ongoing FROM insats_tally WHERE forbund_id = $1 AND "
                          "insats_id = $2"));
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
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM enrolment WHERE forbund_id = $1 AND "
                                      "insats_id = $2{} ORDER BY start_date DESC, id DESC "
                                      "LIMIT $3 OFFSET $4",
                                      kEnrolmentColumns, filter)));
  query.Bind(1, forbund_id)
      .Bind(2, request.insats_id)
      .Bind(3, static_cast<std::int64_t>(request.limit))
      .Bind(4, static_cast<std::int64_t>(request.offset));
  STEGVIS_ASSIGN_OR_RETURN(page.enrolments, ReadEnrolments(query));
  STEGVIS_TRY(AttachDetails(page.enrolments));
  return page;
}

Result<std::vector<AnonymousCount>> PostgresStore::CountAnonymous(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT insats_id, kon, substr(start_date, 1, 4), count(*) FROM "
                          "enrolment WHERE forbund_id = $1 AND anonymous = 1 AND exit_date IS "
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

Result<std::vector<std::int64_t>> PostgresStore::ChangedEnrolments(std::string_view forbund_id,
                                                                   std::int64_t revision) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(
          "SELECT DISTINCT enrolment_id FROM enrolment_change WHERE forbund_id = $1 "
          "AND revision > $2"));
  query.Bind(1, forbund_id).Bind(2, revision);
  std::vector<std::int64_t> ids;
  STEGVIS_TRY(EachRow(query, [&] {
    ids.push_back(query.Int(0));
    return util::Ok();
  }));
  return ids;
}

namespace {

// The measurements and follow-ups of the enrolments one SaveEnrolments writes, as columns:
// each kind goes to the database in one statement, not one per row.
struct Details {
  std::vector<std::int64_t> measurement_enrolment, measurement_position, measurement_value;
  std::vector<std::string> measurement_date, measurement_measure;
  std::vector<std::int64_t> follow_up_enrolment, follow_up_position, follow_up_months;
  std::vector<std::string> follow_up_date, follow_up_status;

  std::unordered_set<std::int64_t> ids;

  void Add(std::int64_t id, const core::Enrolment& enrolment) {
    // An enrolment replaced twice in one call keeps the details of the last replacement only,
    // as when each is written at once.
    if (!ids.insert(id).second) Forget(id);
    for (std::size_t i = 0; i < enrolment.measurements.size(); ++i) {
      const core::Measurement& item = enrolment.measurements[i];
      measurement_enrolment.push_back(id);
      measurement_position.push_back(static_cast<std::int64_t>(i));
      measurement_date.push_back(item.date.ToString());
      measurement_measure.push_back(item.measure);
      measurement_value.push_back(item.value);
    }
    for (std::size_t i = 0; i < enrolment.follow_ups.size(); ++i) {
      const core::FollowUp& item = enrolment.follow_ups[i];
      follow_up_enrolment.push_back(id);
      follow_up_position.push_back(static_cast<std::int64_t>(i));
      follow_up_date.push_back(item.date.ToString());
      follow_up_months.push_back(item.months);
      follow_up_status.emplace_back(core::SysselsattningCode(item.status));
    }
  }

  void Forget(std::int64_t id) {
    Details kept;
    for (std::size_t i = 0; i < measurement_enrolment.size(); ++i) {
      if (measurement_enrolment[i] == id) continue;
      kept.measurement_enrolment.push_back(measurement_enrolment[i]);
      kept.measurement_position.push_back(measurement_position[i]);
      kept.measurement_date.push_back(measurement_date[i]);
      kept.measurement_measure.push_back(measurement_measure[i]);
      kept.measurement_value.push_back(measurement_value[i]);
    }
    for (std::size_t i = 0; i < follow_up_enrolment.size(); ++i) {
      if (follow_up_enrolment[i] == id) continue;
      kept.follow_up_enrolment.push_back(follow_up_enrolment[i]);
      kept.follow_up_position.push_back(follow_up_position[i]);
      kept.follow_up_date.push_back(follow_up_date[i]);
      kept.follow_up_months.push_back(follow_up_months[i]);
      kept.follow_up_status.push_back(follow_up_status[i]);
    }
    kept.ids = std::move(ids);
    *this = std::move(kept);
  }
};

}  // namespace

Result<std::vector<std::int64_t>> PostgresStore::SaveEnrolments(
    std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) {
  std::vector<std::int64_t> ids;
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(ids, WriteEnrolments(forbund_id, enrolments));
    Details details;
    // An enrolment given twice is stored as its last version (as replacing it twice would).
    std::unordered_map<std::int64_t, std::size_t> last;
    for (std::size_t i = 0; i < ids.size(); ++i) last[ids[i]] = i;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (last[ids[i]] == i) details.Add(ids[i], enrolments[i]);
    }
    if (!details.measurement_enrolment.empty()) {
      STEGVIS_ASSIGN_OR_RETURN(
          Statement insert,
          connection_.Prepare("INSERT INTO measurement (enrolment_id, position, date, measure, "
                              "value) SELECT * FROM unnest($1::bigint[], $2::bigint[], "
                              "$3::text[], $4::text[], $5::bigint[])"));
      STEGVIS_TRY(insert.BindArray(1, details.measurement_enrolment)
                      .BindArray(2, details.measurement_position)
                      .BindArray(3, details.measurement_date)
                      .BindArray(4, details.measurement_measure)
                      .BindArray(5, details.measurement_value)
                      .Run());
    }
    if (!details.follow_up_enrolment.empty()) {
      STEGVIS_ASSIGN_OR_RETURN(
          Statement insert,
          connection_.Prepare("INSERT INTO follow_up (enrolment_id, position, date, months, "
                              "status) SELECT * FROM unnest($1::bigint[], $2::bigint[], "
                              "$3::text[], $4::bigint[], $5::text[])"));
      STEGVIS_TRY(insert.BindArray(1, details.follow_up_enrolment)
                      .BindArray(2, details.follow_up_position)
                      .BindArray(3, details.follow_up_date)
                      .BindArray(4, details.follow_up_months)
                      .BindArray(5, details.follow_up_status)
                      .Run());
    }
    return util::Ok();
  }));
  return ids;
}

// Writes the enrolments' own rows in three statements whatever their number (their
// measurements and follow-ups are SaveEnrolments's): the replaced ones are deleted (their
// details go with them), the new ones take ids from the sequence, and every row is inserted
// at once, so that the tally triggers run once per statement rather than once per row.
Result<std::vector<std::int64_t>> PostgresStore::WriteEnrolments(
    std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> replaced;
  std::size_t fresh = 0;
  for (const core::Enrolment& enrolment : enrolments) {
    ids.push_back(enrolment.id);
    if (enrolment.id != 0) {
      replaced.push_back(enrolment.id);
    } else {
      ++fresh;
    }
  }
  std::sort(replaced.begin(), replaced.end());
  replaced.erase(std::unique(replaced.begin(), replaced.end()), replaced.end());
  if (!replaced.empty()) {
    STEGVIS_ASSIGN_OR_RETURN(
        Statement remove,
        connection_.Prepare(
            "DELETE FROM enrolment WHERE forbund_id = $1 AND id = ANY($2::bigint[]) "
            "RETURNING id"));
    remove.Bind(1, forbund_id).BindArray(2, replaced);
    std::vector<std::int64_t> removed;
    STEGVIS_TRY(EachRow(remove, [&]() -> Status {
      removed.push_back(remove.Int(0));
      return util::Ok();
    }));
    std::sort(removed.begin(), removed.end());
    for (const std::int64_t id : ids) {
      if (id != 0 && !std::binary_search(removed.begin(), removed.end(), id)) {
        return util::Fail(util::Code::kNotFound, "deltagare",
                          fmt::format("inskrivning {} finns inte", id),
                          fmt::format("enrolment {} does not exist", id));
      }
    }
  }
  if (fresh > 0) {
    STEGVIS_ASSIGN_OR_RETURN(
        Statement next,
        connection_.Prepare("SELECT nextval(pg_get_serial_sequence('enrolment', 'id')) "
                            "FROM generate_series(1, $1::bigint)"));
    next.Bind(1, static_cast<std::int64_t>(fresh));
    auto id = ids.begin();
    STEGVIS_TRY(EachRow(next, [&]() -> Status {
      id = std::find(id, ids.end(), 0);
      *id = next.Int(0);
      return util::Ok();
    }));
  }

  // The columns of every row to insert: the last version of each enrolment.
  std::unordered_map<std::int64_t, std::size_t> last;
  for (std::size_t i = 0; i < ids.size(); ++i) last[ids[i]] = i;
  std::vector<std::int64_t> id_column, anonymous;
  std::vector<std::string> insats, kon, start, income_at_start, income_at_exit;
  std::vector<std::optional<std::string>> person, kommun, remittent, exit_date, exit_reason;
  std::vector<std::optional<std::int64_t>> birth_year;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (last[ids[i]] != i) continue;
    const core::Enrolment& enrolment = enrolments[i];
    id_column.push_back(ids[i]);
    insats.push_back(enrolment.insats_id);
    person.push_back(enrolment.person_key);
    kon.emplace_back(core::KonCode(enrolment.kon));
    birth_year.push_back(Widen(enrolment.birth_year));
    kommun.push_back(enrolment.kommun);
    anonymous.push_back(enrolment.anonymous ? 1 : 0);
    start.push_back(enrolment.start.ToString());
    remittent.push_back(enrolment.remittent
                            ? std::optional<std::string>(core::RemittentCode(*enrolment.remittent))
                            : std::nullopt);
    income_at_start.push_back(JoinCodes(enrolment.income_at_start, &core::ForsorjningCode));
    exit_date.push_back(enrolment.exit ? std::optional<std::string>(enrolment.exit->date.ToString())
                                       : std::nullopt);
    exit_reason.push_back(
        enrolment.exit ? std::optional<std::string>(core::ExitReasonCode(enrolment.exit->reason))
                       : std::nullopt);
    income_at_exit.push_back(
        enrolment.exit ? JoinCodes(enrolment.exit->income, &core::ForsorjningCode) : "");
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO enrolment (id, forbund_id, insats_id, person_key, kon, birth_year, kommun, "
          "anonymous, start_date, remittent, income_at_start, exit_date, exit_reason, "
          "income_at_exit) SELECT id, $1, insats_id, person_key, kon, birth_year, kommun, "
          "anonymous, start_date, remittent, income_at_start, exit_date, exit_reason, "
          "income_at_exit FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], "
          "$6::bigint[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], "
          "$12::text[], $13::text[], $14::text[]) AS r (id, insats_id, person_key, kon, "
          "birth_year, kommun, anonymous, start_date, remittent, income_at_start, exit_date, "
          "exit_reason, income_at_exit)"));
  insert.Bind(1, forbund_id)
      .BindArray(2, id_column)
      .BindArray(3, insats)
      .BindArray(4, person)
      .BindArray(5, kon)
      .BindArray(6, birth_year)
      .BindArray(7, kommun)
      .BindArray(8, anonymous)
      .BindArray(9, start)
      .BindArray(10, remittent)
      .BindArray(11, income_at_start)
      .BindArray(12, exit_date)
      .BindArray(13, exit_reason)
      .BindArray(14, income_at_exit);
  if (auto inserted = insert.Run(); !inserted) {
    // A broken rule is named for what it means, never with the database's own text.
    const std::string& sqlstate = connection_.LastSqlState();
    if (sqlstate == "23505") {  // The unique index on open enrolments.
      return util::Fail(util::Code::kFailedPrecondition, "startdatum",
                        "deltagaren har redan en pågående inskrivning i insatsen",
                        "the participant already has an ongoing enrolment in the intervention");
    }
    if (sqlstate == "23503") {
      return util::Fail(util::Code::kFailedPrecondition, "insats",
                        "insatsen finns inte i förbundets plan",
                        "the intervention is not in the förbund's plan");
    }
    if (sqlstate == "23514") {
      return util::Fail(util::Code::kFailedPrecondition, "deltagare",
                        "en anonym inskrivning kan inte ha person, födelseår eller kommun, och "
                        "slutdatum och avslutsorsak anges tillsammans",
                        "an anonymous enrolment has no person, birth year or kommun, and exit "
                        "date and reason go together");
    }
    return util::Fail(inserted.error());
  }
  return ids;
}

}  // namespace stegvis::store::postgres
