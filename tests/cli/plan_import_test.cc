// End-to-end tests for plan files: `stegvis init`, `stegvis import plan`, `stegvis report
// ekonomi` and `stegvis demo`, run as the real binary on real SQLite files. They check exit
// codes, what the user reads on stdout and stderr, and what the database holds afterwards.
//
// Bad plan files are made by loading demo/hoglandet.json and changing one thing, so that the
// tests follow the demo when it grows; only JSON syntax errors are literal text.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace json = boost::json;

// The exit codes the CLI documents.
constexpr int kExitOk = 0;
constexpr int kExitBadInput = 1;
constexpr int kExitUsage = 2;

// Runs stegvis with Swedish messages whatever STEGVIS_LANG says in the caller's environment,
// since the tests check the Swedish texts.
CommandResult Stegvis(const std::vector<std::string>& arguments) {
  std::vector<std::string> all = {"--lang", "sv"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return RunStegvis(all);
}

std::string DemoPlanText() { return ReadFile(SourcePath("demo/hoglandet.json")); }

json::value ParseJson(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) ADD_FAILURE() << "not JSON (" << error.message() << "):\n" << text;
  return value;
}

json::value DemoPlan() { return ParseJson(DemoPlanText()); }

// A JSON number as a double, whether it was written as an integer or not.
double Number(const json::value& value) {
  if (!value.is_number()) {
    ADD_FAILURE() << "expected a number, got " << json::serialize(value);
    return 0;
  }
  return value.to_number<double>();
}

std::vector<std::string> SplitLines(const std::string& text, const std::string& separator) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + separator.size();
  }
  return lines;
}

std::vector<std::string> SplitFields(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, separator)) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

// The rows of a database dump that belong to one förbund: every table starts with the
// förbund's id (forbund.id or a forbund_id column).
std::vector<std::string> RowsOf(const std::string& dump, const std::string& forbund_id) {
  std::vector<std::string> rows;
  for (const std::string& line : SplitLines(dump, "\n")) {
    if (line.rfind(forbund_id + "|", 0) == 0) rows.push_back(line);
  }
  return rows;
}

// The year entry of a plan's "budget" or "utfall" list.
json::object& YearOf(json::value& plan, const std::string& list, int year) {
  for (json::value& entry : plan.at(list).as_array()) {
    if (entry.at("ar").to_number<int>() == year) return entry.as_object();
  }
  throw std::runtime_error(list + " has no year " + std::to_string(year));
}

// A database that already holds the valid Höglandet plan, so that a failed import has
// something to leave unchanged and a second import something to replace.
class PlanImport : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandResult init = Stegvis({"init", "--db", database_});
    ASSERT_EQ(init.exit_code, kExitOk) << init.err;
    first_import_ = Stegvis({"import", "plan", "--db", database_, demo_path_});
    ASSERT_EQ(first_import_.exit_code, kExitOk) << first_import_.err;
  }

  CommandResult Import(const std::string& plan_file) {
    return Stegvis({"import", "plan", "--db", database_, plan_file});
  }

  // Writes `content` to a file in the test's folder and imports it.
  CommandResult ImportText(const std::string& content, const std::string& name = "plan.json") {
    const std::filesystem::path file = directory_ / name;
    WriteFile(file, content);
    return Import(file.string());
  }

  CommandResult Report(const std::string& forbund, int year, const std::string& format) {
    return Stegvis({"report", "ekonomi", "--db", database_, "--forbund", forbund, "--ar",
                    std::to_string(year), "--format", format});
  }

  json::object ReportJson(const std::string& forbund, int year) {
    const CommandResult report = Report(forbund, year, "json");
    EXPECT_EQ(report.exit_code, kExitOk) << report.err;
    json::value parsed = ParseJson(report.out);
    return parsed.is_object() ? parsed.as_object() : json::object();
  }

  std::string Dump() { return DumpDatabase(database_); }

  TempDir directory_;
  const std::string database_ = (directory_ / "stegvis.db").string();
  const std::string demo_path_ = SourcePath("demo/hoglandet.json").string();
  CommandResult first_import_;
};

TEST(CliInit, CreatesADatabaseWithTheSchema) {
  TempDir directory;
  const std::string database = (directory / "ny.db").string();
  const CommandResult init = Stegvis({"init", "--db", database});
  EXPECT_EQ(init.exit_code, kExitOk) << init.err;
  EXPECT_NE(init.out.find("Databasen är klar: " + database), std::string::npos) << init.out;
  ASSERT_TRUE(std::filesystem::exists(database));
  const std::string dump = DumpDatabase(database);
  EXPECT_NE(dump.find("== forbund\n== insats\n"), std::string::npos)
      << "expected an empty forbund table:\n"
      << dump;
  EXPECT_NE(dump.find("== schema_migrations\n1\n"), std::string::npos) << dump;
}

