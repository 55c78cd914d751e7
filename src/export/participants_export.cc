#include "export/participants_export.h"

#include <fmt/format.h>

#include "export/economy_export.h"

namespace stegvis::exporting {

namespace {

using report::Count;
using report::KonCounts;
using util::Language;

namespace json = boost::json;

bool English(const ReportContext& context) { return context.language == Language::kEnglish; }
std::string L(const ReportContext& context, std::string_view swedish, std::string_view english) {
  return std::string(English(context) ? english : swedish);
}

json::value CountJson(const Count& count) {
  return count.suppressed ? json::value(nullptr) : json::value(count.value);
}

std::string CountText(const Count& count) {
  return count.suppressed ? "·" : std::to_string(count.value);
}

std::string PermilleText(const std::optional<std::int64_t>& permille,
                         const ReportContext& context) {
  if (!permille) return "·";
  return fmt::format("{}{}{}{}", *permille < 0 ? "-" : "", std::abs(*permille) / 10,
                     English(context) ? "." : ",", std::abs(*permille) % 10);
}

std::string HundredthsText(const std::optional<std::int64_t>& value, const ReportContext& context) {
  if (!value) return "·";
  return fmt::format("{}{}{}{:02}", *value < 0 ? "-" : "", std::abs(*value) / 100,
                     English(context) ? "." : ",", std::abs(*value) % 100);
}

json::object KonJson(const KonCounts& counts) {
  return json::object{{"totalt", CountJson(counts.total)},
                      {"kvinnor", CountJson(counts.by_kon[0])},
                      {"man", CountJson(counts.by_kon[1])},
                      {"annat", CountJson(counts.by_kon[2])}};
}

json::object Header(std::string_view name, const report::Period& period, report::Audience audience,
                    int k, const ReportContext& context) {
  return json::object{{"rapport", name},
                      {"forbund", context.forbund_id},
                      {"forbund_namn", context.forbund_name},
                      {"fran", period.from.ToString()},
                      {"till", period.to.ToString()},
                      {"publik", audience == report::Audience::kPublic},
                      {"minsta_antal", k}};
}

std::string RowName(const std::string& name, const ReportContext& context) {
  return name.empty() ? L(context, "Summa", "Total") : name;
}

json::object DeltagareRowJson(const report::DeltagareRow& row) {
  json::object item;
  if (!row.insats_id.empty()) {
    item["insats"] = row.insats_id;
    item["namn"] = row.name;
  }
  item["deltagare"] = CountJson(row.deltagare.total);
  item["kvinnor"] = CountJson(row.deltagare.by_kon[0]);
  item["man"] = CountJson(row.deltagare.by_kon[1]);
  item["annat"] = CountJson(row.deltagare.by_kon[2]);
  item["nya"] = KonJson(row.nya);
  item["avslutade"] = KonJson(row.avslutade);
  for (std::size_t g = 0; g < row.exits.size(); ++g) {
    item[core::ExitGroupCode(core::kAllExitGroups[g])] = KonJson(row.exits[g]);
  }
  return item;
}

json::object StegCountsJson(const report::StegCounts& counts) {
  auto share = counts.ShareCloserPermille();
  auto mean = counts.MeanStepsHundredths();
  return json::object{{"n", CountJson(counts.n)},
                      {"narmare", CountJson(counts.closer)},
                      {"oforandrad", CountJson(counts.unchanged)},
                      {"langre_bort", CountJson(counts.further)},
                      {"andel_narmare", PercentJson(share)},
                      {"medel_steg", mean ? json::value(static_cast<double>(*mean) / 100.0)
                                          : json::value(nullptr)}};
}

json::object StegRowJson(const report::StegRow& row) {
  json::object item;
  if (!row.insats_id.empty()) {
    item["insats"] = row.insats_id;
    item["namn"] = row.name;
  }
  item["totalt"] = StegCountsJson(row.total);
  item["kvinnor"] = StegCountsJson(row.by_kon[0]);
  item["man"] = StegCountsJson(row.by_kon[1]);
  item["annat"] = StegCountsJson(row.by_kon[2]);
  json::array matrix;
  for (const auto& from : row.transitions) {
    json::array line;
    for (const Count& cell : from) line.push_back(CountJson(cell));
    matrix.push_back(std::move(line));
  }
  item["overgangar"] = std::move(matrix);
  return item;
}

std::optional<std::int64_t> SharePermille(const Count& part, const Count& whole) {
  if (part.suppressed || whole.suppressed || whole.value == 0) return std::nullopt;
  return util::PerMille(part.value, whole.value);
}

json::object UppfoljningRowJson(const report::UppfoljningRow& row) {
  json::object item;
  if (!row.insats_id.empty()) {
    item["insats"] = row.insats_id;
    item["namn"] = row.name;
  }
  for (std::size_t m = 0; m < report::kFollowUpMonths.size(); ++m) {
    const report::FollowUpCounts& counts = row.at[m];
    item[fmt::format("manader_{}", report::kFollowUpMonths[m])] = json::object{
        {"lamnat_till_arbete_studier", KonJson(counts.left)},
        {"uppfoljda", KonJson(counts.followed_up)},
        {"kvar_i_arbete_studier", KonJson(counts.still)},
        {"andel_kvar", PercentJson(SharePermille(counts.still.total, counts.followed_up.total))}};
  }
  return item;
}

std::vector<std::string> KonCells(const KonCounts& counts) {
  return {CountText(counts.total), CountText(counts.by_kon[0]), CountText(counts.by_kon[1]),
          CountText(counts.by_kon[2])};
}

std::vector<std::string> KonHeader(const std::string& prefix, const ReportContext& context) {
  return {prefix, prefix + L(context, " kvinnor", " women"), prefix + L(context, " män", " men"),
          prefix + L(context, " annat", " other")};
}

}  // namespace

std::string ReportHeading(const std::string& title, const report::Period& period,
                          report::Audience audience, int suppression_k,
                          const ReportContext& context) {
  std::string heading = fmt::format("{} — {} ({} – {})\n", title, context.forbund_name,
                                    period.from.ToString(), period.to.ToString());
  if (audience == report::Audience::kPublic) {
    heading +=
        English(context)
            ? fmt::format(
                  "Published view: counts below {} are suppressed (·), with secondary "
                  "suppression.\n",
                  suppression_k)
            : fmt::format("Publik vy: antal under {} döljs (·), med sekundär röjandekontroll.\n",
                          suppression_k);
  }
  return heading + "\n";
}

std::string SuppressionLegend(int suppression_k, util::Language language) {
  return language == util::Language::kEnglish
             ? fmt::format(
                   "· = fewer than {}, or hidden so that a small count cannot be worked "
                   "out from the others",
                   suppression_k)
             : fmt::format(
                   "· = färre än {}, eller dolt så att ett litet antal inte kan räknas "
                   "fram ur de andra",
                   suppression_k);
}

std::string TableToCsv(const TextTable& table, const std::optional<std::string>& legend) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(table.header);
  for (const auto& row : table.rows) rows.push_back(row);
  if (legend) rows.push_back({*legend});
  return RenderCsv(rows);
}

