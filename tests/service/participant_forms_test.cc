// The coach's forms and reads in ParticipantService (register, measure, exit, follow up, list,
// one record, find a person, open tasks) on a real SQLite file with the plan of
// demo/sodra-vatterbygden.json: what each stores, where each refuses (the field's name as the
// location, nothing stored), who may do what, what the audit log gets, and that no
// personnummer reaches an error, the audit log, the database file or its WAL.
//
// Privacy: the tests use only personnummer made up here from a 1990s birth date and a serial
// number (testing::TestPersonnummer computes the check digit), and local
// codes like SE-0042.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "service/participant_service.h"
#include "service/plan_service.h"
#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace stegvis::service {
namespace {

using core::Role;
using util::Code;
using util::Date;

constexpr char kForbund[] = "sodra-vatterbygden";

using testing::TestPersonnummer;

const TestPersonnummer kAnna(1990, 1, 1, 238);  // 19900101-2385.
const TestPersonnummer kBo(1993, 5, 17, 412);
const TestPersonnummer kCia(1996, 9, 23, 671);
const TestPersonnummer kEva(1992, 3, 68, 914);  // Samordningsnummer: born 8 March 1992.
const TestPersonnummer kDan(1998, 12, 4, 55);   // Never registered.
const std::vector<const TestPersonnummer*> kEveryone = {&kAnna, &kBo, &kCia, &kEva, &kDan};

void ExpectNoPersonnummer(const std::string& bytes, const std::string& what) {
  ::stegvis::testing::ExpectNoPersonnummer(bytes, what, kEveryone);
}

enum class ErrorTexts { kRendered, kRenderedAndRaw };

// Expects no personnummer where an error is shown: its location and its rendering (which
// redacts), and with kRenderedAndRaw also its raw texts, which an error about the identifier
// itself builds without it.
void ExpectErrorHidesPersonnummer(const util::Error& error,
                                  ErrorTexts texts = ErrorTexts::kRendered) {
  std::string shown = error.location + "\n" + error.Render(util::Language::kSwedish) + "\n" +
                      error.Render(util::Language::kEnglish);
  if (texts == ErrorTexts::kRenderedAndRaw) {
    shown += "\n" + error.text.swedish + "\n" + error.text.english;
  }
  ExpectNoPersonnummer(shown, "the error");
}

template <typename Result>
::testing::AssertionResult FailsWith(const Result& result, Code code,
                                     std::optional<std::string_view> location = std::nullopt) {
  const std::string expected =
      std::string(util::CodeName(code)) + " at \"" + std::string(location.value_or("*")) + "\"";
  if (result) return ::testing::AssertionFailure() << "succeeded; expected " << expected;
  const util::Error& error = result.error();
  if (error.code == code && (!location || error.location == *location)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "got " << util::CodeName(error.code) << " at \"" << error.location << "\" ("
         << error.Render() << "); expected " << expected;
}

// kInvalidArgument at the field `location`.
template <typename Result>
::testing::AssertionResult RefusedAt(const Result& result, std::string_view location) {
  return FailsWith(result, Code::kInvalidArgument, location);
}

Date Day(int year, unsigned month, unsigned day) { return *Date::FromYmd(year, month, day); }

Fields With(Fields fields, const Fields& changes) {
  for (const auto& [field, value] : changes) fields[field] = value;
  return fields;
}

// A complete registration form for `deltagare` in Enter from 10 January 2024 at step 2.
Fields EnrolmentForm(const std::string& deltagare, const Fields& changes = {}) {
  return With({{"deltagare", deltagare},
               {"insats", "enter"},
               {"kon", "kvinna"},
               {"samtycke", "ja"},
               {"startdatum", "2024-01-10"},
               {"kommun", "habo"},
               {"remittent", "af"},
               {"forsorjning_start", "a_kassa|forsorjningsstod"},
               {"steg_start", "2"}},
              changes);
}

Actor AccountActor(const std::string& account_name, Role role,
                   std::vector<std::string> insats_ids = {},
                   std::optional<std::string> forbund = std::string(kForbund)) {
  core::Account account;
  account.id = static_cast<std::int64_t>(account_name.size());
  account.name = account_name;
  account.role = role;
  account.forbund_id = std::move(forbund);
  account.insats_ids = std::move(insats_ids);
  return Actor{account, "10.0.0.1"};
}

// "2024-01-10 steg 2" for each measurement, sorted.
std::vector<std::string> MeasurementsOf(const core::Enrolment& enrolment) {
  std::vector<std::string> lines;
  for (const core::Measurement& measurement : enrolment.measurements) {
    lines.push_back(measurement.date.ToString() + " " + measurement.measure + " " +
                    std::to_string(measurement.value));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// "stegmatning 3 enter 2024-04-10 0" for each task, in order.
std::vector<std::string> Describe(const std::vector<core::Task>& tasks) {
  std::vector<std::string> lines;
  for (const core::Task& task : tasks) {
    lines.push_back(std::string(core::TaskKindCode(task.kind)) + " " +
                    std::to_string(task.enrolment_id) + " " + task.insats_id + " " +
                    task.due.ToString() + " " + std::to_string(task.months));
  }
  return lines;
}

class ParticipantForms : public ::testing::Test {
 protected:
  void SetUp() override {
    services_ = testing::OpenServices(path_, {[this] { return now_; }, [this] { return today_; }},
                                      {42, 7, 1});
    auto store = store::sqlite::SqliteStore::Open(path_.string(),
                                                  store::sqlite::SqliteStore::OpenMode::kMustExist);
    ASSERT_TRUE(store) << store.error().Render();
    store_ = std::move(*store);
    audit_ = &services_->audit;
    auto plan = services_->plans.ImportPlan(
        Actor::LocalOperator(), "sodra-vatterbygden.json",
        testing::ReadFile(testing::SourcePath("demo/sodra-vatterbygden.json")));
    ASSERT_TRUE(plan) << plan.error().Render();
    service_ = &services_->participants;
  }

  // The use cases in the test's förbund, with the forms spelled out by their fields.
  util::Result<std::int64_t> Enrol(const Actor& actor, const Fields& fields) {
    return service_->RegisterEnrolment(actor, kForbund, fields);
  }
  util::Status Measure(const Actor& actor, std::int64_t id, const std::string& datum,
                       const std::string& matt, const std::string& varde) {
    return service_->AddMeasurement(actor, kForbund, id,
                                    {{"datum", datum}, {"matt", matt}, {"varde", varde}});
  }
  util::Status Exit(const Actor& actor, std::int64_t id, const std::string& slutdatum,
                    const std::string& avslutsorsak, const Fields& more = {}) {
    Fields fields = With({{"slutdatum", slutdatum}, {"avslutsorsak", avslutsorsak}}, more);
    std::erase_if(fields, [](const auto& field) { return field.second.empty(); });
    return service_->RegisterExit(actor, kForbund, id, fields);
  }
  util::Status FollowUp(const Actor& actor, std::int64_t id, const std::string& datum,
                        const std::string& manader, const std::string& sysselsattning) {
    return service_->RegisterFollowUp(
        actor, kForbund, id,
        {{"datum", datum}, {"manader", manader}, {"sysselsattning", sysselsattning}});
  }

  // Registers and expects success; 0 otherwise.
  std::int64_t Register(const Actor& actor, const Fields& fields) {
    auto id = Enrol(actor, fields);
    EXPECT_TRUE(id) << id.error().Render();
    return id ? *id : 0;
  }
  std::int64_t Register(const Fields& fields) { return Register(operator_, fields); }

  // The store's own view; a store failure throws, which fails the test.
  std::vector<core::Enrolment> Enrolments() { return store_->LoadEnrolments(kForbund).value(); }
  std::vector<core::AuditEntry> Audit() { return store_->ListAudit(0, 1'000'000).value(); }

  // The enrolment as stored, with its pseudonym.
  core::Enrolment Stored(std::int64_t id) {
    for (core::Enrolment& enrolment : Enrolments()) {
      if (enrolment.id == id) return enrolment;
    }
    ADD_FAILURE() << "no enrolment " << id;
    return {};
  }

  // The targets of the audit entries appended since there were `from`, checking who acted.
  std::vector<std::string> AuditedSince(std::size_t from, const Actor& actor) {
    std::vector<std::string> targets;
    const std::vector<core::AuditEntry> entries = Audit();
    for (std::size_t i = from; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].actor, actor.AuditName());
      EXPECT_EQ(entries[i].address, actor.address);
      EXPECT_FALSE(entries[i].action.empty());
      targets.push_back(entries[i].target);
    }
    return targets;
  }

  // What a refused form must leave alone: the enrolments and the length of the audit log.
  struct Snapshot {
    std::vector<core::Enrolment> enrolments;
    std::size_t audit_entries = 0;
  };
  Snapshot Take() { return {Enrolments(), Audit().size()}; }
  void ExpectUnchanged(const Snapshot& before) {
    EXPECT_TRUE(Enrolments() == before.enrolments) << "the enrolments changed";
    EXPECT_EQ(Audit().size(), before.audit_entries) << "the audit log grew";
  }

  static std::string Target(std::int64_t id) {
    return std::string("forbund:") + kForbund + " insats:enter inskrivning:" + std::to_string(id);
  }

  testing::TempDir folder_;
  std::filesystem::path path_ = folder_ / "db";
  std::int64_t now_ = 1'718'445'600;  // 2024-06-15 10:00 UTC.
  Date today_ = Day(2024, 6, 15);
  const privacy::Pseudonymizer pseudonyms_ = privacy::Pseudonymizer::FromKey({42, 7, 1});
  std::unique_ptr<Services> services_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;  // For checks beside the services.
  const AuditLog* audit_ = nullptr;
  ParticipantService* service_ = nullptr;

  const Actor operator_ = Actor::LocalOperator();
  const Actor coach_ = AccountActor("coach", Role::kDeltagaransvarig, {"enter", "nova"});
  const Actor fia_coach_ = AccountActor("fia.coach", Role::kDeltagaransvarig, {"fia"});
  const Actor admin_ = AccountActor("admin", Role::kForbundsadministrator);
  const Actor reader_ = AccountActor("styrelsen", Role::kRapportlasare);
};

TEST_F(ParticipantForms, ACoachRegistersAnEnrolmentSeenWithoutItsPseudonym) {
  auto id = Enrol(coach_, EnrolmentForm(kAnna.TwelveDashed(), {{"fodelsear", "1990"}}));
  ASSERT_TRUE(id) << id.error().Render();
  auto list = service_->ListRecords(coach_, kForbund, "enter", {});
  ASSERT_TRUE(list) << list.error().Render();
  ASSERT_NE(list->insats, nullptr);
  EXPECT_EQ(list->insats->id, "enter");
  ASSERT_EQ(list->records.size(), 1u);
  const EnrolmentRecord& record = list->records[0];
  EXPECT_EQ(record.enrolment.id, *id);
  EXPECT_TRUE(record.identified);
  EXPECT_FALSE(record.enrolment.person_key.has_value());
  const core::Enrolment& enrolment = record.enrolment;
  EXPECT_EQ(enrolment.kon, core::Kon::kKvinna);
  EXPECT_EQ(enrolment.birth_year, 1990);
  EXPECT_EQ(enrolment.kommun, "habo");
  EXPECT_EQ(enrolment.remittent, core::Remittent::kAf);
  EXPECT_EQ(enrolment.income_at_start,
            (std::vector{core::Forsorjning::kAKassa, core::Forsorjning::kForsorjningsstod}));
  EXPECT_EQ(enrolment.start.ToString(), "2024-01-10");
  EXPECT_FALSE(enrolment.anonymous || enrolment.exit.has_value());
  EXPECT_EQ(MeasurementsOf(enrolment), std::vector<std::string>{"2024-01-10 steg 2"});
  // The store keeps the pseudonym; only the coach's view drops it.
  EXPECT_TRUE(Stored(*id).person_key.has_value());

  auto one = service_->Record(coach_, kForbund, *id);
  ASSERT_TRUE(one) << one.error().Render();
  EXPECT_EQ(one->insats, one->plan.FindInsats("enter"));
  ASSERT_EQ(one->records.size(), 1u);
  EXPECT_TRUE(one->records[0].identified && one->records[0].enrolment == enrolment);
}

TEST_F(ParticipantForms, ABadFieldIsRefusedAtItsNameAndNothingIsStored) {
  Register(EnrolmentForm(kBo.Twelve()));
  const std::vector<std::pair<Fields, std::string>> cases = {
      {{{"startdatum", "2024-13-01"}}, "startdatum"},
      {{{"startdatum", ""}}, "startdatum"},
      {{{"startdatum", "2019-12-31"}}, "startdatum"},  // Before Enter began.
      {{{"kon", "okänt"}}, "kon"},
      {{{"steg_start", "99"}}, "steg_start"},
      {{{"steg_start", "två"}}, "steg_start"},
      {{{"deltagare", kAnna.WrongCheckDigit()}}, "deltagare"},
      {{{"deltagare", "19900101-23"}}, "deltagare"},
      {{{"deltagare", "12345"}}, "deltagare"},
      {{{"deltagare", ""}}, "deltagare"},
      {{{"samtycke", "kanske"}}, "samtycke"},
      {{{"fodelsear", "1991"}}, "fodelsear"},  // The personnummer says 1990.
      {{{"kommun", "stockholm"}}, "kommun"},
      {{{"remittent", "grannen"}}, "remittent"},
      {{{"forsorjning_start", "lon|vinst"}}, "forsorjning_start"},
      {{{"slutdatum", "2023-12-31"}, {"avslutsorsak", "arbete"}}, "slutdatum"},
      {{{"slutdatum", "2024-03-01"}}, "avslutsorsak"},
      {{{"slutdatum", "2024-03-01"}, {"avslutsorsak", "arbete"}, {"steg_slut", "9"}}, "steg_slut"},
      // A personnummer typed into the wrong field is not shown either.
      {{{"startdatum", kCia.TwelveDashed()}}, "startdatum"},
      {{{"kon", kCia.Twelve()}}, "kon"},
      {{{"kommun", kCia.TenDashed()}}, "kommun"},
  };
  const Snapshot before = Take();
  for (const auto& [changes, location] : cases) {
    SCOPED_TRACE(location + " = " + changes.begin()->second);
    auto result = Enrol(coach_, EnrolmentForm(kAnna.Twelve(), changes));
    EXPECT_TRUE(RefusedAt(result, location));
    if (!result) {
      ExpectErrorHidesPersonnummer(result.error(), location == "deltagare"
                                                       ? ErrorTexts::kRenderedAndRaw
                                                       : ErrorTexts::kRendered);
    }
    ExpectUnchanged(before);
  }
  // A structural intervention has no participants (the operator may try any).
  EXPECT_TRUE(RefusedAt(
      Enrol(operator_, EnrolmentForm(kAnna.Twelve(), {{"insats", "kompetensutveckling"}})),
      "insats"));
  ExpectUnchanged(before);
}

TEST_F(ParticipantForms, TheSameEnrolmentTwiceExistsAndAnOverlappingOneIsRefused) {
  const std::int64_t first = Register(coach_, EnrolmentForm(kAnna.Twelve()));
  const Snapshot before = Take();
  // The same person in another notation, the same intervention and start.
  EXPECT_TRUE(FailsWith(Enrol(coach_, EnrolmentForm(kAnna.TenDashed())), Code::kAlreadyExists,
                        "startdatum"));
  // Later while the first is open, or earlier and open itself.
  for (const char* start : {"2024-03-01", "2023-06-01"}) {
    EXPECT_TRUE(
        RefusedAt(Enrol(coach_, EnrolmentForm(kAnna.Ten(), {{"startdatum", start}})), "startdatum"))
        << start;
  }
  ExpectUnchanged(before);
  // After the exit, coming back on the exit day is allowed; so is another intervention.
  ASSERT_TRUE(Exit(coach_, first, "2024-02-29", "flytt"));
  EXPECT_TRUE(Enrol(coach_, EnrolmentForm(kAnna.Twelve(), {{"startdatum", "2024-02-29"}})));
  EXPECT_TRUE(Enrol(coach_, EnrolmentForm(kAnna.Twelve(), {{"insats", "nova"}})));
}

TEST_F(ParticipantForms, WithoutConsentTheEnrolmentIsAnonymousFromTheFirstOfJanuary) {
  const Fields form = {
      {"insats", "enter"}, {"kon", "man"}, {"samtycke", "nej"}, {"startdatum", "2024-03-15"}};
  auto id = Enrol(coach_, form);
  ASSERT_TRUE(id) << id.error().Render();
  auto record = service_->Record(coach_, kForbund, *id);
  ASSERT_TRUE(record) << record.error().Render();
  const EnrolmentRecord& anonymous = record->records.at(0);
  EXPECT_FALSE(anonymous.identified);
  EXPECT_TRUE(anonymous.enrolment.anonymous);
  EXPECT_EQ(anonymous.enrolment.start.ToString(), "2024-01-01");
  EXPECT_EQ(anonymous.enrolment.kon, core::Kon::kMan);
  EXPECT_FALSE(anonymous.enrolment.birth_year.has_value());
  EXPECT_TRUE(anonymous.enrolment.measurements.empty());
  EXPECT_FALSE(Stored(*id).person_key.has_value());

  const Snapshot before = Take();
  auto named = Enrol(coach_, With(form, {{"deltagare", kBo.Twelve()}, {"samtycke", "Nej"}}));
  EXPECT_TRUE(RefusedAt(named, "deltagare"));
  if (!named) ExpectErrorHidesPersonnummer(named.error(), ErrorTexts::kRenderedAndRaw);
  // Nothing can be added to a record without consent.
  EXPECT_TRUE(
      FailsWith(Measure(coach_, *id, "2024-04-01", "halsa", "50"), Code::kFailedPrecondition));
  ExpectUnchanged(before);
}

TEST_F(ParticipantForms, OnlyTheInterventionsCoachMayReadOrChangeItsRecords) {
  const std::int64_t id = Register(EnrolmentForm(kAnna.Twelve()));
  const Snapshot before = Take();
  const Actor other_forbund =
      AccountActor("annan.coach", Role::kDeltagaransvarig, {"enter"}, std::string("hoglandet"));
  const Actor system = AccountActor("system", Role::kSystemadministrator, {}, std::nullopt);
  const Code denied = Code::kPermissionDenied;
  for (const Actor* actor : {&fia_coach_, &admin_, &reader_, &other_forbund, &system}) {
    SCOPED_TRACE(actor->AuditName());
    EXPECT_TRUE(FailsWith(Enrol(*actor, EnrolmentForm(kBo.Twelve())), denied));
    EXPECT_TRUE(FailsWith(Measure(*actor, id, "2024-02-01", "halsa", "50"), denied));
    EXPECT_TRUE(FailsWith(Exit(*actor, id, "2024-03-01", "arbete"), denied));
    EXPECT_TRUE(FailsWith(FollowUp(*actor, id, "2024-06-01", "6", "arbete"), denied));
    EXPECT_TRUE(FailsWith(service_->ListRecords(*actor, kForbund, "enter", {}), denied));
    EXPECT_TRUE(FailsWith(service_->Record(*actor, kForbund, id), denied));
    EXPECT_TRUE(FailsWith(service_->FindPerson(*actor, kForbund, "enter", kAnna.Twelve()), denied));
  }
  ExpectUnchanged(before);

  // An id that is not stored looks to an account like another intervention's record.
  const std::int64_t missing = id + 1000;
  EXPECT_TRUE(FailsWith(Measure(coach_, missing, "2024-02-01", "halsa", "50"), denied));
  EXPECT_TRUE(FailsWith(Exit(coach_, missing, "2024-03-01", "arbete"), denied));
  EXPECT_TRUE(FailsWith(FollowUp(coach_, missing, "2024-06-01", "6", "arbete"), denied));
  auto probed = service_->Record(coach_, kForbund, missing);
  auto foreign = service_->Record(fia_coach_, kForbund, id);
  ASSERT_TRUE(FailsWith(probed, denied));
  ASSERT_TRUE(FailsWith(foreign, denied));
  EXPECT_EQ(probed.error().Render(), foreign.error().Render());
  // The local operator holds the whole file and is told the truth.
  EXPECT_TRUE(FailsWith(Measure(operator_, missing, "2024-02-01", "halsa", "50"), Code::kNotFound));
  EXPECT_TRUE(FailsWith(Exit(operator_, missing, "2024-03-01", "arbete"), Code::kNotFound));
  EXPECT_TRUE(
      FailsWith(FollowUp(operator_, missing, "2024-06-01", "6", "arbete"), Code::kNotFound));
  EXPECT_TRUE(FailsWith(service_->Record(operator_, kForbund, missing), Code::kNotFound));
  ExpectUnchanged(before);
}

TEST_F(ParticipantForms, AddMeasurementAddsReplacesAndRefusesAtTheField) {
  const std::int64_t id = Register(coach_, EnrolmentForm(kAnna.Twelve()));
  ASSERT_TRUE(Measure(coach_, id, "2024-03-01", "halsa", "40"));
  ASSERT_TRUE(Measure(coach_, id, "2024-04-01", "Livskvalitet", "7"));
  ASSERT_TRUE(Measure(coach_, id, "2024-03-01", "halsa", "55"));  // Replaces the 40.
  EXPECT_EQ(MeasurementsOf(Stored(id)),
            (std::vector<std::string>{"2024-01-10 steg 2", "2024-03-01 halsa 55",
                                      "2024-04-01 livskvalitet 7"}));

  const Snapshot before = Take();
  // The day before the start, a day that does not exist, no date.
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-01-09", "halsa", "50"), "datum"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-02-30", "halsa", "50"), "datum"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "", "halsa", "50"), "datum"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-03-01", "halsa", "101"), "varde"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-03-01", "steg", "8"), "varde"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-03-01", "livskvalitet", "sju"), "varde"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-03-01", "vikt", "70"), "matt"));
  ExpectUnchanged(before);

  ASSERT_TRUE(Exit(coach_, id, "2024-05-31", "studier"));
  EXPECT_TRUE(RefusedAt(Measure(coach_, id, "2024-06-01", "halsa", "60"), "datum"));
}

