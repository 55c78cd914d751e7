// The rules an enrolment must satisfy against the förbund's plan and the person's other
// enrolments. Pure; the imports and the forms both use them. Error locations are the field
// names of the file formats (e.g. "startdatum"), so the caller can add file and row.
#pragma once

#include <vector>

#include "core/participant.h"
#include "core/plan.h"
#include "util/error.h"

namespace stegvis::core {

// Checks one enrolment: an individual intervention of the plan; start within the
// intervention's dates; exit not before start; age at start within the intervention's range
// (by birth year); every measurement known, in range and inside the enrolment; follow-ups
// after the exit. An anonymous enrolment may hold nothing but kön, start year and
// intervention. Fails with kInvalidArgument.
util::Status CheckEnrolment(const Plan& plan, const Enrolment& enrolment);

// Checks that no two of one person's enrolments in one intervention overlap, so that at most
// one is open. `enrolments` are that person's enrolments in that intervention. Returns the
// index of the first enrolment (by start date) that conflicts with an earlier one, or -1.
int FindOverlap(const std::vector<const Enrolment*>& enrolments);

// The enrolment of `enrolments` that covers `date`, or nullptr.
const Enrolment* CoveringEnrolment(const std::vector<const Enrolment*>& enrolments, Date date);

// Age in whole years reached during the year of `date` (only the birth year is known).
inline int AgeInYear(int birth_year, Date date) { return date.year() - birth_year; }

}  // namespace stegvis::core
