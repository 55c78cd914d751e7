// The store interface: everything stegvis keeps, behind one abstract class with one
// implementation per backend (sqlite/ now, postgres/ to follow). The core and the reports
// know nothing of it; only the service layer calls it and only app/ names a backend.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

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
};

}  // namespace stegvis::store