TEST_F(ParticipantForms, RegisterExitEndsAnOngoingEnrolmentOnce) {
  const std::int64_t id = Register(coach_, EnrolmentForm(kAnna.Twelve()));
  const Snapshot before = Take();
  const std::vector<std::tuple<std::string, std::string, Fields, std::string>> refused = {
      {"", "arbete", {}, "slutdatum"},
      {"", "", {}, "slutdatum"},
      {"2024-01-09", "arbete", {}, "slutdatum"},  // Before the start.
      {"2024-05-31", "", {}, "avslutsorsak"},
      {"2024-05-31", "semester", {}, "avslutsorsak"},
      {"2024-05-31", "arbete", {{"steg_slut", "0"}}, "steg_slut"},
      {"2024-05-31", "arbete", {{"forsorjning_slut", "x"}}, "forsorjning_slut"},
  };
  for (const auto& [slutdatum, avslutsorsak, more, location] : refused) {
    SCOPED_TRACE(location);
    EXPECT_TRUE(RefusedAt(Exit(coach_, id, slutdatum, avslutsorsak, more), location));
  }
  ExpectUnchanged(before);

  ASSERT_TRUE(
      Exit(coach_, id, "2024-05-31", "arbete", {{"forsorjning_slut", "lon"}, {"steg_slut", "6"}}));
  const core::Enrolment ended = Stored(id);
  ASSERT_TRUE(ended.exit.has_value());
  EXPECT_EQ(ended.exit->date.ToString(), "2024-05-31");
  EXPECT_EQ(ended.exit->reason, core::ExitReason::kArbete);
  EXPECT_EQ(ended.exit->income, std::vector{core::Forsorjning::kLon});
  EXPECT_EQ(MeasurementsOf(ended),
            (std::vector<std::string>{"2024-01-10 steg 2", "2024-05-31 steg 6"}));

  const Snapshot after_exit = Take();
  EXPECT_TRUE(FailsWith(Exit(coach_, id, "2024-06-01", "studier"), Code::kFailedPrecondition));
  ExpectUnchanged(after_exit);

  // An exit before a stored measurement would leave the measurement outside the enrolment.
  const std::int64_t measured = Register(coach_, EnrolmentForm(kBo.Twelve()));
  ASSERT_TRUE(Measure(coach_, measured, "2024-04-01", "halsa", "50"));
  EXPECT_TRUE(RefusedAt(Exit(coach_, measured, "2024-03-01", "arbete"), "slutdatum"));
}