TEST_F(PlanImport, InitOnAnExistingDatabaseKeepsItsContent) {
  const std::string before = Dump();
  const CommandResult init = Stegvis({"init", "--db", database_});
  EXPECT_EQ(init.exit_code, kExitOk) << init.err;
  EXPECT_EQ(Dump(), before);
}

TEST_F(PlanImport, ImportsTheDemoPlan) {
  const json::value plan = DemoPlan();
  const std::size_t members = plan.at("medlemmar").as_array().size();
  EXPECT_NE(
      first_import_.out.find("Importerade plan för Höglandets samordningsförbund (hoglandet): " +
                             std::to_string(members) + " medlemmar"),
      std::string::npos)
      << first_import_.out;
  EXPECT_EQ(first_import_.err, "");
  const std::string dump = Dump();
  // The opening equity, 485 955 kr, is stored in öre.
  EXPECT_NE(dump.find("hoglandet|Höglandets samordningsförbund|2011-04-01|5|2020|48595500|"),
            std::string::npos)
      << dump;
  const std::size_t member_section = dump.find("== member\n");
  ASSERT_NE(member_section, std::string::npos) << dump;
  const std::string member_rows =
      dump.substr(member_section, dump.find("== ", member_section + 1) - member_section);
  EXPECT_EQ(RowsOf(member_rows, "hoglandet").size(), members) << member_rows;
}

TEST_F(PlanImport, ReportAsJsonGivesTheBoardsFigures) {
  const json::object report = ReportJson("hoglandet", 2022);
  EXPECT_EQ(report.at("forbund"), "hoglandet");
  EXPECT_EQ(report.at("ar"), 2022);
  EXPECT_EQ(report.at("underlag"), "budget");
  EXPECT_DOUBLE_EQ(Number(report.at("intakter")), 8054000);
  EXPECT_DOUBLE_EQ(Number(report.at("kostnader")), 8302500);
  EXPECT_DOUBLE_EQ(Number(report.at("resultat")), -248500);
  EXPECT_DOUBLE_EQ(Number(report.at("eget_kapital_in")), 675455);
  EXPECT_DOUBLE_EQ(Number(report.at("eget_kapital_ut")), 426955);
  const json::object& distribution = report.at("fordelning").as_object();
  EXPECT_DOUBLE_EQ(Number(distribution.at("individ")), 59.6);
  EXPECT_DOUBLE_EQ(Number(distribution.at("struktur")), 24.5);
  EXPECT_DOUBLE_EQ(Number(distribution.at("administration")), 12.9);
  EXPECT_DOUBLE_EQ(Number(distribution.at("ny")), 3.0);
  EXPECT_DOUBLE_EQ(Number(report.at("liv_andel")), 67.4);
}

TEST_F(PlanImport, ReportAsCsvHasAHeaderAndTheResultLine) {
  const CommandResult report = Report("hoglandet", 2022, "csv");
  ASSERT_EQ(report.exit_code, kExitOk) << report.err;
  const std::vector<std::string> lines = SplitLines(report.out, "\r\n");
  ASSERT_FALSE(lines.empty());
  const std::vector<std::string> header = SplitFields(lines.front(), ';');
  ASSERT_GE(header.size(), 6u) << lines.front();
  EXPECT_EQ(header[0], "typ");
  EXPECT_EQ(header[1], "post");
  EXPECT_EQ(header[5], "belopp");
  bool found_result = false;
  for (const std::string& line : lines) {
    const std::vector<std::string> fields = SplitFields(line, ';');
    EXPECT_EQ(fields.size(), header.size()) << line;
    if (fields.size() > 5 && fields[0] == "summa" && fields[1] == "Resultat") {
      found_result = true;
      EXPECT_EQ(fields[5], "-248500") << line;
    }
  }
  EXPECT_TRUE(found_result) << report.out;
}

