#include "export/report_charts.h"

#include <fmt/format.h>

namespace stegvis::exporting {

namespace {

using util::Language;

std::string L(Language language, std::string_view swedish, std::string_view english) {
  return std::string(language == Language::kEnglish ? english : swedish);
}

std::optional<double> Value(const report::Count& count) {
  if (count.suppressed) return std::nullopt;
  return static_cast<double>(count.value);
}

void Localise(BarChart& chart, int k, Language language) {
  chart.suppressed_word = L(language, "dolt", "hidden");
  chart.suppressed_note = SuppressionLegend(k, language);
  if (language == Language::kEnglish) chart.numbers = NumberStyle{".", ","};
}

}  // namespace

BarChart ExitsChart(const report::DeltagareReport& report, const ReportContext& context) {
  const Language language = context.language;
  BarChart chart;
  chart.title = L(language, "Avslut per orsak och kön", "Exits by reason and kön");
  chart.description = L(language, "Avslutade deltagare under perioden, alla insatser.",
                        "Participants who exited in the period, all interventions.");
  chart.categories = {L(language, "Arbete", "Work"), L(language, "Studier", "Studies"),
                      L(language, "Arb.rehab", "Work rehab"), L(language, "Sjukdom", "Illness"),
                      L(language, "Annat skäl", "Other reason")};
  const std::vector<std::string> names = {L(language, "Kvinnor", "Women"),
                                          L(language, "Män", "Men"), L(language, "Annat", "Other")};
  for (std::size_t k = 0; k < 3; ++k) {
    ChartSeries series{names[k], {}};
    for (const report::KonCounts& group : report.summa.exits) {
      series.values.push_back(Value(group.by_kon[k]));
    }
    chart.series.push_back(std::move(series));
  }
  chart.value_unit = L(language, "personer", "persons");
  Localise(chart, report.suppression_k, language);
  return chart;
}

TransitionMatrix LadderChart(const report::StegReport& report, const ReportContext& context) {
  const Language language = context.language;
  TransitionMatrix matrix;
  matrix.title = L(language, "Från första till senaste steg", "From first to latest step");
  matrix.description = L(language,
                         "Antal inskrivningar per första och senaste steg på trappan; högre steg "
                         "är närmare arbete.",
                         "Enrolments by first and latest ladder step; a higher step is closer to "
                         "work.");
  for (const core::LadderStep& step : report.ladder) {
    matrix.step_labels.push_back(fmt::format("{} {}", step.level, step.label));
  }
  for (const auto& row : report.summa.transitions) {
    std::vector<std::optional<std::int64_t>> counts;
    for (const report::Count& cell : row) counts.push_back(cell.Shown());
    matrix.counts.push_back(std::move(counts));
  }
  matrix.first_step_label = L(language, "Första steg", "First step");
  matrix.latest_step_label = L(language, "Senaste steg", "Latest step");
  matrix.value_unit = L(language, "inskrivningar", "enrolments");
  matrix.suppressed_word = L(language, "dolt", "hidden");
  matrix.suppressed_note = L(language, "· = färre än ", "· = fewer than ") +
                           std::to_string(report.suppression_k) +
                           L(language, ", visas inte", ", not shown");
  return matrix;
}

BarChart BudgetChart(const report::EconomyReport& report, Language language) {
  BarChart chart;
  const bool outcome = report.basis == report::Basis::kUtfall;
  chart.title = outcome ? L(language, "Budget och utfall per kostnadspost",
                            "Budget and outcome per cost line")
                        : L(language, "Kostnader per post", "Costs per line");
  chart.description = fmt::format("{} {}.", report.forbund_name, report.year);
  ChartSeries budget{"Budget", {}};
  ChartSeries actual{L(language, "Utfall", "Outcome"), {}};
  for (const report::EconomyRow& row : report.rows) {
    if (row.kind != report::RowKind::kCost) continue;
    chart.categories.push_back(row.label);
    budget.values.push_back(row.budget ? std::optional<double>(row.budget->KronorAsDouble())
                                       : std::nullopt);
    actual.values.push_back(row.outcome ? std::optional<double>(row.outcome->KronorAsDouble())
                                        : std::nullopt);
  }
  chart.series.push_back(std::move(budget));
  if (outcome) chart.series.push_back(std::move(actual));
  chart.value_unit = "kr";
  chart.suppressed_word = L(language, "saknas", "missing");
  if (language == Language::kEnglish) chart.numbers = NumberStyle{".", ","};
  return chart;
}

BarChart DistributionChart(const report::EconomyReport& report, Language language) {
  BarChart chart;
  chart.title = L(language, "Kostnadernas fördelning", "Distribution of costs");
  chart.description = fmt::format("{} {}.", report.forbund_name, report.year);
  chart.categories = {L(language, "Individ", "Individual"), L(language, "Struktur", "Structural"),
                      "Administration", L(language, "Ny verksamhet", "New activity")};
  ChartSeries shares{L(language, "Andel", "Share"), {}};
  for (const auto& permille : report.distribution_permille) {
    shares.values.push_back(permille ? std::optional<double>(static_cast<double>(*permille) / 10)
                                     : std::nullopt);
  }
  chart.series.push_back(std::move(shares));
  chart.value_unit = "%";
  if (language == Language::kEnglish) chart.numbers = NumberStyle{".", ","};
  return chart;
}

RenderedReport RenderReport(const report::AnyReport& any, const ReportContext& context) {
  const Language language = context.language;
  RenderedReport rendered;
  std::visit(
      [&](const auto& report) {
        rendered.period = report.period;
        rendered.audience = report.audience;
        rendered.suppression_k = report.suppression_k;
      },
      any);
  if (const auto* deltagare = std::get_if<report::DeltagareReport>(&any)) {
    rendered.title = L(language, "Deltagare", "Participants");
    rendered.json = DeltagareToJson(*deltagare, context);
    rendered.table = DeltagareTable(*deltagare, context);
    rendered.chart_svg = RenderBarChart(ExitsChart(*deltagare, context), "avslut");
  } else if (const auto* steg = std::get_if<report::StegReport>(&any)) {
    rendered.title = L(language, "Stegförflyttning", "Movement on the ladder");
    rendered.json = StegToJson(*steg, context);
    rendered.table = StegTable(*steg, context);
    rendered.chart_svg = RenderTransitionMatrix(LadderChart(*steg, context), "steg");
  } else if (const auto* uppfoljning = std::get_if<report::UppfoljningReport>(&any)) {
    rendered.title = L(language, "Uppföljning efter avslut", "Follow-up after exit");
    rendered.json = UppfoljningToJson(*uppfoljning, context);
    rendered.table = UppfoljningTable(*uppfoljning, context);
  } else if (const auto* mal = std::get_if<report::MalReport>(&any)) {
    rendered.title = L(language, "Måluppfyllelse", "Goal fulfilment");
    rendered.json = MalToJson(*mal, context);
    rendered.table = MalTable(*mal, context);
  } else if (const auto* socio = std::get_if<report::SocioeconomicReport>(&any)) {
    rendered.title = L(language, "Socioekonomiskt värde", "Socioeconomic value");
    rendered.json = SocioeconomicToJson(*socio, context);
    rendered.table = SocioeconomicTable(*socio, context);
    rendered.after_table = SocioeconomicParameters(*socio, context);
  }
  return rendered;
}

std::string HtmlTable(const TextTable& table, const std::string& caption, Language language) {
  const std::string hidden = L(language, "dolt: färre än gränsen för publicering",
                               "hidden: below the publication threshold");
  std::string html = "<div class=\"table-wrap\"><table>\n<caption>" + EscapeMarkup(caption) +
                     "</caption>\n<thead><tr>";
  for (const std::string& header : table.header) {
    html += "<th scope=\"col\">" + EscapeMarkup(header) + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string tag = i == 0 ? "th scope=\"row\"" : "td";
      const std::string close = i == 0 ? "th" : "td";
      if (row[i] == "·") {
        html += "<" + tag + " title=\"" + hidden + "\"><abbr title=\"" + hidden + "\">·</abbr></" +
                close + ">";
      } else {
        html += "<" + tag + ">" + EscapeMarkup(row[i]) + "</" + close + ">";
      }
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

std::string RenderedCsv(const RenderedReport& rendered, util::Language language) {
  return TableToCsv(rendered.table, rendered.audience == report::Audience::kPublic
                                        ? std::optional<std::string>(
                                              SuppressionLegend(rendered.suppression_k, language))
                                        : std::nullopt);
}

}  // namespace stegvis::exporting