TEST_F(ParticipantForms, AnExitWithoutStegSlutKeepsAStepMeasuredOnTheExitDay) {
  const std::int64_t id = Register(coach_, EnrolmentForm(kAnna.Twelve()));
  ASSERT_TRUE(Measure(coach_, id, "2024-05-31", "steg", "4"));
  ASSERT_TRUE(Exit(coach_, id, "2024-05-31", "arbete"));
  EXPECT_EQ(MeasurementsOf(Stored(id)),
            (std::vector<std::string>{"2024-01-10 steg 2", "2024-05-31 steg 4"}));
  // A felregistrering on the start day keeps the step at start.
  const std::int64_t wrong = Register(coach_, EnrolmentForm(kBo.Twelve()));
  ASSERT_TRUE(Exit(coach_, wrong, "2024-01-10", "felregistrering"));
  EXPECT_EQ(MeasurementsOf(Stored(wrong)), (std::vector<std::string>{"2024-01-10 steg 2"}));
}

TEST_F(ParticipantForms, RegisterFollowUpNeedsAnExitAndReplacesTheSameMonths) {
  const std::int64_t id =
      Register(coach_, EnrolmentForm(kAnna.Twelve(), {{"startdatum", "2023-03-01"}}));
  const Snapshot before = Take();
  EXPECT_TRUE(RefusedAt(FollowUp(coach_, id, "2023-11-30", "6", "arbete"), "datum"));
  ExpectUnchanged(before);

  ASSERT_TRUE(Exit(coach_, id, "2023-05-31", "arbete"));
  const Snapshot exited = Take();
  EXPECT_TRUE(RefusedAt(FollowUp(coach_, id, "2023-05-30", "6", "arbete"), "datum"));
  EXPECT_TRUE(RefusedAt(FollowUp(coach_, id, "2023-11-30", "0", "arbete"), "manader"));
  EXPECT_TRUE(RefusedAt(FollowUp(coach_, id, "2023-11-30", "6", "semester"), "sysselsattning"));
  ExpectUnchanged(exited);

  ASSERT_TRUE(FollowUp(coach_, id, "2023-11-30", "6", "arbete"));
  ASSERT_TRUE(FollowUp(coach_, id, "2024-05-31", "12", "arbete_med_stod"));
  ASSERT_TRUE(FollowUp(coach_, id, "2023-12-05", "6", "studier"));  // Replaces the first.
  EXPECT_EQ(
      Stored(id).follow_ups,
      (std::vector<core::FollowUp>{{Day(2023, 12, 5), 6, core::Sysselsattning::kStudier},
                                   {Day(2024, 5, 31), 12, core::Sysselsattning::kArbeteMedStod}}));
}

