#include "export/economy_export.h"

#include <fmt/format.h>

#include "export/table_text.h"

namespace stegvis::exporting {

namespace {

using report::EconomyReport;
using report::EconomyRow;
using report::RowKind;
using util::Language;
using util::Money;

std::string L(Language language, std::string_view swedish, std::string_view english) {
  return std::string(language == Language::kEnglish ? english : swedish);
}

std::string PercentText(const std::optional<std::int64_t>& permille, Language language) {
  if (!permille) return "–";
  const char decimal = language == Language::kEnglish ? '.' : ',';
  return fmt::format("{}{}{}{} %", *permille < 0 ? "-" : "", std::abs(*permille) / 10, decimal,
                     std::abs(*permille) % 10);
}

std::string MoneyText(const std::optional<Money>& money) {
  return money ? money->ToSwedishText() : "–";
}

std::string MoneyCsv(const std::optional<Money>& money) {
  if (!money) return "";
  std::string text = money->ToPlainText();
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string CategoryName(core::CostCategory category, Language language) {
  switch (category) {
    case core::CostCategory::kIndivid:
      return L(language, "individ", "individual");
    case core::CostCategory::kStruktur:
      return L(language, "struktur", "structural");
    case core::CostCategory::kAdministration:
      return L(language, "administration", "administration");
    case core::CostCategory::kNy:
      return L(language, "ny verksamhet", "new activity");
  }
  return {};
}

std::string BasisName(report::Basis basis, Language language) {
  switch (basis) {
    case report::Basis::kBudget:
      return "budget";
    case report::Basis::kPrognos:
      return L(language, "prognos", "forecast");
    case report::Basis::kUtfall:
      return L(language, "utfall", "outcome");
  }
  return {};
}

std::optional<Money> Deviation(const EconomyRow& row) {
  if (row.budget && row.outcome) return *row.outcome - *row.budget;
  return std::nullopt;
}

}  // namespace

boost::json::value KronorJson(Money money) {
  if (money.HasOre()) return boost::json::value(money.KronorAsDouble());
  return boost::json::value(money.ore() / 100);
}

boost::json::value PercentJson(const std::optional<std::int64_t>& permille) {
  if (!permille) return nullptr;
  return boost::json::value(static_cast<double>(*permille) / 10.0);
}

boost::json::object EconomyToJson(const EconomyReport& report, Language language) {
  auto optional_money = [](const std::optional<Money>& money) -> boost::json::value {
    return money ? KronorJson(*money) : boost::json::value(nullptr);
  };
  boost::json::object json;
  json["forbund"] = report.forbund_id;
  json["forbund_namn"] = report.forbund_name;
  json["ar"] = report.year;
  json["underlag"] = std::string(report::BasisCode(report.basis));
  json["intakter"] = KronorJson(report.income);
  json["kostnader"] = KronorJson(report.costs);
  json["resultat"] = KronorJson(report.result);
  json["eget_kapital_in"] = optional_money(report.equity_in);
  json["eget_kapital_ut"] = optional_money(report.equity_out);
  boost::json::object distribution;
  for (std::size_t i = 0; i < std::size(core::kAllCostCategories); ++i) {
    distribution[core::CostCategoryCode(core::kAllCostCategories[i])] =
        PercentJson(report.distribution_permille[i]);
  }
  json["fordelning"] = std::move(distribution);
  json["liv_andel"] = PercentJson(report.liv_permille);
  json["medlemsandelar"] = boost::json::object{{"stat", PercentJson(report.state_permille)},
                                               {"region", PercentJson(report.region_permille)},
                                               {"kommuner", PercentJson(report.kommuner_permille)}};
  boost::json::array rows;
  for (const EconomyRow& row : report.rows) {
    boost::json::object item;
    item["typ"] = row.kind == RowKind::kIncome ? "intakt" : "kostnad";
    item["post"] = row.label;
    if (row.member_id) item["medlem"] = *row.member_id;
    if (row.insats_id) item["insats"] = *row.insats_id;
    if (row.category) item["kategori"] = core::CostCategoryCode(*row.category);
    item["belopp"] = KronorJson(row.amount);
    if (report.basis == report::Basis::kUtfall) {
      item["budget"] = optional_money(row.budget);
      item["utfall"] = optional_money(row.outcome);
      item["avvikelse"] = optional_money(Deviation(row));
    }
    rows.push_back(std::move(item));
  }
  json["rader"] = std::move(rows);
  boost::json::array warnings;
  for (const report::Warning& warning : report.warnings) {
    warnings.push_back(
        boost::json::object{{"kod", warning.code}, {"meddelande", warning.text.In(language)}});
  }
  json["varningar"] = std::move(warnings);
  return json;
}

std::string EconomyToCsv(const EconomyReport& report, Language language) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({L(language, "typ", "type"), L(language, "post", "line"),
                  L(language, "medlem", "member"), "insats", L(language, "kategori", "category"),
                  L(language, "belopp", "amount"), "budget", L(language, "utfall", "outcome"),
                  L(language, "avvikelse", "deviation")});
  for (const EconomyRow& row : report.rows) {
    rows.push_back({row.kind == RowKind::kIncome ? "intakt" : "kostnad", row.label,
                    row.member_id.value_or(""), row.insats_id.value_or(""),
                    row.category ? std::string(core::CostCategoryCode(*row.category)) : "",
                    MoneyCsv(row.amount), MoneyCsv(row.budget), MoneyCsv(row.outcome),
                    MoneyCsv(Deviation(row))});
  }
  auto summary = [&](std::string label, const std::optional<Money>& amount) {
    rows.push_back({"summa", std::move(label), "", "", "", MoneyCsv(amount), "", "", ""});
  };
  summary(L(language, "Summa intäkter", "Total income"), report.income);
  summary(L(language, "Summa kostnader", "Total costs"), report.costs);
  summary(L(language, "Resultat", "Result"), report.result);
  summary(L(language, "Eget kapital in", "Equity in"), report.equity_in);
  summary(L(language, "Eget kapital ut", "Equity out"), report.equity_out);
  return RenderCsv(rows);
}

std::string EconomyToText(const EconomyReport& report, Language language) {
  const bool with_outcome = report.basis == report::Basis::kUtfall;
  std::string out = fmt::format("{} {} — {} ({}: {})\n\n", L(language, "Ekonomi", "Economy"),
                                report.year, report.forbund_name, L(language, "underlag", "basis"),
                                BasisName(report.basis, language));
  TextTable table;
  table.header = {L(language, "Post", "Line"), L(language, "Kategori", "Category"),
                  L(language, "Belopp", "Amount")};
  table.align = {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight};
  if (with_outcome) {
    table.header.push_back("Budget");
    table.header.push_back(L(language, "Avvikelse", "Deviation"));
  }
  auto add_section = [&](RowKind kind, const std::string& title, const std::string& total_label,
                         Money total) {
    table.rows.push_back({title});
    for (const EconomyRow& row : report.rows) {
      if (row.kind != kind) continue;
      std::vector<std::string> cells = {"  " + row.label,
                                        row.category ? CategoryName(*row.category, language) : "",
                                        row.amount.ToSwedishText()};
      if (with_outcome) {
        cells.push_back(MoneyText(row.budget));
        cells.push_back(MoneyText(Deviation(row)));
      }
      table.rows.push_back(std::move(cells));
    }
    table.rows.push_back({"  " + total_label, "", total.ToSwedishText()});
  };
  add_section(RowKind::kIncome, L(language, "Intäkter", "Income"),
              L(language, "Summa intäkter", "Total income"), report.income);
  add_section(RowKind::kCost, L(language, "Kostnader", "Costs"),
              L(language, "Summa kostnader", "Total costs"), report.costs);
  table.rows.push_back({L(language, "Resultat", "Result"), "", report.result.ToSwedishText()});
  table.rows.push_back(
      {L(language, "Eget kapital in", "Equity in"), "", MoneyText(report.equity_in)});
  table.rows.push_back(
      {L(language, "Eget kapital ut", "Equity out"), "", MoneyText(report.equity_out)});
  out += RenderText(table);

  out += "\n" + L(language, "Fördelning av kostnader", "Distribution of costs") + ": ";
  for (std::size_t i = 0; i < std::size(core::kAllCostCategories); ++i) {
    if (i > 0) out += ", ";
    out += CategoryName(core::kAllCostCategories[i], language) + " " +
           PercentText(report.distribution_permille[i], language);
  }
  out += "\n" + L(language, "LIV-andel av kostnaderna", "LIV share of costs") + ": " +
         PercentText(report.liv_permille, language) + "\n";
  out += L(language, "Medlemsandelar av intäkterna", "Members' shares of income") + ": " +
         L(language, "stat ", "state ") + PercentText(report.state_permille, language) +
         ", region " + PercentText(report.region_permille, language) + ", " +
         L(language, "kommuner ", "municipalities ") +
         PercentText(report.kommuner_permille, language) + "\n";
  if (!report.warnings.empty()) {
    out += "\n" + L(language, "Varningar", "Warnings") + ":\n";
    for (const report::Warning& warning : report.warnings) {
      out += "  - " + warning.text.In(language) + "\n";
    }
  }
  return out;
}

}  // namespace stegvis::exporting
