// A synthetic förbund for load tests and demonstrations: Höglandet's demo plan under another
// id, and as many made-up participants as asked for. The data is deterministic (the same
// options and pseudonym key give exactly the same enrolments) and realistic enough for the
// reports: kön mix, ages in the target group, starts spread over the interventions' years,
// exits with a reason mix, ladder steps that drift upward, follow-ups after exit and about
// one enrolment in ten without consent. Persons are known only by local codes
// ("GEN-<seed>-000123") put through the pseudonymizer; no personnummer is ever made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/participant.h"
#include "core/plan.h"
#include "privacy/pseudonymizer.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::service {

struct SyntheticOptions {
  std::string forbund_id;
  std::size_t deltagare = 0;
  std::uint64_t seed = 1;
};

// The fixed "today" of the synthetic data, so that the output does not depend on the clock:
// no start, exit, measurement or follow-up lies after it. 2026-06-30.
util::Date SyntheticToday();

// The plan of a synthetic förbund: the demo plan of Höglandet (the embedded
// "hoglandet.json") with the förbund's id set to options.forbund_id and its name
// "Syntetiskt förbund <id>". The plan passes core::ValidatePlan. Fails with
// kInvalidArgument (location "$.forbund.id") when the id is not a valid id.
util::Result<core::Plan> SyntheticPlan(const SyntheticOptions& options);

// Generates options.deltagare enrolments (id 0, not stored yet) in the plan's individual
// interventions and hands them to `sink` in batches of at most `batch`, in a deterministic
// order; `done` is the number handed over so far, this batch included, and reaches
// options.deltagare with the last batch. Every enrolment passes core::CheckEnrolment against
// the plan, and no person's enrolments in one intervention overlap. The same options and
// pseudonym key give exactly the same enrolments, whatever the batch size. Nothing is handed
// over when options.deltagare is 0.
//
// Fails with kInvalidArgument when `batch` is 0, kFailedPrecondition when the plan has no
// individual intervention with room for a start before the plan's last budget year ends (or
// SyntheticToday()), and otherwise with the error of the first sink call that fails, after
// which the sink is not called again.
util::Status GenerateEnrolments(
    const core::Plan& plan, const SyntheticOptions& options,
    const privacy::Pseudonymizer& pseudonyms, std::size_t batch,
    const std::function<util::Status(std::vector<core::Enrolment>&& enrolments, std::size_t done)>&
        sink);

}  // namespace stegvis::service
