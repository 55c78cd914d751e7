// The plan file, format "stegvis-plan/1": a förbund's organisation, interventions, budget,
// outcome and equity as JSON. A public contract, documented in docs/plan-format.md.
#pragma once

#include <string_view>

#include "core/plan.h"
#include "util/error.h"

namespace stegvis::formats {

inline constexpr std::string_view kPlanFormat = "stegvis-plan/1";

// Parses and validates a plan. Fails with kInvalidArgument whose location is the line and
// column of a JSON syntax error, or the JSON path of the offending value.
util::Result<core::Plan> ParsePlanJson(std::string_view text);

}  // namespace stegvis::formats