TEST_F(ParticipantForms, FindPersonFindsTheEnrolmentsNewestFirstInAnyNotation) {
  const std::int64_t earlier = Register(EnrolmentForm(
      kAnna.Twelve(),
      {{"startdatum", "2023-02-01"}, {"slutdatum", "2023-06-30"}, {"avslutsorsak", "flytt"}}));
  const std::int64_t later = Register(EnrolmentForm(kAnna.TenDashed()));
  const std::int64_t in_nova = Register(EnrolmentForm(kAnna.Ten(), {{"insats", "nova"}}));
  Register(EnrolmentForm(kBo.Twelve()));
  const std::int64_t coded = Register(EnrolmentForm("SE-0042"));
  auto find = [&](const std::string& insats, const std::string& identifier) {
    return service_->FindPerson(coach_, kForbund, insats, identifier);
  };
  using Ids = std::vector<std::int64_t>;

  for (const std::string& notation : {kAnna.Twelve(), kAnna.TwelveDashed(), kAnna.Ten(),
                                      kAnna.TenDashed(), " " + kAnna.Ten() + " "}) {
    EXPECT_EQ(find("enter", notation), (Ids{later, earlier}));
  }
  EXPECT_EQ(find("nova", kAnna.TwelveDashed()), Ids{in_nova});
  EXPECT_EQ(find("enter", "SE-0042"), Ids{coded});
  EXPECT_EQ(find("enter", kDan.TwelveDashed()), Ids{});

  for (const std::string& malformed : {kAnna.WrongCheckDigit(), std::string("19900101-23"),
                                       std::string("12345"), std::string("")}) {
    auto refused = find("enter", malformed);
    EXPECT_TRUE(RefusedAt(refused, "deltagare"));
    if (!refused) ExpectErrorHidesPersonnummer(refused.error(), ErrorTexts::kRenderedAndRaw);
  }
}