TEST_F(PlanImport, ReportAsTextGroupsThousandsTheSwedishWay) {
  const CommandResult report = Report("hoglandet", 2022, "text");
  ASSERT_EQ(report.exit_code, kExitOk) << report.err;
  EXPECT_NE(report.out.find("8 054 000"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("-248 500"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("426 955"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("individ 59,6 %"), std::string::npos) << report.out;
}

TEST_F(PlanImport, ReportForAnUnknownForbundFails) {
  const CommandResult report = Report("okant-forbund", 2022, "json");
  EXPECT_EQ(report.exit_code, kExitBadInput);
  EXPECT_EQ(report.out, "");
  EXPECT_NE(report.err.find("--forbund"), std::string::npos) << report.err;
  EXPECT_NE(report.err.find("okant-forbund"), std::string::npos) << report.err;
}

TEST_F(PlanImport, ReportForAYearWithoutDataFails) {
  const CommandResult report = Report("hoglandet", 2030, "text");
  EXPECT_EQ(report.exit_code, kExitBadInput);
  EXPECT_EQ(report.out, "");
  EXPECT_NE(report.err.find("2030"), std::string::npos) << report.err;
}

TEST_F(PlanImport, ReimportingTheSamePlanLeavesTheContentUnchanged) {
  const std::string before = DumpDatabase(database_, stegvis::testing::AuditRows::kExclude);
  const CommandResult again = Import(demo_path_);
  EXPECT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_NE(again.out.find("Ersatte plan för Höglandets samordningsförbund"), std::string::npos)
      << again.out;
  EXPECT_EQ(DumpDatabase(database_, stegvis::testing::AuditRows::kExclude), before);
}

TEST_F(PlanImport, ReplacingThePlanDropsARemovedCostLine) {
  const json::object before = ReportJson("hoglandet", 2022);
  json::value plan = DemoPlan();
  json::array& costs = YearOf(plan, "budget", 2022).at("kostnader").as_array();
  ASSERT_FALSE(costs.empty());
  const std::string removed_label(costs.front().at("post").as_string());
  const double removed_amount = Number(costs.front().at("belopp"));
  costs.erase(costs.begin());

  const CommandResult replace = ImportText(json::serialize(plan));
  ASSERT_EQ(replace.exit_code, kExitOk) << replace.err;
  EXPECT_NE(replace.out.find("Ersatte plan"), std::string::npos) << replace.out;

  const json::object after = ReportJson("hoglandet", 2022);
  EXPECT_DOUBLE_EQ(Number(after.at("kostnader")), Number(before.at("kostnader")) - removed_amount);
  for (const json::value& row : after.at("rader").as_array()) {
    EXPECT_NE(row.at("post"), removed_label.c_str()) << json::serialize(row);
  }
}

TEST_F(PlanImport, ReplacingThePlanRemovesADroppedInsats) {
  json::value plan = DemoPlan();
  json::array& insatser = plan.at("insatser").as_array();
  ASSERT_FALSE(insatser.empty());
  const std::string dropped(insatser.back().at("id").as_string());
  insatser.pop_back();
  // Cost lines may not name an insats the plan no longer has.
  for (const char* list : {"budget", "utfall"}) {
    for (json::value& year : plan.at(list).as_array()) {
      json::array& costs = year.at("kostnader").as_array();
      costs.erase(std::remove_if(costs.begin(), costs.end(),
                                 [&](const json::value& line) {
                                   const json::value* insats =
                                       line.as_object().if_contains("insats");
                                   return insats != nullptr && *insats == dropped.c_str();
                                 }),
                  costs.end());
    }
  }
  ASSERT_NE(Dump().find("|" + dropped + "|"), std::string::npos);

  const CommandResult replace = ImportText(json::serialize(plan));
  ASSERT_EQ(replace.exit_code, kExitOk) << replace.err;
  const std::string dump = Dump();
  EXPECT_EQ(dump.find("|" + dropped + "|"), std::string::npos)
      << "the insats " << dropped << " is still stored:\n"
      << dump;
}

TEST_F(PlanImport, ReplacingOnePlanLeavesAnotherForbundUntouched) {
  // The neighbour uses the same member and insats ids as Höglandet, which the store must keep
  // apart.
  json::value neighbour = DemoPlan();
  neighbour.at_pointer("/forbund/id") = "grannforbundet";
  neighbour.at_pointer("/forbund/namn") = "Grannförbundet";
  const CommandResult imported = ImportText(json::serialize(neighbour), "grannforbundet.json");
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.err;
  const std::vector<std::string> neighbour_rows = RowsOf(Dump(), "grannforbundet");
  ASSERT_FALSE(neighbour_rows.empty());
  const json::object neighbour_report = ReportJson("grannforbundet", 2022);

  json::value changed = DemoPlan();
  json::array& costs = YearOf(changed, "budget", 2022).at("kostnader").as_array();
  ASSERT_FALSE(costs.empty());
  costs.erase(costs.begin());
  changed.at("medlemmar").as_array().at(0).at("namn") = "Ändrat namn";
  const CommandResult replace = ImportText(json::serialize(changed), "hoglandet-ny.json");
  ASSERT_EQ(replace.exit_code, kExitOk) << replace.err;

  // Höglandet changed while its neighbour, which started from the same figures, did not.
  EXPECT_NE(Number(ReportJson("hoglandet", 2022).at("kostnader")),
            Number(neighbour_report.at("kostnader")));
  EXPECT_EQ(RowsOf(Dump(), "grannforbundet"), neighbour_rows);
  EXPECT_EQ(ReportJson("grannforbundet", 2022), neighbour_report);
}

TEST_F(PlanImport, ImportsAMinimalPlanWithDecimalAmountsAndNoEquity) {
  const CommandResult imported = Import(SourcePath("tests/data/plans/minimal.json").string());
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.err;
  const json::object report = ReportJson("minimal", 2024);
  EXPECT_EQ(report.at("underlag"), "budget");
  EXPECT_DOUBLE_EQ(Number(report.at("intakter")), 1000000);
  EXPECT_DOUBLE_EQ(Number(report.at("kostnader")), 1000000);
  EXPECT_DOUBLE_EQ(Number(report.at("resultat")), 0);
  EXPECT_TRUE(report.at("eget_kapital_in").is_null());
  EXPECT_TRUE(report.at("eget_kapital_ut").is_null());
  EXPECT_DOUBLE_EQ(Number(report.at("fordelning").at("individ")), 90.0);
  EXPECT_DOUBLE_EQ(Number(report.at("fordelning").at("administration")), 10.0);
  EXPECT_DOUBLE_EQ(Number(report.at("liv_andel")), 0.0);
  bool found_decimal_line = false;
  for (const json::value& row : report.at("rader").as_array()) {
    if (row.at("post") == "Steget") {
      found_decimal_line = true;
      EXPECT_DOUBLE_EQ(Number(row.at("belopp")), 900000.5);
    }
  }
  EXPECT_TRUE(found_decimal_line);
  bool warns_about_equity = false;
  for (const json::value& warning : report.at("varningar").as_array()) {
    warns_about_equity = warns_about_equity || warning.at("kod") == "eget_kapital_saknas";
  }
  EXPECT_TRUE(warns_about_equity) << json::serialize(report);
}

TEST_F(PlanImport, RejectsAMissingPlanFileAndLeavesTheDatabaseUnchanged) {
  const std::string before = Dump();
  const std::string missing = (directory_ / "finns-inte.json").string();
  const CommandResult result = Import(missing);
  EXPECT_EQ(result.exit_code, kExitBadInput);
  EXPECT_NE(result.err.find(missing), std::string::npos) << result.err;
  EXPECT_EQ(Dump(), before);
}

// One bad plan file: how to make it, where the error must point and what it must say.
struct BadPlan {
  std::string name;
  std::function<std::string()> content;
  std::string location;  // Printed after "FILE: ", e.g. "$.budget[0].ar" or "rad 3, kolumn 1".
  std::string message;   // A piece of the Swedish explanation.
};

void PrintTo(const BadPlan& plan, std::ostream* out) { *out << plan.name; }

std::string BadPlanName(const ::testing::TestParamInfo<BadPlan>& param) { return param.param.name; }

// The demo plan with one change applied.
std::function<std::string()> Mutated(std::function<void(json::value&)> mutation) {
  return [mutation] {
    json::value plan = DemoPlan();
    mutation(plan);
    return json::serialize(plan);
  };
}

std::function<std::string()> Literal(std::string text) {
  return [text] { return text; };
}

std::function<std::string()> Set(std::string pointer, json::value value) {
  return Mutated([pointer, value](json::value& plan) { plan.at_pointer(pointer) = value; });
}

std::function<std::string()> CopyFrom(std::string from, std::string to) {
  return Mutated([from, to](json::value& plan) { plan.at_pointer(to) = plan.at_pointer(from); });
}

const std::string kAmountMessage = "förväntade ett belopp i kronor";

const BadPlan kBadPlans[] = {
    {"TruncatedDemoFile",
     [] {
       const std::string text = DemoPlanText();
       return text.substr(0, text.size() / 2);
     },
     "rad ", "ogiltig JSON"},
    {"TruncatedObject", Literal("{\n  \"format\": \"stegvis-plan/1\",\n  \"forbund\": {\n"),
     "rad 4, kolumn 1", "ogiltig JSON"},
    {"TrailingComma", Literal("{\n  \"format\": \"stegvis-plan/1\",\n}\n"), "rad 3, kolumn 1",
     "ogiltig JSON"},
    {"ExtraClosingBrace", Literal("{\"format\": \"stegvis-plan/1\"}\n}\n"), "rad 2, kolumn 1",
     "ogiltig JSON"},
    {"EmptyFile", Literal(""), "rad 1, kolumn 1", "ogiltig JSON"},
    {"WrongFormatTag", Set("/format", "stegvis-plan/2"), "$.format",
     "förväntade \"stegvis-plan/1\", fick \"stegvis-plan/2\""},
    {"MissingFormat", Mutated([](json::value& plan) { plan.as_object().erase("format"); }),
     "$.format", "saknas"},
    {"UnknownMemberInIncome", Set("/budget/0/intakter/0/medlem", "okand-medlem"),
     "$.budget[0].intakter[0].medlem", "okänd medlem \"okand-medlem\""},
    {"UnknownInsatsInCostLine", Set("/budget/0/kostnader/0/insats", "okand-insats"),
     "$.budget[0].kostnader[0].insats", "okänd insats \"okand-insats\""},
    {"DuplicateMemberId", CopyFrom("/medlemmar/0/id", "/medlemmar/1/id"), "$.medlemmar[1].id",
     "finns redan"},
    {"DuplicateInsatsId", CopyFrom("/insatser/0/id", "/insatser/1/id"), "$.insatser[1].id",
     "finns redan"},
    {"NegativeAmount", Set("/budget/0/kostnader/0/belopp", -100), "$.budget[0].kostnader[0].belopp",
     kAmountMessage},
    {"TextAmount", Set("/budget/0/kostnader/0/belopp", "abc"), "$.budget[0].kostnader[0].belopp",
     kAmountMessage},
    {"AmountWithSpaces", Set("/budget/0/kostnader/0/belopp", "1 000"),
     "$.budget[0].kostnader[0].belopp", kAmountMessage},
    {"AmountWithThreeDecimals", Set("/budget/0/kostnader/0/belopp", 12.345),
     "$.budget[0].kostnader[0].belopp", kAmountMessage},
    // A large amount gets no rounding tolerance: a third decimal is refused there too.
    {"LargeAmountWithThreeDecimals", Set("/budget/0/kostnader/0/belopp", 3800000.125),
     "$.budget[0].kostnader[0].belopp", kAmountMessage},
    {"UnknownCostCategory", Set("/budget/0/kostnader/0/kategori", "okand"),
     "$.budget[0].kostnader[0].kategori", "förväntade en av individ, struktur, administration, ny"},
    {"UnknownMemberType", Set("/medlemmar/0/typ", "landsting"), "$.medlemmar[0].typ",
     "förväntade en av kommun, region, fk, af, stat"},
    {"YearBefore2000", Set("/budget/0/ar", 1999), "$.budget[0].ar",
     "år 1999 utanför tillåtet intervall"},
    {"YearAfter2099", Set("/budget/0/ar", 2100), "$.budget[0].ar",
     "år 2100 utanför tillåtet intervall"},
    {"DuplicateBudgetYear", CopyFrom("/budget/0/ar", "/budget/1/ar"), "$.budget[1].ar",
     "förekommer två gånger i budget"},
    {"UnknownKey", Mutated([](json::value& plan) {
       json::object& year = plan.at_pointer("/budget/0").as_object();
       year["kostander"] = year.at("kostnader");
       year.erase("kostnader");
     }),
     "$.budget[0].kostander", "okänd nyckel"},
    {"EndDateBeforeStartDate", Mutated([](json::value& plan) {
       plan.at_pointer("/insatser/0/start") = "2022-06-01";
       plan.at_pointer("/insatser/0/slut") = "2022-05-31";
     }),
     "$.insatser[0].slut", "slutdatum 2022-05-31 är före startdatum 2022-06-01"},
    {"InvalidDate", Set("/insatser/0/start", "2022-02-30"), "$.insatser[0].start",
     "förväntade ett datum ÅÅÅÅ-MM-DD"},
    {"InvalidIdCharacters", Set("/forbund/id", "Höglandet"), "$.forbund.id",
     "ogiltigt id \"Höglandet\""},
};

class PlanImportRejection : public PlanImport, public ::testing::WithParamInterface<BadPlan> {};

TEST_P(PlanImportRejection, NamesThePlaceAndLeavesTheDatabaseUnchanged) {
  const BadPlan& bad = GetParam();
  const std::string before = Dump();
  const std::filesystem::path file = directory_ / "felaktig-plan.json";
  WriteFile(file, bad.content());

  const CommandResult result = Import(file.string());

  EXPECT_EQ(result.exit_code, kExitBadInput) << result.out << result.err;
  EXPECT_TRUE(result.err.starts_with("fel: ")) << result.err;
  EXPECT_NE(result.err.find(file.string() + ": " + bad.location), std::string::npos)
      << "expected the place \"" << file.string() << ": " << bad.location << "\" in:\n"
      << result.err;
  EXPECT_NE(result.err.find(bad.message), std::string::npos)
      << "expected \"" << bad.message << "\" in:\n"
      << result.err;
  EXPECT_EQ(Dump(), before);
}

INSTANTIATE_TEST_SUITE_P(BadPlanFiles, PlanImportRejection, ::testing::ValuesIn(kBadPlans),
                         BadPlanName);

TEST(CliUsage, ImportIntoAMissingDatabaseTellsToRunInit) {
  TempDir directory;
  const std::string database = (directory / "saknas.db").string();
  const CommandResult result =
      Stegvis({"import", "plan", "--db", database, SourcePath("demo/hoglandet.json").string()});
  EXPECT_EQ(result.exit_code, kExitBadInput);
  EXPECT_NE(result.err.find("stegvis init"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(database));
}

TEST(CliUsage, CommandsWithoutDbAreUsageErrors) {
  const std::string plan = SourcePath("demo/hoglandet.json").string();
  const std::vector<std::vector<std::string>> commands = {
      {"init"},
      {"import", "plan", plan},
      {"report", "ekonomi", "--forbund", "hoglandet", "--ar", "2022"},
      {"demo"},
  };
  for (const std::vector<std::string>& command : commands) {
    SCOPED_TRACE(command.front());
    const CommandResult result = Stegvis(command);
    EXPECT_EQ(result.exit_code, kExitUsage);
    EXPECT_NE(result.err.find("--db"), std::string::npos) << result.err;
  }
}

TEST(CliUsage, UnknownCommandsAreUsageErrors) {
  TempDir directory;
  const std::string database = (directory / "stegvis.db").string();
  const std::vector<std::vector<std::string>> commands = {
      {},
      {"frobnicate"},
      {"import", "budget", "--db", database, "plan.json"},
      {"report", "resultat", "--db", database},
  };
  for (const std::vector<std::string>& command : commands) {
    SCOPED_TRACE(command.empty() ? "(nothing)" : command.front() + " " + command.back());
    const CommandResult result = Stegvis(command);
    EXPECT_EQ(result.exit_code, kExitUsage) << result.err;
    EXPECT_NE(result.err.find("stegvis --help"), std::string::npos) << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(database));
}

TEST(CliUsage, UnknownReportFormatIsAUsageError) {
  TempDir directory;
  const std::string database = (directory / "stegvis.db").string();
  const CommandResult result = Stegvis({"report", "ekonomi", "--db", database, "--forbund",
                                        "hoglandet", "--ar", "2022", "--format", "xml"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_NE(result.err.find("--format"), std::string::npos) << result.err;
}

TEST(CliDemo, PrintsTheHoglandetEconomy) {
  TempDir directory;
  const std::string database = (directory / "demo.db").string();
  const CommandResult demo = Stegvis({"demo", "--db", database});
  EXPECT_EQ(demo.exit_code, kExitOk) << demo.err;
  EXPECT_NE(demo.out.find("8 054 000"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("-248 500"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("426 955"), std::string::npos) << demo.out;
  EXPECT_TRUE(std::filesystem::exists(database));
}

TEST(CliDemo, RunsAgainOnItsOwnDatabase) {
  TempDir directory;
  const std::string database = (directory / "demo.db").string();
  ASSERT_EQ(Stegvis({"demo", "--db", database}).exit_code, kExitOk);
  const std::string before = DumpDatabase(database, stegvis::testing::AuditRows::kExclude);
  const CommandResult again = Stegvis({"demo", "--db", database});
  EXPECT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_NE(again.out.find("Ersatte plan"), std::string::npos) << again.out;
  EXPECT_EQ(DumpDatabase(database, stegvis::testing::AuditRows::kExclude), before);
}

}  // namespace
}  // namespace stegvis::testing