boost::json::object DeltagareToJson(const report::DeltagareReport& report,
                                    const ReportContext& context) {
  json::object object =
      Header("deltagare", report.period, report.audience, report.suppression_k, context);
  json::array rows;
  for (const auto& row : report.rows) rows.push_back(DeltagareRowJson(row));
  object["rader"] = std::move(rows);
  object["summa"] = DeltagareRowJson(report.summa);
  object["unika_personer"] = CountJson(report.unika_personer);
  return object;
}

TextTable DeltagareTable(const report::DeltagareReport& report, const ReportContext& context) {
  TextTable table;
  table.header = {"Insats",
                  L(context, "Deltagare", "Participants"),
                  L(context, "Kvinnor", "Women"),
                  L(context, "Män", "Men"),
                  L(context, "Annat", "Other"),
                  L(context, "Nya", "New"),
                  L(context, "Avslutade", "Exited")};
  const std::vector<std::string> groups = {
      L(context, "Arbete", "Work"), L(context, "Studier", "Studies"),
      L(context, "Arb.rehab", "Work rehab"), L(context, "Sjukdom", "Illness"),
      L(context, "Annat skäl", "Other reason")};
  table.header.insert(table.header.end(), groups.begin(), groups.end());
  table.align = std::vector<Align>(table.header.size(), Align::kRight);
  table.align[0] = Align::kLeft;
  auto add = [&](const report::DeltagareRow& row) {
    std::vector<std::string> cells = {
        RowName(row.name, context),         CountText(row.deltagare.total),
        CountText(row.deltagare.by_kon[0]), CountText(row.deltagare.by_kon[1]),
        CountText(row.deltagare.by_kon[2]), CountText(row.nya.total),
        CountText(row.avslutade.total)};
    for (const KonCounts& group : row.exits) cells.push_back(CountText(group.total));
    table.rows.push_back(std::move(cells));
  };
  for (const auto& row : report.rows) add(row);
  add(report.summa);
  table.rows.push_back(
      {L(context, "Unika personer", "Unique persons"), CountText(report.unika_personer)});
  return table;
}