TEST_F(ParticipantForms, EveryReadAndChangeIsAuditedByEnrolmentOrInterventionOnly) {
  const std::string insats = std::string("forbund:") + kForbund + " insats:";
  std::size_t mark = Audit().size();
  auto id = Enrol(coach_, EnrolmentForm(kAnna.Twelve()));
  ASSERT_TRUE(id) << id.error().Render();
  EXPECT_EQ(AuditedSince(mark, coach_), std::vector{Target(*id)});

  // Runs a use case, then expects exactly `targets` appended.
  auto expect = [&](const auto& result, const std::vector<std::string>& targets) {
    EXPECT_TRUE(result) << result.error().Render();
    EXPECT_EQ(AuditedSince(mark, coach_), targets);
    mark = Audit().size();
  };
  mark = Audit().size();
  expect(Measure(coach_, *id, "2024-02-01", "halsa", "50"), {Target(*id)});
  expect(Exit(coach_, *id, "2024-02-29", "arbete"), {Target(*id)});
  expect(FollowUp(coach_, *id, "2024-06-01", "3", "arbete"), {Target(*id)});
  expect(service_->ListRecords(coach_, kForbund, "enter", {}), {insats + "enter"});
  expect(service_->Record(coach_, kForbund, *id), {Target(*id)});
  expect(service_->FindPerson(coach_, kForbund, "enter", kAnna.TenDashed()), {Target(*id)});
  expect(service_->FindPerson(coach_, kForbund, "enter", kDan.TenDashed()), {insats + "enter"});
  expect(service_->OpenTasks(coach_, kForbund),
         {insats + "enter (uppgifter)", insats + "nova (uppgifter)"});

  const std::vector<core::AuditEntry> entries = Audit();
  for (const core::AuditEntry& entry : entries) {
    ExpectNoPersonnummer(std::to_string(entry.seq) + "|" + entry.at + "|" + entry.actor + "|" +
                             entry.action + "|" + entry.target + "|" + entry.address + "|" +
                             entry.previous_hash + "|" + entry.hash,
                         "audit entry " + std::to_string(entry.seq));
  }
  auto verified = audit_->Verify(services_->pool());
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->broken.has_value());
  EXPECT_EQ(verified->entries, static_cast<std::int64_t>(entries.size()));
}

