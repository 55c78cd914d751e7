// The economy report as JSON (the documented contract), CSV (for spreadsheets) and text
// (for a terminal), in Swedish or English.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "report/economy.h"
#include "util/error.h"

namespace stegvis::exporting {

boost::json::object EconomyToJson(const report::EconomyReport& report,
                                  util::Language language = util::Language::kSwedish);
std::string EconomyToCsv(const report::EconomyReport& report,
                         util::Language language = util::Language::kSwedish);
std::string EconomyToText(const report::EconomyReport& report,
                          util::Language language = util::Language::kSwedish);

// A money amount as a JSON number in kronor: an integer when there are no öre.
boost::json::value KronorJson(util::Money money);
// Tenths of a percent as a JSON number with one decimal, or null.
boost::json::value PercentJson(const std::optional<std::int64_t>& permille);

}  // namespace stegvis::exporting
