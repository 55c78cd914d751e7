#include "cli/cli.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/config_file.h"
#include "export/economy_export.h"
#include "export/json_text.h"
#include "export/participants_export.h"
#include "export/report_charts.h"
#include "http/server.h"
#include "http/web_app.h"
#include "privacy/pseudonymizer.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/database_backup.h"
#include "service/database_copy.h"
#include "service/demo_data.h"
#include "service/participant_service.h"
#include "service/plan_service.h"
#include "service/report_service.h"
#include "util/database_url.h"

namespace stegvis::cli {

namespace {

using util::Language;

enum class OutputFormat { kText, kJson, kCsv };

struct Options {
  std::string config;  // The configuration file, if any (--config or STEGVIS_CONFIG).
  std::string db;
  std::string key;            // Empty: beside the database.
  std::size_t pool_size = 0;  // 0: the backend's default.
  std::size_t generate = 0;
  std::uint64_t seed = 1;
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string account_name;
  std::string role;
  std::vector<std::string> insatser;
  bool password_from_stdin = false;
  std::string report_name;
  std::string from;
  std::string to;
  std::string insats;
  bool publik = false;
  std::string language = "sv";
  std::string file;
  std::string backup;  // The backup set's database file (backup --to, restore --from).
  std::string forbund;
  int year = 0;
  int half = 0;  // 1 or 2 with --ar: that half-year.
  std::string format = "text";
  std::string copy_from;
  std::string copy_to;
  std::string to_key;  // Empty: beside the target database.
};

Language LanguageOf(const Options& options) {
  return options.language == "en" ? Language::kEnglish : Language::kSwedish;
}

const service::Actor kOperator = service::Actor::LocalOperator();

// The database as it may be printed: a URL or conninfo without its password.
std::string Shown(const std::string& database) { return util::WithoutPassword(database); }

int ReportError(const Environment& environment, const Options& options, const util::Error& error) {
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

// The services on the database of --db with the key of --key; the command line acts as the
// local operator.
util::Result<std::unique_ptr<service::Services>> Open(const Environment& environment,
                                                      const Options& options, StoreMode mode) {
  return environment.open_services(
      service::Configuration{options.db, options.key, options.pool_size}, mode);
}

int RunInit(const Environment& environment, const Options& options) {
  // A new database gets a new key; an existing one is only checked against its own key.
  auto services = Open(environment, options, StoreMode::kCreateIfMissing);
  if (!services) return ReportError(environment, options, services.error());
  environment.out << (LanguageOf(options) == Language::kEnglish ? "Database ready: "
                                                                : "Databasen är klar: ")
                  << Shown(options.db) << "\n";
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
  if (!content) return ReportError(environment, options, content.error());
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  service::PlanService& plans = (*services)->plans;
  auto summary = plans.ImportPlan(kOperator, options.file, *content);
  if (!summary) return ReportError(environment, options, summary.error());
  PrintImportSummary(environment, options, *summary);
  return kExitOk;
}

enum class ParticipantFile { kDeltagare, kMatningar, kUppfoljningar };

int RunImportParticipants(const Environment& environment, const Options& options,
                          ParticipantFile kind) {
  auto content = ReadFile(options.file);
  if (!content) return ReportError(environment, options, content.error());
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  service::ParticipantService& participants = (*services)->participants;
  auto summary =
      kind == ParticipantFile::kDeltagare
          ? participants.ImportDeltagare(kOperator, options.forbund, options.file, *content)
      : kind == ParticipantFile::kMatningar
          ? participants.ImportMatningar(kOperator, options.forbund, options.file, *content)
          : participants.ImportUppfoljningar(kOperator, options.forbund, options.file, *content);
  if (!summary) return ReportError(environment, options, summary.error());
  if (LanguageOf(options) == Language::kEnglish) {
    environment.out << fmt::format("Imported {}: {} rows, {} new, {} updated.\n", options.file,
                                   summary->rows, summary->created, summary->updated);
  } else {
    environment.out << fmt::format("Importerade {}: {} rader, {} nya, {} uppdaterade.\n",
                                   options.file, summary->rows, summary->created, summary->updated);
  }
  return kExitOk;
}

int RunWithdrawConsent(const Environment& environment, const Options& options) {
  // The identifier comes on standard input so that it stays out of shell history and the
  // process list.
  std::string identifier;
  std::getline(environment.in, identifier);
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  service::ParticipantService& participants = (*services)->participants;
  auto count = participants.WithdrawConsent(kOperator, options.forbund, identifier);
  if (!count) return ReportError(environment, options, count.error());
  environment.out << (LanguageOf(options) == Language::kEnglish
                          ? fmt::format("Consent withdrawn: {} enrolments anonymised.\n", *count)
                          : fmt::format("Samtycket återkallat: {} inskrivningar anonymiserade.\n",
                                        *count));
  return kExitOk;
}

int RunEconomyReport(const Environment& environment, const Options& options) {
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  service::PlanService& plans = (*services)->plans;
  auto report = plans.Economy(kOperator, options.forbund, options.year);
  if (!report) return ReportError(environment, options, report.error());
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

int RunAddAccount(const Environment& environment, const Options& options) {
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  service::NewAccount account;
  account.name = options.account_name;
  account.role = *core::ParseRole(options.role);
  if (!options.forbund.empty()) account.forbund_id = options.forbund;
  account.insats_ids = options.insatser;
  if (options.password_from_stdin) std::getline(environment.in, account.password);
  auto password = (*services)->accounts.AddAccount(kOperator, account);
  if (!password) return ReportError(environment, options, password.error());
  const bool english = LanguageOf(options) == Language::kEnglish;
  environment.out << fmt::format(
      fmt::runtime(english ? "Account {} ({}) added.\n" : "Kontot {} ({}) är tillagt.\n"),
      options.account_name, options.role);
  if (!options.password_from_stdin) {
    environment.out << (english ? "Password (shown once): " : "Lösenord (visas en gång): ")
                    << *password << "\n";
  }
  return kExitOk;
}

// Prints the outcome of an audit verification; the exit code says whether the chain holds.
int ReportAuditVerification(const Environment& environment, const Options& options,
                            const service::AuditVerification& result) {
  const bool english = LanguageOf(options) == Language::kEnglish;
  if (result.broken) {
    environment.err << fmt::format(
        fmt::runtime(english ? "error: the audit log is broken at entry {}: an entry was "
                               "changed or deleted\n"
                             : "fel: granskningsloggen är bruten vid post {}: en post har ändrats "
                               "eller tagits bort\n"),
        *result.broken);
    return kExitBadInput;
  }
  if (result.head_forged) {
    environment.err << (english ? "error: the audit log's head noted beside the key has been "
                                  "changed (its MAC does not hold)\n"
                                : "fel: granskningsloggens ände bredvid nyckeln har ändrats (dess "
                                  "MAC stämmer inte)\n");
    return kExitBadInput;
  }
  if (result.truncated || result.head_missing) {
    environment.err << (english
                            ? "error: the audit log is broken at its end: the head noted beside "
                              "the key is not in the chain (the newest entries were deleted), or "
                              "no head was noted\n"
                            : "fel: granskningsloggen är bruten i slutet: änden som noterats "
                              "bredvid nyckeln finns inte i kedjan (de senaste posterna har "
                              "tagits bort), eller så har ingen ände noterats\n");
    return kExitBadInput;
  }
  environment.out << fmt::format(
      fmt::runtime(english ? "The audit log is intact: {} entries, last hash {}.\n"
                           : "Granskningsloggen är hel: {} poster, senaste hash {}.\n"),
      result.entries, result.head_hash);
  return kExitOk;
}

int RunAuditVerify(const Environment& environment, const Options& options) {
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  auto result = (*services)->audit.Verify((*services)->pool());
  if (!result) return ReportError(environment, options, result.error());
  return ReportAuditVerification(environment, options, *result);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int RunBackup(const Environment& environment, const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  // Opened through the normal path first, so that a key that is not the database's own
  // stops the backup: a backup with a foreign key could never be restored.
  if (auto services = Open(environment, options, StoreMode::kMustExist); !services) {
    return ReportError(environment, options, services.error());
  }
  const service::Configuration database{options.db, options.key};
  if (auto backed_up =
          service::BackUpDatabase(database, options.backup, environment.back_up_database);
      !backed_up) {
    return ReportError(environment, options, backed_up.error());
  }
  const service::Configuration set = service::BackupSet(options.backup);
  const bool english = LanguageOf(options) == Language::kEnglish;
  std::error_code ignored;
  environment.out << fmt::format(
      fmt::runtime(english ? "Backup done in {:.1f} s:\n  {}  the database\n  {}  its key\n"
                           : "Säkerhetskopian är klar på {:.1f} s:\n  {}  databasen\n  {}  "
                             "dess nyckel\n"),
      SecondsSince(started), set.database, set.KeyFile());
  if (std::filesystem::exists(set.AuditHeadFile(), ignored)) {
    environment.out << fmt::format(
        fmt::runtime(english ? "  {}  the audit log's head\n" : "  {}  granskningsloggens ände\n"),
        set.AuditHeadFile());
  }
  environment.out << (english ? "Keep a copy of the key apart from the database.\n"
                              : "Förvara en kopia av nyckeln åtskild från databasen.\n");
  return kExitOk;
}

int RunRestore(const Environment& environment, const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<service::AuditVerification> verification;
  // The restored database is opened through the normal path (its key's fingerprint checked)
  // and its audit chain verified before the restore counts as done.
  auto check = [&environment, &verification](const service::Configuration& restored) {
    return environment.open_services(restored, StoreMode::kMustExist)
        .and_then([&verification](const std::unique_ptr<service::Services>& services) {
          return services->audit.Verify(services->pool())
              .map([&verification](service::AuditVerification result) {
                verification = std::move(result);
              });
        });
  };
  const service::Configuration database{options.db, options.key};
  if (auto restored =
          service::RestoreDatabase(options.backup, database, environment.restore_database, check);
      !restored) {
    return ReportError(environment, options, restored.error());
  }
  environment.out << fmt::format(
      fmt::runtime(LanguageOf(options) == Language::kEnglish
                       ? "Restored {} into {} (key {}) in {:.1f} s.\n"
                       : "Återställde {} till {} (nyckel {}) på {:.1f} s.\n"),
      options.backup, Shown(database.database), database.KeyFile(), SecondsSince(started));
  return ReportAuditVerification(environment, options, *verification);
}

int RunServe(const Environment& environment, const Options& options) {
  const std::size_t colon = options.listen.rfind(':');
  int port = -1;
  try {
    if (colon != std::string::npos) port = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    environment.err << "fel: --listen ska vara ADRESS:PORT, t.ex. 127.0.0.1:8080\n";
    return kExitUsage;
  }
  // Open the database before listening, so that a wrong path or key fails at once.
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  http::WebApp app(**services, http::WebOptions{environment.today, false});
  http::ServerOptions server_options;
  server_options.address = options.listen.substr(0, colon);
  server_options.port = static_cast<unsigned short>(port);
  server_options.threads = options.threads;
  auto server = http::Server::Start(
      server_options, [&app](const http::Request& request, const std::string& address) {
        return app.Handle(request, address);
      });
  if (!server) return ReportError(environment, options, server.error());
  environment.out << fmt::format("stegvis lyssnar på http://{}:{}/ (avsluta med Ctrl-C)\n",
                                 server_options.address, (*server)->port())
                  << std::flush;
  (*server)->RunUntilSignalled();
  environment.out << "stegvis har stängt av.\n";
  return kExitOk;
}

int RunGenerate(const Environment& environment, const Options& options) {
  auto services = Open(environment, options, StoreMode::kCreateIfMissing);
  if (!services) return ReportError(environment, options, services.error());
  const bool terminal = environment.err_is_terminal;
  const std::size_t total = options.generate;
  const service::SyntheticOptions synthetic{options.forbund, total, options.seed};
  auto created = (*services)->participants.CreateSyntheticForbund(
      kOperator, synthetic, [&environment, terminal, total](std::size_t done) {
        if (!terminal || total == 0) return;
        constexpr std::size_t kWidth = 40;
        const std::size_t filled = done * kWidth / total;
        environment.err << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ')
                        << "] " << done << "/" << total << std::flush;
      });
  if (terminal) environment.err << "\n";
  if (!created) return ReportError(environment, options, created.error());
  environment.out << (LanguageOf(options) == Language::kEnglish
                          ? fmt::format("Generated förbund {} with {} enrolments (seed {}).\n",
                                        options.forbund, total, options.seed)
                          : fmt::format("Skapade förbundet {} med {} inskrivningar (frö {}).\n",
                                        options.forbund, total, options.seed));
  return kExitOk;
}

// Copies --from to a new, empty --to. Both stores are opened raw (no key bound: binding would
// write a fingerprint into the empty target, which the copy would then refuse); the source's
// key is checked against its fingerprint and travels to the target's key path with the audit
// head. On failure the target is as before: a database and files this command created are
// removed again.
int RunCopy(const Environment& environment, const Options& options) {
  const service::Configuration from{options.copy_from, options.key};
  const service::Configuration to{options.copy_to, options.to_key};
  auto source = environment.open_store(from.database, StoreMode::kMustExist);
  if (!source) return ReportError(environment, options, source.error());
  auto files = service::CopyFiles::Prepare(from, to, *source->store);
  if (!files) return ReportError(environment, options, files.error());
  auto target = environment.open_store(to.database, StoreMode::kCreateIfMissing);
  if (!target) {
    files->RemoveCreated();
    return ReportError(environment, options, target.error());
  }
  const bool english = LanguageOf(options) == Language::kEnglish;
  const bool terminal = environment.err_is_terminal;
  auto summary = service::CopyDatabase(
      *source->store, *target->store,
      [&environment, terminal, english](std::string_view table, std::int64_t rows) {
        if (!terminal) return;
        environment.err << fmt::format(fmt::runtime(english ? "\r{:20} {:>10} rows"
                                                            : "\r{:20} {:>10} rader"),
                                       table, rows)
                        << std::flush;
      });
  if (terminal) environment.err << "\n";
  if (!summary) {
    const bool created = target->created;
    target->store.reset();
    if (created) environment.remove_database(to.database);
    files->RemoveCreated();
    return ReportError(environment, options, summary.error());
  }
  environment.out << fmt::format(
      fmt::runtime(english ? "Copied {} to {}: {} rows in {} tables, checked against the "
                             "source.\n"
                           : "Kopierade {} till {}: {} rader i {} tabeller, kontrollerade mot "
                             "källan.\n"),
      Shown(from.database), Shown(to.database), summary->rows, summary->tables.size());
  for (const service::CopiedTable& table : summary->tables) {
    environment.out << fmt::format("  {:20} {:>10}\n", table.name, table.rows);
  }
  environment.out << fmt::format(
      fmt::runtime(english ? "The copy's key file: {} (back it up with the database, kept "
                             "apart from it).\n"
                           : "Kopians nyckelfil: {} (säkerhetskopiera den med databasen, "
                             "förvarad åtskild från den).\n"),
      to.KeyFile());
  return kExitOk;
}

// Demo accounts: one per role, with one shared password that the demo prints.
inline constexpr std::string_view kDemoPassword = "stegvis-demo-2026";

util::Status AddDemoAccounts(service::Services& services, std::ostream& out) {
  const std::vector<service::NewAccount> accounts = {
      {"admin", core::Role::kSystemadministrator, std::nullopt, {}, std::string(kDemoPassword)},
      {"kansli.hoglandet",
       core::Role::kForbundsadministrator,
       "hoglandet",
       {},
       std::string(kDemoPassword)},
      {"coach.se",
       core::Role::kDeltagaransvarig,
       "hoglandet",
       {"se-hoglandet"},
       std::string(kDemoPassword)},
      {"styrelse.hoglandet",
       core::Role::kRapportlasare,
       "hoglandet",
       {},
       std::string(kDemoPassword)},
      {"nationell", core::Role::kNationell, std::nullopt, {}, std::string(kDemoPassword)},
  };
  out << fmt::format("Demokonton (lösenord {}):\n", kDemoPassword);
  for (const service::NewAccount& account : accounts) {
    auto added = services.accounts.AddAccount(kOperator, account);
    // A demo database that is run again keeps its accounts.
    if (!added && added.error().code != util::Code::kAlreadyExists)
      return util::Fail(added.error());
    out << fmt::format("  {:20} {}\n", account.name, core::RoleCode(account.role));
  }
  return util::Ok();
}

util::Result<report::Period> PeriodOf(const Options& options) {
  if (options.year != 0 && options.half != 0) {
    return report::Period::HalfYear(options.year, options.half);
  }
  if (options.year != 0) return report::Period::Year(options.year);
  std::optional<util::Date> from = util::Date::Parse(options.from);
  std::optional<util::Date> to = util::Date::Parse(options.to);
  if (!from || !to) {
    return util::Fail(util::Code::kInvalidArgument, from ? "--till" : "--fran",
                      "förväntade ett datum ÅÅÅÅ-MM-DD", "expected a date YYYY-MM-DD");
  }
  return report::Period{*from, *to};
}

int RunParticipantReport(const Environment& environment, const Options& options) {
  auto services = Open(environment, options, StoreMode::kMustExist);
  if (!services) return ReportError(environment, options, services.error());
  auto period = PeriodOf(options);
  if (!period) return ReportError(environment, options, period.error());
  service::ReportService& reports = (*services)->reports;
  auto name = reports.ForbundName(kOperator, options.forbund);
  if (!name) return ReportError(environment, options, name.error());
  const exporting::ReportContext context{options.forbund, *name, LanguageOf(options)};
  service::ReportRequest request{
      options.forbund, *period,
      options.publik ? report::Audience::kPublic : report::Audience::kRecordAccess,
      options.insats.empty() ? std::nullopt : std::optional<std::string>(options.insats)};
  auto report = reports.Build(kOperator, options.report_name, request);
  if (!report) return ReportError(environment, options, report.error());
  const exporting::RenderedReport rendered = exporting::RenderReport(*report, context);
  if (options.format == "json") {
    environment.out << exporting::ToJsonText(rendered.json);
  } else if (options.format == "csv") {
    environment.out << exporting::RenderedCsv(rendered, LanguageOf(options));
  } else {
    environment.out << exporting::ReportHeading(rendered.title, rendered.period, rendered.audience,
                                                rendered.suppression_k, context)
                    << exporting::RenderText(rendered.table);
    if (!rendered.after_table.empty()) environment.out << "\n" << rendered.after_table << "\n";
  }
  return kExitOk;
}

const service::DemoFile* FindDemoFile(std::string_view name) {
  for (const service::DemoFile& file : service::DemoFiles()) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

int RunDemo(const Environment& environment, const Options& options) {
  auto opened = Open(environment, options, StoreMode::kCreateIfMissing);
  if (!opened) return ReportError(environment, options, opened.error());
  service::Services& services = **opened;
  service::PlanService& plans = services.plans;
  service::ParticipantService& participants = services.participants;
  const Language language = LanguageOf(options);
  for (const service::DemoFile& file : service::DemoFiles()) {
    if (!file.name.ends_with(".json")) continue;
    auto summary = plans.ImportPlan(kOperator, file.name, file.content);
    if (!summary) return ReportError(environment, options, summary.error());
    PrintImportSummary(environment, options, *summary);
    // The demo database is rebuilt from scratch, so participants are imported once.
    auto existing = services.participants.HasEnrolments(kOperator, summary->forbund_id);
    if (!existing) return ReportError(environment, options, existing.error());
    if (*existing) continue;
    using Import = util::Result<service::ParticipantImportSummary> (service::ParticipantService::*)(
        const service::Actor&, std::string_view, std::string_view, std::string_view);
    for (const auto& [kind, import] : std::vector<std::pair<std::string, Import>>{
             {"deltagare", &service::ParticipantService::ImportDeltagare},
             {"matningar", &service::ParticipantService::ImportMatningar},
             {"uppfoljningar", &service::ParticipantService::ImportUppfoljningar}}) {
      const std::string name = summary->forbund_id + "-" + kind + ".csv";
      const service::DemoFile* csv = FindDemoFile(name);
      if (csv == nullptr) continue;
      auto imported =
          (participants.*import)(kOperator, summary->forbund_id, csv->name, csv->content);
      if (!imported) return ReportError(environment, options, imported.error());
      environment.out << fmt::format("  {}: {} rader\n", name, imported->rows);
    }
  }
  environment.out << "\n";
  for (int year : {2022, 2023}) {
    auto report = plans.Economy(kOperator, "hoglandet", year);
    if (!report) return ReportError(environment, options, report.error());
    environment.out << exporting::EconomyToText(*report, language) << "\n";
  }
  service::ReportService& reports = services.reports;
  const exporting::ReportContext context{"sodra-vatterbygden",
                                         "Samordningsförbundet Södra Vätterbygden", language};
  const service::ReportRequest request{"sodra-vatterbygden", report::Period::Year(2023),
                                       report::Audience::kRecordAccess, std::nullopt};
  auto deltagare = reports.Deltagare(kOperator, request);
  if (!deltagare) return ReportError(environment, options, deltagare.error());
  environment.out << exporting::ReportHeading(
                         language == Language::kEnglish ? "Participants" : "Deltagare",
                         deltagare->period, deltagare->audience, deltagare->suppression_k, context)
                  << exporting::RenderText(exporting::DeltagareTable(*deltagare, context)) << "\n";
  auto steg = reports.Steg(kOperator, request);
  if (!steg) return ReportError(environment, options, steg.error());
  environment.out << exporting::ReportHeading(
                         language == Language::kEnglish ? "Movement on the ladder"
                                                        : "Stegförflyttning",
                         steg->period, steg->audience, steg->suppression_k, context)
                  << exporting::RenderText(exporting::StegTable(*steg, context)) << "\n";
  if (auto added = AddDemoAccounts(services, environment.out); !added) {
    return ReportError(environment, options, added.error());
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
  // Global options such as --lang may also follow the subcommand.
  app.fallthrough(true);
  app.option_defaults()->always_capture_default();
  app.add_option("--lang", options.language, "Språk för utskrifter: sv eller en")
      ->check(CLI::IsMember({"sv", "en"}));

  app.add_option("--config", options.config,
                 "Konfigurationsfil (TOML) med databas, nyckelfil och server; förval: "
                 "miljövariabeln STEGVIS_CONFIG");
  auto add_db = [&](CLI::App* command) {
    command->add_option("--db", options.db,
                        "Databasfil (SQLite) eller postgresql://-adress; förval: konfigurationen");
    command->add_option("--key", options.key,
                        "Databasens nyckelfil (förval: konfigurationen, annars databasfilen med "
                        ".key efter)");
  };

  CLI::App* init = app.add_subcommand("init", "Skapa en ny databas");
  add_db(init);

  CLI::App* import = app.add_subcommand("import", "Importera en fil");
  import->require_subcommand(1);
  CLI::App* import_plan = import->add_subcommand("plan", "Importera en planfil (stegvis-plan/1)");
  add_db(import_plan);
  import_plan->add_option("FILE", options.file, "Planfil i JSON")->required();

  CLI::App* import_deltagare =
      import->add_subcommand("deltagare", "Importera deltagare.csv (en rad per inskrivning)");
  CLI::App* import_matningar = import->add_subcommand("matningar", "Importera matningar.csv");
  CLI::App* import_uppfoljningar =
      import->add_subcommand("uppfoljningar", "Importera uppfoljningar.csv");
  for (CLI::App* command : {import_deltagare, import_matningar, import_uppfoljningar}) {
    add_db(command);
    command->add_option("--forbund", options.forbund, "Förbundets id")->required();
    command->add_option("FILE", options.file, "CSV-fil")->required();
  }

  CLI::App* deltagare = app.add_subcommand("deltagare", "Hantera deltagare");
  deltagare->require_subcommand(1);
  CLI::App* withdraw = deltagare->add_subcommand(
      "aterkalla", "Återkalla samtycke: läser personnummer eller lokal kod från standard in");
  add_db(withdraw);
  withdraw->add_option("--forbund", options.forbund, "Förbundets id")->required();

  CLI::App* report = app.add_subcommand("report", "Skriv ut en rapport");
  report->require_subcommand(1);
  CLI::App* economy = report->add_subcommand("ekonomi", "Ekonomirapport för ett år");
  add_db(economy);
  economy->add_option("--forbund", options.forbund, "Förbundets id")->required();
  economy->add_option("--ar", options.year, "År")->required()->check(CLI::Range(1900, 2200));
  economy->add_option("--format", options.format, "Format: text, json eller csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

  std::vector<CLI::App*> participant_reports;
  for (const auto& [name, description] : std::vector<std::pair<std::string, std::string>>{
           {"deltagare", "Deltagare per insats: kön, nya, avslutade och avslutsorsaker"},
           {"steg", "Stegförflyttning på trappan: första mot senaste mätning"},
           {"uppfoljning", "Kvar i arbete eller studier 6 och 12 månader efter avslut"},
           {"mal", "Måluppfyllelse per insats"},
           {"socioekonomi", "Socioekonomiskt värde av avslut till arbete"}}) {
    CLI::App* command = report->add_subcommand(name, description);
    add_db(command);
    command->add_option("--forbund", options.forbund, "Förbundets id")->required();
    auto* year = command->add_option("--ar", options.year, "År")->check(CLI::Range(1900, 2200));
    command
        ->add_option("--halvar", options.half,
                     "Bara årets första (1: januari–juni) eller andra (2: juli–december) halvår")
        ->check(CLI::Range(1, 2))
        ->needs(year);
    auto* from = command->add_option("--fran", options.from, "Periodens första dag ÅÅÅÅ-MM-DD");
    auto* to = command->add_option("--till", options.to, "Periodens sista dag ÅÅÅÅ-MM-DD");
    from->needs(to);
    to->needs(from);
    year->excludes(from);
    year->excludes(to);
    command->add_option("--insats", options.insats, "Bara en insats");
    command->add_option("--format", options.format, "Format: text, json eller csv")
        ->check(CLI::IsMember({"text", "json", "csv"}));
    command->add_flag("--publik", options.publik,
                      "Publik vy: små antal döljs (för läsare utan tillgång till uppgifter)");
    command->callback([&options, name = name] { options.report_name = name; });
    participant_reports.push_back(command);
  }

  CLI::App* user = app.add_subcommand("user", "Hantera konton");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand(
      "add",
      "Lägg till ett konto; lösenordet genereras och skrivs ut en gång, eller läses från "
      "standard in med --losenord-stdin");
  add_db(user_add);
  user_add->add_option("--namn", options.account_name, "Inloggningsnamn")->required();
  user_add->add_option("--roll", options.role, "Roll")
      ->required()
      ->check(CLI::IsMember({"systemadministrator", "forbundsadministrator", "deltagaransvarig",
                             "rapportlasare", "nationell"}));
  user_add->add_option("--forbund", options.forbund, "Förbundets id (för förbundets roller)");
  user_add->add_option("--insats", options.insatser, "Insatser (för deltagaransvarig)");
  user_add->add_flag("--losenord-stdin", options.password_from_stdin,
                     "Läs lösenordet från standard in");

  CLI::App* audit = app.add_subcommand("audit", "Granskningsloggen");
  audit->require_subcommand(1);
  CLI::App* audit_verify =
      audit->add_subcommand("verify", "Kontrollera att ingen post har ändrats eller tagits bort");
  add_db(audit_verify);

  CLI::App* backup = app.add_subcommand(
      "backup",
      "Säkerhetskopiera databasen med nyckel och granskningsloggens ände till FIL, FIL.key och "
      "FIL.key.granskning (medan andra skriver)");
  add_db(backup);
  backup->add_option("--to", options.backup, "Säkerhetskopians fil (får inte finnas)")->required();

  CLI::App* restore = app.add_subcommand(
      "restore",
      "Återställ en säkerhetskopia till en ny databas med nyckel och kontrollera "
      "granskningsloggen");
  add_db(restore);
  restore->add_option("--from", options.backup, "Säkerhetskopians fil (med FIL.key bredvid)")
      ->required();

  CLI::App* serve = app.add_subcommand("serve", "Starta webbtjänsten");
  add_db(serve);
  CLI::Option* listen =
      serve->add_option("--listen", options.listen, "Adress och port, t.ex. 127.0.0.1:8080");
  CLI::Option* threads =
      serve->add_option("--threads", options.threads, "Antal trådar")->check(CLI::Range(1, 64));

  CLI::App* demo = app.add_subcommand("demo", "Skapa demodatabasen och skriv ut demorapporter");
  add_db(demo);

  CLI::App* gen = app.add_subcommand(
      "gen", "Skapa ett syntetiskt förbund med påhittade deltagare (för prov och mätningar)");
  add_db(gen);
  gen->add_option("--forbund", options.forbund, "Det nya förbundets id")->required();
  gen->add_option("--deltagare", options.generate, "Antal inskrivningar")
      ->required()
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  gen->add_option("--seed", options.seed, "Frö: samma frö ger samma data");

  CLI::App* copy = app.add_subcommand(
      "copy",
      "Kopiera en hel databas till en ny, tom databas (t.ex. från SQLite till PostgreSQL), med "
      "nyckelfil och granskningslogg");
  copy->add_option("--from", options.copy_from, "Källdatabasen")->required();
  copy->add_option("--to", options.copy_to, "Måldatabasen: ny eller tom")->required();
  copy->add_option("--key", options.key,
                   "Källans nyckelfil (förval: källdatabasens fil med .key efter)");
  copy->add_option("--to-key", options.to_key,
                   "Målets nyckelfil: kopieras dit när den saknas (förval: måldatabasens fil "
                   "med .key efter)");

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

  if (options.config.empty()) {
    if (const char* config = std::getenv("STEGVIS_CONFIG")) options.config = config;
  }
  if (!options.config.empty()) {
    auto file = ReadConfigFile(options.config);
    if (!file) return ReportError(environment, options, file.error());
    // What the command line gives wins over the file.
    if (options.db.empty()) options.db = file->database.value_or("");
    if (options.key.empty()) options.key = file->key_file.value_or("");
    options.pool_size = file->pool_size.value_or(0);
    if (listen->count() == 0 && file->listen) options.listen = *file->listen;
    if (threads->count() == 0 && file->threads) options.threads = *file->threads;
  }
  if (options.db.empty() && !copy->parsed()) {
    environment.err << (LanguageOf(options) == Language::kEnglish
                            ? "error: give the database with --db or in the configuration file "
                              "(--config)\n"
                            : "fel: ange databasen med --db eller i konfigurationsfilen "
                              "(--config)\n");
    return kExitUsage;
  }

  // A database on a server has no folder to keep its key beside.
  for (const auto& [database, key, flag] :
       {std::tuple{options.db, options.key, "--key"},
        std::tuple{options.copy_from, options.key, "--key"},
        std::tuple{options.copy_to, options.to_key, "--to-key"}}) {
    if (database.find("://") != std::string::npos && key.empty()) {
      environment.err << fmt::format(
          fmt::runtime(LanguageOf(options) == Language::kEnglish
                           ? "error: {}: a database on a server needs its key file named with {} "
                             "(or key_file in the configuration file)\n"
                           : "fel: {}: en databas på en server behöver sin nyckelfil angiven med "
                             "{} (eller key_file i konfigurationsfilen)\n"),
          Shown(database), flag);
      return kExitUsage;
    }
  }

  if (init->parsed()) return RunInit(environment, options);
  if (import_plan->parsed()) return RunImportPlan(environment, options);
  if (import_deltagare->parsed()) {
    return RunImportParticipants(environment, options, ParticipantFile::kDeltagare);
  }
  if (import_matningar->parsed()) {
    return RunImportParticipants(environment, options, ParticipantFile::kMatningar);
  }
  if (import_uppfoljningar->parsed()) {
    return RunImportParticipants(environment, options, ParticipantFile::kUppfoljningar);
  }
  if (withdraw->parsed()) return RunWithdrawConsent(environment, options);
  if (user_add->parsed()) return RunAddAccount(environment, options);
  if (serve->parsed()) return RunServe(environment, options);
  if (audit_verify->parsed()) return RunAuditVerify(environment, options);
  if (backup->parsed()) return RunBackup(environment, options);
  if (restore->parsed()) return RunRestore(environment, options);
  if (economy->parsed()) return RunEconomyReport(environment, options);
  for (CLI::App* command : participant_reports) {
    if (command->parsed()) {
      if (options.year == 0 && options.from.empty()) {
        environment.err << "fel: ange --ar eller --fran och --till\n";
        return kExitUsage;
      }
      return RunParticipantReport(environment, options);
    }
  }
  if (demo->parsed()) return RunDemo(environment, options);
  if (gen->parsed()) return RunGenerate(environment, options);
  if (copy->parsed()) return RunCopy(environment, options);
  return kExitUsage;
}

}  // namespace stegvis::cli