boost::json::object StegToJson(const report::StegReport& report, const ReportContext& context) {
  json::object object =
      Header("steg", report.period, report.audience, report.suppression_k, context);
  json::array ladder;
  for (const core::LadderStep& step : report.ladder) {
    ladder.push_back(json::object{{"niva", step.level}, {"namn", step.label}});
  }
  object["trappa"] = std::move(ladder);
  json::array rows;
  for (const auto& row : report.rows) rows.push_back(StegRowJson(row));
  object["rader"] = std::move(rows);
  object["summa"] = StegRowJson(report.summa);
  return object;
}

TextTable StegTable(const report::StegReport& report, const ReportContext& context) {
  TextTable table;
  table.header = {"Insats",
                  L(context, "Kön", "Kön"),
                  "n",
                  L(context, "Närmare", "Closer"),
                  L(context, "Oförändrad", "Unchanged"),
                  L(context, "Längre bort", "Further"),
                  L(context, "Andel närmare %", "Share closer %"),
                  L(context, "Medel steg", "Mean steps")};
  table.align = std::vector<Align>(table.header.size(), Align::kRight);
  table.align[0] = table.align[1] = Align::kLeft;
  const std::vector<std::string> kon_names = {
      L(context, "kvinnor", "women"), L(context, "män", "men"), L(context, "annat", "other"),
      L(context, "alla", "all")};
  auto add = [&](const report::StegRow& row) {
    for (std::size_t k = 0; k < 4; ++k) {
      const report::StegCounts& counts = k < 3 ? row.by_kon[k] : row.total;
      table.rows.push_back({k == 0 ? RowName(row.name, context) : "", kon_names[k],
                            CountText(counts.n), CountText(counts.closer),
                            CountText(counts.unchanged), CountText(counts.further),
                            PermilleText(counts.ShareCloserPermille(), context),
                            HundredthsText(counts.MeanStepsHundredths(), context)});
    }
  };
  for (const auto& row : report.rows) add(row);
  add(report.summa);
  return table;
}

boost::json::object UppfoljningToJson(const report::UppfoljningReport& report,
                                      const ReportContext& context) {
  json::object object =
      Header("uppfoljning", report.period, report.audience, report.suppression_k, context);
  json::array rows;
  for (const auto& row : report.rows) rows.push_back(UppfoljningRowJson(row));
  object["rader"] = std::move(rows);
  object["summa"] = UppfoljningRowJson(report.summa);
  return object;
}

TextTable UppfoljningTable(const report::UppfoljningReport& report, const ReportContext& context) {
  TextTable table;
  table.header = {"Insats", L(context, "Månader", "Months")};
  for (const std::string& name : {L(context, "Lämnat för arbete/studier", "Left for work/studies"),
                                  L(context, "Uppföljda", "Followed up"),
                                  L(context, "Kvar i arbete/studier", "Still in work/studies")}) {
    auto header = KonHeader(name, context);
    table.header.insert(table.header.end(), header.begin(), header.end());
  }
  table.header.push_back(L(context, "Andel kvar %", "Share still %"));
  table.align = std::vector<Align>(table.header.size(), Align::kRight);
  table.align[0] = Align::kLeft;
  auto add = [&](const report::UppfoljningRow& row) {
    for (std::size_t m = 0; m < report::kFollowUpMonths.size(); ++m) {
      const report::FollowUpCounts& counts = row.at[m];
      std::vector<std::string> cells = {m == 0 ? RowName(row.name, context) : "",
                                        std::to_string(report::kFollowUpMonths[m])};
      for (const KonCounts* part : {&counts.left, &counts.followed_up, &counts.still}) {
        auto kon = KonCells(*part);
        cells.insert(cells.end(), kon.begin(), kon.end());
      }
      cells.push_back(
          PermilleText(SharePermille(counts.still.total, counts.followed_up.total), context));
      table.rows.push_back(std::move(cells));
    }
  };
  for (const auto& row : report.rows) add(row);
  add(report.summa);
  return table;
}

