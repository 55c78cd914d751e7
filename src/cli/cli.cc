#include "cli/cli.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "export/economy_export.h"
#include "export/json_text.h"
#include "service/demo_data.h"
#include "service/plan_service.h"

namespace stegvis::cli {

namespace {

using util::Language;

enum class OutputFormat { kText, kJson, kCsv };

struct Options {
  std::string db;
  std::string language = "sv";
  std::string file;
  std::string forbund;
  int year = 0;
  std::string format = "text";
};

Language LanguageOf(const Options& options) {
  return options.language == "en" ? Language::kEnglish : Language::kSwedish;
}

int Report(const Environment& environment, const Options& options, const util::Error& error) {
  const Language language = LanguageOf(options);
  environment.err << (language == Language::kEnglish ? "error: " : "fel: ")
                  << error.Render(language) << "\n";
  return ExitCodeFor(error);
}

util::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return util::Fail(util::Code::kNotFound, path, "filen kan inte läsas",
                      "the file cannot be read");
  }
  return std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

util::Result<std::unique_ptr<store::Store>> Open(const Environment& environment,
                                                 const Options& options, StoreMode mode) {
  return environment.open_store(options.db, mode);
}

int RunInit(const Environment& environment, const Options& options) {
  auto store = Open(environment, options, StoreMode::kCreateIfMissing);
  if (!store) return Report(environment, options, store.error());
  environment.out << (LanguageOf(options) == Language::kEnglish ? "Database ready: "
                                                                : "Databasen är klar: ")
                  << options.db << "\n";
  return kExitOk;
}

void PrintImportSummary(const Environment& environment, const Options& options,
                        const service::PlanImportSummary& summary) {
  if (LanguageOf(options) == Language::kEnglish) {
    environment.out << fmt::format(
        "{} plan for {} ({}): {} members, {} interventions, {} budget years, {} outcome "
        "years.\n",
        summary.replaced ? "Replaced" : "Imported", summary.forbund_name, summary.forbund_id,
        summary.members, summary.insatser, summary.budget_years, summary.outcome_years);
  } else {
    environment.out << fmt::format(
        "{} plan för {} ({}): {} medlemmar, {} insatser, {} budgetår, {} utfallsår.\n",
        summary.replaced ? "Ersatte" : "Importerade", summary.forbund_name, summary.forbund_id,
        summary.members, summary.insatser, summary.budget_years, summary.outcome_years);
  }
}

int RunImportPlan(const Environment& environment, const Options& options) {
  auto content = ReadFile(options.file);
  if (!content) return Report(environment, options, content.error());
  auto store = Open(environment, options, StoreMode::kMustExist);
  if (!store) return Report(environment, options, store.error());
  service::PlanService plans(**store);
  auto summary = plans.ImportPlan(options.file, *content);
  if (!summary) return Report(environment, options, summary.error());
  PrintImportSummary(environment, options, *summary);
  return kExitOk;
}

int RunEconomyReport(const Environment& environment, const Options& options) {
  auto store = Open(environment, options, StoreMode::kMustExist);
  if (!store) return Report(environment, options, store.error());
  service::PlanService plans(**store);
  auto report = plans.Economy(options.forbund, options.year);
  if (!report) return Report(environment, options, report.error());
  const Language language = LanguageOf(options);
  if (options.format == "json") {
    environment.out << exporting::ToJsonText(exporting::EconomyToJson(*report, language));
  } else if (options.format == "csv") {
    environment.out << exporting::EconomyToCsv(*report, language);
  } else {
    environment.out << exporting::EconomyToText(*report, language);
  }
  return kExitOk;
}

int RunDemo(const Environment& environment, const Options& options) {
  auto store = Open(environment, options, StoreMode::kCreateIfMissing);
  if (!store) return Report(environment, options, store.error());
  service::PlanService plans(**store);
  for (const service::DemoFile& file : service::DemoPlanFiles()) {
    auto summary = plans.ImportPlan(file.name, file.content);
    if (!summary) return Report(environment, options, summary.error());
    PrintImportSummary(environment, options, *summary);
  }
  environment.out << "\n";
  const Language language = LanguageOf(options);
  for (int year : {2022, 2023}) {
    auto report = plans.Economy("hoglandet", year);
    if (!report) return Report(environment, options, report.error());
    environment.out << exporting::EconomyToText(*report, language) << "\n";
  }
  return kExitOk;
}

}  // namespace

int ExitCodeFor(const util::Error& error) {
  switch (error.code) {
    case util::Code::kInvalidArgument:
    case util::Code::kNotFound:
    case util::Code::kAlreadyExists:
    case util::Code::kFailedPrecondition:
    case util::Code::kPermissionDenied:
    case util::Code::kUnauthenticated:
      return kExitBadInput;
    case util::Code::kUnavailable:
    case util::Code::kInternal:
      return kExitSystem;
  }
  return kExitSystem;
}

int Run(int argc, const char* const* argv, const Environment& environment) {
  Options options;
  if (const char* language = std::getenv("STEGVIS_LANG")) options.language = language;

  CLI::App app{"stegvis — uppföljning för samordningsförbund", "stegvis"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--lang", options.language, "Språk för utskrifter: sv eller en")
      ->check(CLI::IsMember({"sv", "en"}));

  auto add_db = [&](CLI::App* command) {
    command->add_option("--db", options.db, "Databasfil (SQLite)")->required();
  };

  CLI::App* init = app.add_subcommand("init", "Skapa en ny databas");
  add_db(init);

  CLI::App* import = app.add_subcommand("import", "Importera en fil");
  import->require_subcommand(1);
  CLI::App* import_plan = import->add_subcommand("plan", "Importera en planfil (stegvis-plan/1)");
  add_db(import_plan);
  import_plan->add_option("FILE", options.file, "Planfil i JSON")->required();

  CLI::App* report = app.add_subcommand("report", "Skriv ut en rapport");
  report->require_subcommand(1);
  CLI::App* economy = report->add_subcommand("ekonomi", "Ekonomirapport för ett år");
  add_db(economy);
  economy->add_option("--forbund", options.forbund, "Förbundets id")->required();
  economy->add_option("--ar", options.year, "År")->required()->check(CLI::Range(1900, 2200));
  economy->add_option("--format", options.format, "Format: text, json eller csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

  CLI::App* demo = app.add_subcommand("demo", "Skapa demodatabasen och skriv ut demorapporter");
  add_db(demo);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    environment.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& help) {
    environment.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    environment.err << "fel: " << error.what() << "\n"
                    << "Se stegvis --help\n";
    return kExitUsage;
  }

  if (init->parsed()) return RunInit(environment, options);
  if (import_plan->parsed()) return RunImportPlan(environment, options);
  if (economy->parsed()) return RunEconomyReport(environment, options);
  if (demo->parsed()) return RunDemo(environment, options);
  return kExitUsage;
}

}  // namespace stegvis::cli
