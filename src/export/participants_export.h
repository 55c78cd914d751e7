// The participant reports as JSON (the documented contract, docs/reports.md), CSV and text.
// A suppressed count is JSON null, an empty CSV field and "·" in text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "export/table_text.h"
#include "report/participants.h"
#include "util/error.h"

namespace stegvis::exporting {

// Common header of every participant report.
struct ReportContext {
  std::string forbund_id;
  std::string forbund_name;
  util::Language language = util::Language::kSwedish;
};

boost::json::object DeltagareToJson(const report::DeltagareReport& report,
                                    const ReportContext& context);
boost::json::object StegToJson(const report::StegReport& report, const ReportContext& context);
boost::json::object UppfoljningToJson(const report::UppfoljningReport& report,
                                      const ReportContext& context);
boost::json::object MalToJson(const report::MalReport& report, const ReportContext& context);
boost::json::object SocioeconomicToJson(const report::SocioeconomicReport& report,
                                        const ReportContext& context);

// The same reports as a flat table (header and rows), for CSV and text.
TextTable DeltagareTable(const report::DeltagareReport& report, const ReportContext& context);
TextTable StegTable(const report::StegReport& report, const ReportContext& context);
TextTable UppfoljningTable(const report::UppfoljningReport& report, const ReportContext& context);
TextTable MalTable(const report::MalReport& report, const ReportContext& context);
TextTable SocioeconomicTable(const report::SocioeconomicReport& report,
                             const ReportContext& context);

// "Parametrar: 10 000 + 500 + 5 700 = 16 200 kr per månad × 12 månader".
std::string SocioeconomicParameters(const report::SocioeconomicReport& report,
                                    const ReportContext& context);

// A heading for text output: title, förbund, period, and whether it is the published view.
std::string ReportHeading(const std::string& title, const report::Period& period,
                          report::Audience audience, int suppression_k,
                          const ReportContext& context);

// What "·" means in a published table, with the threshold k.
std::string SuppressionLegend(int suppression_k, util::Language language);

// A CSV document from a flat table (header first). A suppressed cell keeps its "·" (an empty
// cell would read as missing); a `legend` (SuppressionLegend, for a published table) ends it
// as a row of its own.
std::string TableToCsv(const TextTable& table,
                       const std::optional<std::string>& legend = std::nullopt);

}  // namespace stegvis::exporting
