// The store interface: everything stegvis keeps, behind one abstract class with one
// implementation per backend (sqlite/ now, postgres/ to follow). The core and the reports
// know nothing of it; only the service layer calls it and only app/ names a backend.
#pragma once

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
};

}  // namespace stegvis::store
