// The rules a plan must satisfy before it may be stored: unique and well-formed ids,
// references that resolve, years in range, amounts not negative, dates in order.
#pragma once

#include <string_view>

#include "core/plan.h"
#include "util/error.h"

namespace stegvis::core {

// Returns the first rule the plan breaks as kInvalidArgument, with a location in the plan
// file's own vocabulary (e.g. "$.budget[0].kostnader[3].insats"), or Ok.
util::Status ValidatePlan(const Plan& plan);

// True for ids of lower-case letters a-z, digits, '-' and '_', 1 to 64 characters,
// starting with a letter or digit.
bool IsValidId(std::string_view id);

}  // namespace stegvis::core
