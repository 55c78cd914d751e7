// The columns of an enrolment, a measurement and a follow-up as every backend's tables hold
// them, and how a row of them is read back: one reading for both stores, over any statement
// type with Int, Text, OptionalInt and OptionalText by column.
#pragma once

#include <string_view>

#include "core/participant.h"
#include "store/values.h"
#include "util/error.h"

namespace stegvis::store {

inline constexpr std::string_view kEnrolmentColumns =
    "id, insats_id, person_key, kon, birth_year, kommun, anonymous, start_date, remittent, "
    "income_at_start, exit_date, exit_reason, income_at_exit";

// Reads the enrolment at the current row of a backend's statement (columns as
// kEnrolmentColumns); `backend` names the store in the error for a value it cannot read.
template <typename Row>
util::Result<core::Enrolment> ReadEnrolmentRow(const Row& query, std::string_view backend) {
  core::Enrolment enrolment;
  enrolment.id = query.Int(0);
  enrolment.insats_id = query.Text(1);
  enrolment.person_key = query.OptionalText(2);
  STEGVIS_ASSIGN_OR_RETURN(enrolment.kon,
                           DecodeIn(backend, core::ParseKon(query.Text(3)), "enrolment.kon"));
  enrolment.birth_year = Narrow(query.OptionalInt(4));
  enrolment.kommun = query.OptionalText(5);
  enrolment.anonymous = query.Int(6) != 0;
  STEGVIS_ASSIGN_OR_RETURN(
      enrolment.start, DecodeIn(backend, util::Date::Parse(query.Text(7)), "enrolment.start_date"));
  if (auto remittent = query.OptionalText(8)) {
    STEGVIS_ASSIGN_OR_RETURN(
        core::Remittent value,
        DecodeIn(backend, core::ParseRemittent(*remittent), "enrolment.remittent"));
    enrolment.remittent = value;
  }
  STEGVIS_ASSIGN_OR_RETURN(enrolment.income_at_start,
                           DecodeIn(backend, SplitCodes(query.Text(9), &core::ParseForsorjning),
                                    "enrolment.income_at_start"));
  if (auto exit_date = query.OptionalText(10)) {
    core::Exit exit;
    STEGVIS_ASSIGN_OR_RETURN(
        exit.date, DecodeIn(backend, util::Date::Parse(*exit_date), "enrolment.exit_date"));
    STEGVIS_ASSIGN_OR_RETURN(exit.reason, DecodeIn(backend, core::ParseExitReason(query.Text(11)),
                                                   "enrolment.exit_reason"));
    STEGVIS_ASSIGN_OR_RETURN(exit.income,
                             DecodeIn(backend, SplitCodes(query.Text(12), &core::ParseForsorjning),
                                      "enrolment.income_at_exit"));
    enrolment.exit = std::move(exit);
  }
  return enrolment;
}

// A measurement row: enrolment_id, date, measure, value.
template <typename Row>
util::Status ReadMeasurementRow(const Row& query, core::Enrolment& enrolment,
                                std::string_view backend) {
  STEGVIS_ASSIGN_OR_RETURN(util::Date date,
                           DecodeIn(backend, util::Date::Parse(query.Text(1)), "measurement.date"));
  enrolment.measurements.push_back(
      core::Measurement{date, query.Text(2), static_cast<int>(query.Int(3))});
  return util::Ok();
}

// A follow-up row: enrolment_id, date, months, status.
template <typename Row>
util::Status ReadFollowUpRow(const Row& query, core::Enrolment& enrolment,
                             std::string_view backend) {
  STEGVIS_ASSIGN_OR_RETURN(util::Date date,
                           DecodeIn(backend, util::Date::Parse(query.Text(1)), "follow_up.date"));
  STEGVIS_ASSIGN_OR_RETURN(
      core::Sysselsattning status,
      DecodeIn(backend, core::ParseSysselsattning(query.Text(3)), "follow_up.status"));
  enrolment.follow_ups.push_back(core::FollowUp{date, static_cast<int>(query.Int(2)), status});
  return util::Ok();
}

}  // namespace stegvis::store