TEST_F(ParticipantForms, OpenTasksShowTheCoachsOwnInterventionsOnly) {
  // Enter from 10 January at step 2 with only a later health measurement: a step measurement
  // was due on 10 April.
  const std::int64_t due = Register(EnrolmentForm(kAnna.Twelve()));
  ASSERT_TRUE(Measure(operator_, due, "2024-05-01", "halsa", "50"));
  // A later step measurement moves the due date past today.
  const std::int64_t measured = Register(EnrolmentForm(kBo.Twelve()));
  ASSERT_TRUE(Measure(operator_, measured, "2024-05-02", "steg", "3"));
  // NOVA, exited 15 December: the six-month follow-up falls due today.
  const std::int64_t exited = Register(EnrolmentForm(kCia.Twelve(), {{"insats", "nova"},
                                                                     {"startdatum", "2023-06-01"},
                                                                     {"slutdatum", "2023-12-15"},
                                                                     {"avslutsorsak", "arbete"}}));
  // Without consent: no tasks.
  Register(
      {{"insats", "enter"}, {"kon", "man"}, {"samtycke", "nej"}, {"startdatum", "2023-05-01"}});
  // Another coach's intervention.
  const std::int64_t in_fia = Register(
      EnrolmentForm(kEva.TwelveDashed(), {{"insats", "fia"}, {"startdatum", "2023-11-01"}}));

  auto tasks = service_->OpenTasks(coach_, kForbund);
  ASSERT_TRUE(tasks) << tasks.error().Render();
  EXPECT_EQ(Describe(*tasks), (std::vector<std::string>{
                                  "stegmatning " + std::to_string(due) + " enter 2024-04-10 0",
                                  "uppfoljning " + std::to_string(exited) + " nova 2024-06-15 6"}));
  auto fia = service_->OpenTasks(fia_coach_, kForbund);
  ASSERT_TRUE(fia) << fia.error().Render();
  EXPECT_EQ(Describe(*fia), std::vector<std::string>{"stegmatning " + std::to_string(in_fia) +
                                                     " fia 2024-02-01 0"});
  for (const Actor* actor : {&admin_, &reader_}) {
    auto none = service_->OpenTasks(*actor, kForbund);
    ASSERT_TRUE(none) << none.error().Render();
    EXPECT_TRUE(none->empty()) << actor->AuditName();
  }
}

