// The charts the web pages show for the reports, and HTML tables for their numbers: every
// chart stands beside the table it was drawn from.
#pragma once

#include <string>

#include "export/participants_export.h"
#include "export/svg_chart.h"
#include "export/table_text.h"
#include "report/economy.h"

namespace stegvis::exporting {

// Exits in the summed row by reason group × kön (grouped bars).
BarChart ExitsChart(const report::DeltagareReport& report, const ReportContext& context);
// First → latest ladder step of the summed row.
TransitionMatrix LadderChart(const report::StegReport& report, const ReportContext& context);
// Budget against outcome per cost line (an outcome year), or cost per line (a budget year).
BarChart BudgetChart(const report::EconomyReport& report, util::Language language);
// Share of costs per category.
BarChart DistributionChart(const report::EconomyReport& report, util::Language language);

// A participant report ready to show: its title, JSON, flat table and, for some, a chart.
struct RenderedReport {
  std::string title;
  boost::json::object json;
  TextTable table;
  std::string chart_svg;    // Empty when the report has no chart.
  std::string after_table;  // A line to show under the table, e.g. the parameters.
  report::Period period;
  report::Audience audience = report::Audience::kRecordAccess;
  int suppression_k = 5;
};

RenderedReport RenderReport(const report::AnyReport& report, const ReportContext& context);

// The report's table as CSV, ending with the legend of "·" when it is the published view.
std::string RenderedCsv(const RenderedReport& rendered, util::Language language);

// An accessible HTML table: a caption, column headers, escaped cells; "·" cells get a title
// explaining the suppression.
std::string HtmlTable(const TextTable& table, const std::string& caption, util::Language language);

}  // namespace stegvis::exporting