boost::json::object MalToJson(const report::MalReport& report, const ReportContext& context) {
  json::object object =
      Header("mal", report.period, report.audience, report.suppression_k, context);
  json::array goals;
  for (const report::GoalResult& result : report.goals) {
    const bool share = core::IsShareMeasure(result.goal.measure);
    json::value value = nullptr;
    if (result.value_tenths) {
      value = share ? json::value(static_cast<double>(*result.value_tenths) / 10.0)
                    : json::value(*result.value_tenths / 10);
    }
    goals.push_back(
        json::object{{"insats", result.insats_id},
                     {"namn", result.insats_name},
                     {"matt", core::GoalMeasureCode(result.goal.measure)},
                     {"beskrivning", result.goal.description},
                     {"mal", result.goal.target},
                     {"varde", value},
                     {"uppfyllt", result.met ? json::value(*result.met) : json::value(nullptr)},
                     {"n", CountJson(result.n)},
                     {"saknar_underlag", result.needs_data_not_yet_collected}});
  }
  object["mal"] = std::move(goals);
  return object;
}

TextTable MalTable(const report::MalReport& report, const ReportContext& context) {
  TextTable table;
  table.header = {"Insats",
                  L(context, "Mål", "Goal"),
                  L(context, "Målvärde", "Target"),
                  L(context, "Utfall", "Value"),
                  L(context, "Uppfyllt", "Met"),
                  "n"};
  table.align = {Align::kLeft,  Align::kLeft, Align::kRight,
                 Align::kRight, Align::kLeft, Align::kRight};
  for (const report::GoalResult& result : report.goals) {
    const bool share = core::IsShareMeasure(result.goal.measure);
    std::string value = "·";
    if (result.needs_data_not_yet_collected) {
      value = L(context, "saknar underlag", "no data");
    } else if (result.value_tenths) {
      value = share ? PermilleText(result.value_tenths, context) + " %"
                    : std::to_string(*result.value_tenths / 10);
    }
    const std::string target = fmt::format("{}{}", result.goal.target, share ? " %" : "");
    const std::string met = !result.met   ? "·"
                            : *result.met ? L(context, "ja", "yes")
                                          : L(context, "nej", "no");
    table.rows.push_back({result.insats_name,
                          result.goal.description.empty()
                              ? std::string(core::GoalMeasureCode(result.goal.measure))
                              : result.goal.description,
                          target, value, met, CountText(result.n)});
  }
  return table;
}

boost::json::object SocioeconomicToJson(const report::SocioeconomicReport& report,
                                        const ReportContext& context) {
  json::object object =
      Header("socioekonomi", report.period, report.audience, report.suppression_k, context);
  object["parametrar"] =
      json::object{{"undvikt_stod", KronorJson(report.model.avoided_support)},
                   {"undvikt_administration", KronorJson(report.model.avoided_administration)},
                   {"skatteintakt", KronorJson(report.model.tax_income)},
                   {"per_manad", KronorJson(report.model.MonthlyValue())},
                   {"manader", report.model.months}};
  auto row_json = [](const report::SocioeconomicRow& row) {
    json::object item;
    if (!row.insats_id.empty()) {
      item["insats"] = row.insats_id;
      item["namn"] = row.name;
    }
    item["personer_till_arbete"] = CountJson(row.persons);
    item["varde"] = row.value ? KronorJson(*row.value) : json::value(nullptr);
    return item;
  };
  json::array rows;
  for (const auto& row : report.rows) rows.push_back(row_json(row));
  object["rader"] = std::move(rows);
  object["summa"] = row_json(report.summa);
  return object;
}

TextTable SocioeconomicTable(const report::SocioeconomicReport& report,
                             const ReportContext& context) {
  TextTable table;
  table.header = {"Insats", L(context, "Personer till arbete", "Persons to work"),
                  L(context, "Kr per månad", "SEK per month"), L(context, "Månader", "Months"),
                  L(context, "Värde kr", "Value SEK")};
  table.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight};
  auto add = [&](const report::SocioeconomicRow& row) {
    table.rows.push_back({RowName(row.name, context), CountText(row.persons),
                          report.model.MonthlyValue().ToSwedishText(),
                          std::to_string(report.model.months),
                          row.value ? row.value->ToSwedishText() : "·"});
  };
  for (const auto& row : report.rows) add(row);
  add(report.summa);
  return table;
}

std::string SocioeconomicParameters(const report::SocioeconomicReport& report,
                                    const ReportContext& context) {
  const core::SocioeconomicModel& model = report.model;
  return fmt::format("{}: {} + {} + {} = {} kr {} × {} {}", L(context, "Parametrar", "Parameters"),
                     model.avoided_support.ToSwedishText(),
                     model.avoided_administration.ToSwedishText(), model.tax_income.ToSwedishText(),
                     model.MonthlyValue().ToSwedishText(), L(context, "per månad", "per month"),
                     model.months, L(context, "månader", "months"));
}

}  // namespace stegvis::exporting