TEST_F(ParticipantForms, NoPersonnummerReachesTheDatabaseFileOrItsWal) {
  const std::int64_t anna = Register(coach_, EnrolmentForm(kAnna.Twelve()));
  const std::int64_t bo = Register(coach_, EnrolmentForm(kBo.TenDashed(), {{"kon", "man"}}));
  Register(coach_, EnrolmentForm(kCia.Ten(), {{"insats", "nova"}}));
  Register(EnrolmentForm(kEva.TwelveDashed(), {{"insats", "fia"}}));
  ASSERT_TRUE(Measure(coach_, anna, "2024-03-01", "halsa", "40"));
  ASSERT_TRUE(Exit(coach_, bo, "2024-02-01", "arbete"));
  ASSERT_TRUE(FollowUp(coach_, bo, "2024-05-01", "3", "arbete"));
  for (const TestPersonnummer* person : kEveryone) {
    for (const std::string& notation :
         {person->Twelve(), person->TwelveDashed(), person->Ten(), person->TenDashed()}) {
      EXPECT_TRUE(service_->FindPerson(coach_, kForbund, "enter", notation));
    }
    EXPECT_FALSE(service_->FindPerson(coach_, kForbund, "enter", person->WrongCheckDigit()));
    // Numbers typed into the wrong fields are refused without being stored.
    EXPECT_FALSE(Enrol(coach_, EnrolmentForm("SE-0042", {{"kommun", person->Twelve()}})));
    EXPECT_FALSE(Enrol(coach_, EnrolmentForm("SE-0042", {{"remittent", person->TenDashed()}})));
  }
  ASSERT_TRUE(service_->ListRecords(coach_, kForbund, "enter", {}));
  ASSERT_TRUE(service_->OpenTasks(coach_, kForbund));
  EXPECT_EQ(Enrolments().size(), 4u);

  auto scan = [&](const std::string& when) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder_.path())) {
      const std::string file = entry.path().filename().string();
      if (file.rfind("db", 0) != 0) continue;
      ++files;
      ExpectNoPersonnummer(testing::ReadFile(entry.path()), file + " " + when);
    }
    return files;
  };
  EXPECT_TRUE(std::filesystem::exists(path_.string() + "-wal"));
  EXPECT_GE(scan("while open"), 2);
  ExpectNoPersonnummer(testing::DumpDatabase(path_), "the database dump");
  // Closing checkpoints the WAL into the database file.
  service_ = nullptr;
  audit_ = nullptr;
  services_.reset();
  store_.reset();
  EXPECT_GE(scan("after closing"), 1);
}

}  // namespace
}  // namespace stegvis::service
