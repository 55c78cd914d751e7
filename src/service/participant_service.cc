#include "service/participant_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/participant_rules.h"
#include "formats/csv.h"

namespace stegvis::service {

namespace {

using core::Enrolment;
using formats::CsvRow;
using formats::CsvTable;
using util::Code;
using util::Date;
using util::Fail;
using util::Result;
using util::Status;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// Reads typed fields of one CSV row or one form, naming the place in every error: "FILE: rad
// N, kolumn C" for a file, the field's own name for a form (so that a page can show the error
// beside the field).
class RowReader {
 public:
  static RowReader ForCsv(std::string_view file, const CsvTable& table, const CsvRow& row) {
    return RowReader([&table, &row](std::string_view column) { return table.Field(row, column); },
                     [file, line = row.line](std::string_view column) {
                       return fmt::format("{}: rad {}, kolumn {}", file, line, column);
                     });
  }

  static RowReader ForForm(const Fields& fields) {
    return RowReader(
        [&fields](std::string_view column) -> std::string_view {
          const auto found = fields.find(column);
          if (found == fields.end()) return {};
          // Trimmed like a CSV field.
          std::string_view text = found->second;
          while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
            text.remove_prefix(1);
          }
          while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                                   text.back() == '\r' || text.back() == '\n')) {
            text.remove_suffix(1);
          }
          return text;
        },
        [](std::string_view column) { return std::string(column); });
  }

  std::string Where(std::string_view column) const { return where_(column); }

  std::string_view Text(std::string_view column) const { return text_(column); }

  // The row's person (as a pseudonym) and intervention, which the actor must be allowed to
  // change records of: the opening of every row of matningar and uppfoljningar.
  Result<std::pair<privacy::PersonIdentity, std::string>> PersonAndInsats(
      const privacy::Pseudonymizer& pseudonyms, int current_year, const Actor& actor,
      std::string_view forbund_id) const {
    STEGVIS_ASSIGN_OR_RETURN(std::string identifier, Required("deltagare"));
    auto identity = pseudonyms.Identify(identifier, current_year);
    if (!identity) return Fail(At(identity.error(), "deltagare"));
    STEGVIS_ASSIGN_OR_RETURN(std::string insats, Required("insats"));
    insats = Lower(insats);
    STEGVIS_TRY(Authorized(actor, forbund_id, insats));
    return std::pair{std::move(*identity), std::move(insats)};
  }

  // kPermissionDenied at this row unless the actor may change the intervention's records.
  Status Authorized(const Actor& actor, std::string_view forbund_id,
                    const std::string& insats) const {
    auto allowed = Authorize(actor, Action::kWriteParticipants, {std::string(forbund_id), insats});
    if (!allowed) return Fail(At(allowed.error(), "insats"));
    return util::Ok();
  }

  // Re-anchors an error from the core (whose location is a field name) at this row.
  util::Error At(const util::Error& error, std::string_view default_column) const {
    util::Error anchored = error;
    anchored.location = Where(error.location.empty() ? default_column : error.location);
    return anchored;
  }

  tl::unexpected<util::Error> Invalid(std::string_view column, std::string swedish,
                                      std::string english) const {
    return Fail(Code::kInvalidArgument, Where(column), std::move(swedish), std::move(english));
  }

  Result<std::string> Required(std::string_view column) const {
    const std::string_view text = Text(column);
    if (text.empty()) return Invalid(column, "värde saknas", "value missing");
    return std::string(text);
  }

  Result<std::optional<Date>> OptionalDate(std::string_view column) const {
    const std::string_view text = Text(column);
    if (text.empty()) return std::optional<Date>();
    std::optional<Date> date = Date::Parse(text);
    if (!date) {
      return Invalid(column, fmt::format("förväntade ett datum ÅÅÅÅ-MM-DD, fick \"{}\"", text),
                     fmt::format("expected a date YYYY-MM-DD, got \"{}\"", text));
    }
    return date;
  }

  Result<Date> RequiredDate(std::string_view column) const {
    STEGVIS_ASSIGN_OR_RETURN(std::optional<Date> date, OptionalDate(column));
    if (!date) return Invalid(column, "datum saknas", "date missing");
    return *date;
  }

  Result<std::optional<int>> OptionalInt(std::string_view column) const {
    const std::string_view text = Text(column);
    if (text.empty()) return std::optional<int>();
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      return Invalid(column, fmt::format("förväntade ett heltal, fick \"{}\"", text),
                     fmt::format("expected a whole number, got \"{}\"", text));
    }
    return std::optional<int>(value);
  }

  Result<int> RequiredInt(std::string_view column) const {
    STEGVIS_ASSIGN_OR_RETURN(std::optional<int> value, OptionalInt(column));
    if (!value) return Invalid(column, "värde saknas", "value missing");
    return *value;
  }

  template <typename Enum>
  Result<std::optional<Enum>> OptionalCode(std::string_view column,
                                           std::optional<Enum> (*parse)(std::string_view),
                                           const std::string& codes) const {
    const std::string_view text = Text(column);
    if (text.empty()) return std::optional<Enum>();
    std::optional<Enum> value = parse(text);
    if (!value) value = parse(Lower(text));
    if (!value) {
      return Invalid(column, fmt::format("okänd kod \"{}\"; förväntade en av {}", text, codes),
                     fmt::format("unknown code \"{}\"; expected one of {}", text, codes));
    }
    return value;
  }

  template <typename Enum>
  Result<Enum> RequiredCode(std::string_view column, std::optional<Enum> (*parse)(std::string_view),
                            const std::string& codes) const {
    STEGVIS_ASSIGN_OR_RETURN(std::optional<Enum> value, OptionalCode(column, parse, codes));
    if (!value) {
      return Invalid(column, fmt::format("värde saknas; förväntade en av {}", codes),
                     fmt::format("value missing; expected one of {}", codes));
    }
    return *value;
  }

  // Codes separated by '|', e.g. "a_kassa|forsorjningsstod".
  Result<std::vector<core::Forsorjning>> IncomeCodes(std::string_view column) const {
    std::vector<core::Forsorjning> values;
    std::string_view text = Text(column);
    while (!text.empty()) {
      const std::size_t bar = text.find('|');
      std::string part = Lower(text.substr(0, bar));
      part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
      std::optional<core::Forsorjning> value = core::ParseForsorjning(part);
      if (!value) {
        return Invalid(column,
                       fmt::format("okänd försörjning \"{}\"; förväntade koder skilda med | ur {}",
                                   part, core::ForsorjningCodes()),
                       fmt::format("unknown income source \"{}\"; expected codes separated by | "
                                   "from {}",
                                   part, core::ForsorjningCodes()));
      }
      values.push_back(*value);
      if (bar == std::string_view::npos) break;
      text.remove_prefix(bar + 1);
    }
    return values;
  }

 private:
  using Lookup = std::function<std::string_view(std::string_view)>;
  using Locate = std::function<std::string(std::string_view)>;
  RowReader(Lookup text, Locate where) : text_(std::move(text)), where_(std::move(where)) {}

  Lookup text_;
  Locate where_;
};

// The enrolments a use case works on, inside its unit of work: looked up by person and
// intervention (or id) as it needs them, changed in memory and stored at the end with one
// audit entry each. Nothing of the förbund is loaded that the use case does not touch.
class Workspace {
 public:
  static Result<Workspace> Load(store::UnitOfWork& work, std::string_view forbund_id) {
    Workspace workspace(work);
    STEGVIS_ASSIGN_OR_RETURN(workspace.plan_, work->LoadPlan(forbund_id));
    return workspace;
  }

  const core::Plan& plan() const { return plan_; }
  std::vector<Enrolment>& enrolments() { return enrolments_; }

  // Indices of the person's enrolments in the intervention: those stored and those added.
  Result<std::vector<std::size_t>> Find(const std::string& person_key, std::string_view insats) {
    std::string key = PersonKey(person_key, insats);
    auto found = by_person_.find(key);
    if (found == by_person_.end()) {
      STEGVIS_ASSIGN_OR_RETURN(std::vector<Enrolment> stored,
                               (*work_)->FindEnrolments(plan_.forbund.id, person_key, insats));
      std::vector<std::size_t> indices;
      for (Enrolment& enrolment : stored) indices.push_back(Keep(std::move(enrolment)));
      found = by_person_.emplace(std::move(key), std::move(indices)).first;
    }
    return found->second;
  }

  // The index of the enrolment with `id`, or nullopt when the förbund has none.
  Result<std::optional<std::size_t>> FindById(std::int64_t id) {
    for (std::size_t i = 0; i < enrolments_.size(); ++i) {
      if (enrolments_[i].id == id) return std::optional<std::size_t>(i);
    }
    STEGVIS_ASSIGN_OR_RETURN(std::optional<Enrolment> stored,
                             (*work_)->LoadEnrolment(plan_.forbund.id, id));
    if (!stored) return std::optional<std::size_t>();
    return std::optional<std::size_t>(Keep(std::move(*stored)));
  }

  std::vector<const Enrolment*> Pointers(const std::vector<std::size_t>& indices) const {
    std::vector<const Enrolment*> pointers;
    for (std::size_t index : indices) pointers.push_back(&enrolments_[index]);
    return pointers;
  }

  // Records that the enrolment changed; the first line that changed it is kept for errors.
  void MarkChanged(std::size_t index, std::size_t line) { changed_.emplace(index, line); }
  // Adds a new enrolment. For a person, Find must have been asked first.
  std::size_t Add(Enrolment enrolment, std::size_t line) {
    const std::size_t index = enrolments_.size();
    if (enrolment.person_key) {
      by_person_[PersonKey(*enrolment.person_key, enrolment.insats_id)].push_back(index);
    }
    enrolments_.push_back(std::move(enrolment));
    MarkChanged(index, line);
    return index;
  }
  const std::map<std::size_t, std::size_t>& changed() const { return changed_; }

  // Stores the changed enrolments and records each in the audit log, in the unit of work;
  // returns their ids in the order of changed().
  Result<std::vector<std::int64_t>> Save(const AuditLog& audit, const Actor& actor,
                                         std::string_view action) {
    std::vector<Enrolment> to_save;
    to_save.reserve(changed_.size());
    for (const auto& [index, line] : changed_) to_save.push_back(enrolments_[index]);
    if (to_save.empty()) return std::vector<std::int64_t>{};
    STEGVIS_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids,
                             (*work_)->SaveEnrolments(plan_.forbund.id, to_save));
    std::vector<std::string> targets;
    targets.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      targets.push_back(fmt::format("forbund:{} insats:{} inskrivning:{}", plan_.forbund.id,
                                    to_save[i].insats_id, ids[i]));
    }
    STEGVIS_TRY(audit.RecordAll(*work_, actor, action, targets));
    return ids;
  }

 private:
  explicit Workspace(store::UnitOfWork& work) : work_(&work) {}
  static std::string PersonKey(std::string_view person_key, std::string_view insats) {
    std::string key(person_key);
    key += '\n';
    key += insats;
    return key;
  }
  std::size_t Keep(Enrolment enrolment) {
    enrolments_.push_back(std::move(enrolment));
    return enrolments_.size() - 1;
  }

  store::UnitOfWork* work_;
  core::Plan plan_;
  std::vector<Enrolment> enrolments_;
  // Keyed by person_key + '\n' + insats_id.
  std::unordered_map<std::string, std::vector<std::size_t>> by_person_;
  std::map<std::size_t, std::size_t> changed_;  // Enrolment index -> first changing line.
};

std::string FileWhere(std::string_view file, std::size_t line, std::string_view column) {
  return fmt::format("{}: rad {}, kolumn {}", file, line, column);
}

// After an import changed enrolments, no person may have overlapping enrolments in an
// intervention.
Status CheckNoOverlaps(Workspace& workspace, std::string_view file) {
  std::set<std::pair<std::string, std::string>> checked;
  for (const auto& [index, line] : workspace.changed()) {
    const Enrolment& enrolment = workspace.enrolments()[index];
    if (!enrolment.person_key) continue;
    if (!checked.emplace(*enrolment.person_key, enrolment.insats_id).second) continue;
    STEGVIS_ASSIGN_OR_RETURN(const std::vector<std::size_t> same,
                             workspace.Find(*enrolment.person_key, enrolment.insats_id));
    const int conflict = core::FindOverlap(workspace.Pointers(same));
    if (conflict < 0) continue;
    const std::size_t conflict_index = same[static_cast<std::size_t>(conflict)];
    const auto changed = workspace.changed().find(conflict_index);
    const std::size_t conflict_line = changed != workspace.changed().end() ? changed->second : line;
    return Fail(Code::kInvalidArgument, FileWhere(file, conflict_line, "startdatum"),
                "deltagaren har redan en inskrivning i insatsen som pågår eller överlappar "
                "(avsluta den först)",
                "the participant already has an ongoing or overlapping enrolment in the "
                "intervention (exit it first)");
  }
  return util::Ok();
}

void SetStep(std::vector<core::Measurement>& measurements, Date date, std::optional<int> step) {
  std::erase_if(measurements, [&](const core::Measurement& measurement) {
    return measurement.measure == core::kMeasureSteg && measurement.date == date;
  });
  if (step) measurements.push_back(core::Measurement{date, std::string(core::kMeasureSteg), *step});
}

// A deltagare row (or registration form) read into an enrolment, before it is merged with
// what is stored; the ladder steps are kept apart until then.
struct EnrolmentRow {
  Enrolment enrolment;
  std::optional<int> step_start;
  std::optional<int> step_end;
};

// The exit fields of a deltagare row or the exit form: slutdatum and avslutsorsak together,
// and the income and step at exit only with them.
struct ExitRow {
  std::optional<core::Exit> exit;
  std::optional<int> step_end;
};

Result<ExitRow> ReadExitFields(const RowReader& reader) {
  ExitRow row;
  STEGVIS_ASSIGN_OR_RETURN(std::optional<Date> end, reader.OptionalDate("slutdatum"));
  STEGVIS_ASSIGN_OR_RETURN(
      std::optional<core::ExitReason> reason,
      reader.OptionalCode("avslutsorsak", &core::ParseExitReason, core::ExitReasonCodes()));
  STEGVIS_ASSIGN_OR_RETURN(row.step_end, reader.OptionalInt("steg_slut"));
  if (end.has_value() != reason.has_value()) {
    return reader.Invalid(end ? "avslutsorsak" : "slutdatum",
                          "slutdatum och avslutsorsak anges tillsammans",
                          "slutdatum and avslutsorsak go together");
  }
  if (end) {
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forsorjning> income,
                             reader.IncomeCodes("forsorjning_slut"));
    row.exit = core::Exit{*end, *reason, std::move(income)};
  } else if (row.step_end || !reader.Text("forsorjning_slut").empty()) {
    return reader.Invalid("slutdatum", "uppgifter vid avslut kräver slutdatum",
                          "exit details need slutdatum");
  }
  return row;
}

// Reads a deltagare row: consent, the intervention (which the actor must be allowed to
// change records of), kön and start; with consent the person (as a pseudonym) and the
// background; and the optional exit. Without consent only kön, start year and intervention
// are kept and the start becomes 1 January.
Result<EnrolmentRow> ReadEnrolmentRow(const RowReader& reader,
                                      const privacy::Pseudonymizer& pseudonyms, int current_year,
                                      const Actor& actor, std::string_view forbund_id) {
  EnrolmentRow row;
  Enrolment& enrolment = row.enrolment;
  const std::string consent = Lower(reader.Text("samtycke"));
  if (consent != "ja" && consent != "nej") {
    return reader.Invalid("samtycke", "förväntade ja eller nej", "expected ja or nej");
  }
  STEGVIS_ASSIGN_OR_RETURN(enrolment.insats_id, reader.Required("insats"));
  enrolment.insats_id = Lower(enrolment.insats_id);
  STEGVIS_TRY(reader.Authorized(actor, forbund_id, enrolment.insats_id));
  STEGVIS_ASSIGN_OR_RETURN(enrolment.kon,
                           reader.RequiredCode("kon", &core::ParseKon, core::KonCodes()));
  STEGVIS_ASSIGN_OR_RETURN(enrolment.start, reader.RequiredDate("startdatum"));

  if (consent == "nej") {
    if (!reader.Text("deltagare").empty()) {
      return reader.Invalid("deltagare",
                            "lämna deltagare tom när samtycke är nej: utan samtycke registreras "
                            "inskrivningen anonymt",
                            "leave deltagare empty when samtycke is nej: without consent the "
                            "enrolment is registered anonymously");
    }
    enrolment.anonymous = true;
    enrolment.start = *Date::FromYmd(enrolment.start.year(), 1, 1);
    return row;
  }

  STEGVIS_ASSIGN_OR_RETURN(std::string identifier, reader.Required("deltagare"));
  auto identity = pseudonyms.Identify(identifier, current_year);
  if (!identity) return Fail(reader.At(identity.error(), "deltagare"));
  enrolment.person_key = identity->key;
  STEGVIS_ASSIGN_OR_RETURN(std::optional<int> birth_year, reader.OptionalInt("fodelsear"));
  if (identity->birth_year && birth_year && *birth_year != *identity->birth_year) {
    return reader.Invalid("fodelsear", "födelseåret stämmer inte med personnumret",
                          "the birth year does not match the personnummer");
  }
  enrolment.birth_year = identity->birth_year ? identity->birth_year : birth_year;
  if (!reader.Text("kommun").empty()) enrolment.kommun = Lower(reader.Text("kommun"));
  STEGVIS_ASSIGN_OR_RETURN(
      enrolment.remittent,
      reader.OptionalCode("remittent", &core::ParseRemittent, core::RemittentCodes()));
  STEGVIS_ASSIGN_OR_RETURN(enrolment.income_at_start, reader.IncomeCodes("forsorjning_start"));
  STEGVIS_ASSIGN_OR_RETURN(row.step_start, reader.OptionalInt("steg_start"));
  STEGVIS_ASSIGN_OR_RETURN(ExitRow exit, ReadExitFields(reader));
  enrolment.exit = std::move(exit.exit);
  row.step_end = exit.step_end;
  return row;
}

// Sets the row's ladder steps at start and exit on its enrolment and checks the enrolment
// against the plan, naming the row's field that is wrong.
Status ApplyStepsAndCheck(const core::Plan& plan, const RowReader& reader, EnrolmentRow& row) {
  Enrolment& enrolment = row.enrolment;
  SetStep(enrolment.measurements, enrolment.start, row.step_start);
  if (enrolment.exit) SetStep(enrolment.measurements, enrolment.exit->date, row.step_end);
  if (auto checked = core::CheckEnrolment(plan, enrolment); !checked) {
    util::Error error = checked.error();
    // A ladder value out of range comes from steg_start or steg_slut: name the wrong one.
    if (error.location == "steg") {
      const auto range = plan.MeasureRange(core::kMeasureSteg);
      const bool start_wrong =
          row.step_start && (*row.step_start < range->first || *row.step_start > range->second);
      error.location = start_wrong ? "steg_start" : "steg_slut";
    }
    if (error.location == "datum") error.location = "slutdatum";
    return Fail(reader.At(error, "deltagare"));
  }
  return util::Ok();
}

// The fields of a matningar row after the person: datum, matt, varde.
Result<core::Measurement> ReadMeasurement(const RowReader& reader) {
  core::Measurement measurement;
  STEGVIS_ASSIGN_OR_RETURN(measurement.date, reader.RequiredDate("datum"));
  STEGVIS_ASSIGN_OR_RETURN(measurement.measure, reader.Required("matt"));
  measurement.measure = Lower(measurement.measure);
  STEGVIS_ASSIGN_OR_RETURN(measurement.value, reader.RequiredInt("varde"));
  return measurement;
}

// Replaces the enrolment's value of the same measure on the same date, or adds one; true
// when a value was replaced. Checks the enrolment afterwards.
Result<bool> PutMeasurement(const core::Plan& plan, const RowReader& reader, Enrolment& enrolment,
                            core::Measurement measurement) {
  const std::size_t before = enrolment.measurements.size();
  std::erase_if(enrolment.measurements, [&](const core::Measurement& stored) {
    return stored.measure == measurement.measure && stored.date == measurement.date;
  });
  const bool replaced = before != enrolment.measurements.size();
  enrolment.measurements.push_back(std::move(measurement));
  if (auto checked = core::CheckEnrolment(plan, enrolment); !checked) {
    util::Error error = checked.error();
    if (error.location == "steg") error.location = "varde";
    return Fail(reader.At(error, "varde"));
  }
  return replaced;
}

// The fields of an uppfoljningar row after the person: datum, manader, sysselsattning.
Result<core::FollowUp> ReadFollowUp(const RowReader& reader) {
  core::FollowUp follow_up;
  STEGVIS_ASSIGN_OR_RETURN(follow_up.date, reader.RequiredDate("datum"));
  STEGVIS_ASSIGN_OR_RETURN(follow_up.months, reader.RequiredInt("manader"));
  STEGVIS_ASSIGN_OR_RETURN(follow_up.status,
                           reader.RequiredCode("sysselsattning", &core::ParseSysselsattning,
                                               core::SysselsattningCodes()));
  return follow_up;
}

// Replaces the enrolment's follow-up of the same number of months, or adds one; true when
// one was replaced. Checks the enrolment afterwards.
Result<bool> PutFollowUp(const core::Plan& plan, const RowReader& reader, Enrolment& enrolment,
                         core::FollowUp follow_up) {
  const std::size_t before = enrolment.follow_ups.size();
  std::erase_if(enrolment.follow_ups,
                [&](const core::FollowUp& stored) { return stored.months == follow_up.months; });
  const bool replaced = before != enrolment.follow_ups.size();
  enrolment.follow_ups.push_back(follow_up);
  std::sort(enrolment.follow_ups.begin(), enrolment.follow_ups.end(),
            [](const core::FollowUp& a, const core::FollowUp& b) { return a.months < b.months; });
  if (auto checked = core::CheckEnrolment(plan, enrolment); !checked) {
    return Fail(reader.At(checked.error(), "datum"));
  }
  return replaced;
}

}  // namespace

Result<ParticipantImportSummary> ParticipantService::ImportDeltagare(const Actor& actor,
                                                                     std::string_view forbund_id,
                                                                     std::string_view file_name,
                                                                     std::string_view content) {
  auto table =
      CsvTable::Parse(content, {"deltagare", "insats", "kon", "samtycke", "startdatum"},
                      {"fodelsear", "kommun", "remittent", "forsorjning_start", "steg_start",
                       "slutdatum", "avslutsorsak", "forsorjning_slut", "steg_slut"});
  if (!table) return Fail(table.error().Within(file_name));
  // Every row is read, checked and pseudonymised before the write lock is taken.
  const int current_year = today_().year();
  std::vector<EnrolmentRow> rows;
  rows.reserve(table->rows().size());
  std::unordered_set<std::string> seen;  // person_key, insats and start of each row.
  for (const CsvRow& row : table->rows()) {
    const RowReader reader = RowReader::ForCsv(file_name, *table, row);
    STEGVIS_ASSIGN_OR_RETURN(
        EnrolmentRow read, ReadEnrolmentRow(reader, pseudonyms_, current_year, actor, forbund_id));
    if (!read.enrolment.anonymous &&
        !seen.insert(fmt::format("{}\n{}\n{}", *read.enrolment.person_key, read.enrolment.insats_id,
                                 read.enrolment.start.ToString()))
             .second) {
      return reader.Invalid("startdatum",
                            "samma inskrivning (deltagare, insats, startdatum) finns två gånger i "
                            "filen",
                            "the same enrolment (deltagare, insats, startdatum) appears twice in "
                            "the file");
    }
    rows.push_back(std::move(read));
  }

  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(work, forbund_id));
  ParticipantImportSummary summary;
  // Anonymous rows cannot be matched to a person, so a file states how many anonymous
  // enrolments an intervention has per kön and start year: those already stored count, so
  // that importing the same file again adds nothing.
  using AnonymousKey = std::tuple<std::string, core::Kon, int>;
  std::map<AnonymousKey, int> anonymous_stored;
  std::map<AnonymousKey, int> anonymous_in_file;
  STEGVIS_ASSIGN_OR_RETURN(std::vector<store::AnonymousCount> counts,
                           work->CountAnonymous(forbund_id));
  for (const store::AnonymousCount& count : counts) {
    anonymous_stored[{count.insats_id, count.kon, count.year}] = count.count;
  }

  for (std::size_t r = 0; r < rows.size(); ++r) {
    const CsvRow& row = table->rows()[r];
    const RowReader reader = RowReader::ForCsv(file_name, *table, row);
    ++summary.rows;
    EnrolmentRow& read = rows[r];
    Enrolment& enrolment = read.enrolment;
    if (enrolment.anonymous) {
      if (auto checked = core::CheckEnrolment(workspace.plan(), enrolment); !checked) {
        return Fail(reader.At(checked.error(), "insats"));
      }
      const AnonymousKey key{enrolment.insats_id, enrolment.kon, enrolment.start.year()};
      if (++anonymous_in_file[key] <= anonymous_stored[key]) continue;  // Already stored.
      workspace.Add(std::move(enrolment), row.line);
      ++summary.created;
      continue;
    }

    // The same person, intervention and start date is the same enrolment: update it.
    std::optional<std::size_t> existing;
    STEGVIS_ASSIGN_OR_RETURN(const std::vector<std::size_t> same,
                             workspace.Find(*enrolment.person_key, enrolment.insats_id));
    for (std::size_t index : same) {
      if (workspace.enrolments()[index].start == enrolment.start) existing = index;
    }
    if (existing) {
      Enrolment& stored = workspace.enrolments()[*existing];
      if (stored.exit) SetStep(stored.measurements, stored.exit->date, std::nullopt);
      enrolment.id = stored.id;
      enrolment.measurements = std::move(stored.measurements);
      enrolment.follow_ups = std::move(stored.follow_ups);
    }
    STEGVIS_TRY(ApplyStepsAndCheck(workspace.plan(), reader, read));
    if (existing) {
      workspace.enrolments()[*existing] = std::move(enrolment);
      workspace.MarkChanged(*existing, row.line);
      ++summary.updated;
    } else {
      workspace.Add(std::move(enrolment), row.line);
      ++summary.created;
    }
  }
  STEGVIS_TRY(CheckNoOverlaps(workspace, file_name));
  STEGVIS_TRY(workspace.Save(audit_, actor, "importerade deltagare"));
  STEGVIS_TRY(work.Commit());
  return summary;
}

namespace {

// A matningar or uppfoljningar row read before the write lock: the person as a pseudonym,
// the intervention, and the row's own fields.
template <typename Item>
struct PersonRow {
  const CsvRow* row = nullptr;
  privacy::PersonIdentity identity;
  std::string insats;
  Item item;
};

template <typename Item, typename ReadItem>
Result<std::vector<PersonRow<Item>>> ReadPersonRows(
    const CsvTable& table, std::string_view file_name, const privacy::Pseudonymizer& pseudonyms,
    int current_year, const Actor& actor, std::string_view forbund_id, ReadItem read_item) {
  std::vector<PersonRow<Item>> rows;
  rows.reserve(table.rows().size());
  for (const CsvRow& row : table.rows()) {
    const RowReader reader = RowReader::ForCsv(file_name, table, row);
    STEGVIS_ASSIGN_OR_RETURN(auto person_insats,
                             reader.PersonAndInsats(pseudonyms, current_year, actor, forbund_id));
    STEGVIS_ASSIGN_OR_RETURN(Item item, read_item(reader));
    rows.push_back(PersonRow<Item>{&row, std::move(person_insats.first),
                                   std::move(person_insats.second), std::move(item)});
  }
  return rows;
}

}  // namespace

Result<ParticipantImportSummary> ParticipantService::ImportMatningar(const Actor& actor,
                                                                     std::string_view forbund_id,
                                                                     std::string_view file_name,
                                                                     std::string_view content) {
  auto table = CsvTable::Parse(content, {"deltagare", "insats", "datum", "matt", "varde"}, {});
  if (!table) return Fail(table.error().Within(file_name));
  STEGVIS_ASSIGN_OR_RETURN(
      std::vector<PersonRow<core::Measurement>> rows,
      ReadPersonRows<core::Measurement>(*table, file_name, pseudonyms_, today_().year(), actor,
                                        forbund_id, &ReadMeasurement));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(work, forbund_id));
  ParticipantImportSummary summary;
  for (PersonRow<core::Measurement>& read : rows) {
    const RowReader reader = RowReader::ForCsv(file_name, *table, *read.row);
    ++summary.rows;
    const Date date = read.item.date;
    STEGVIS_ASSIGN_OR_RETURN(const std::vector<std::size_t> same,
                             workspace.Find(read.identity.key, read.insats));
    const core::Enrolment* covering = core::CoveringEnrolment(workspace.Pointers(same), date);
    if (covering == nullptr) {
      return reader.Invalid("datum",
                            same.empty() ? "deltagaren är inte inskriven i insatsen"
                                         : "ingen inskrivning av deltagaren i insatsen omfattar "
                                           "datumet",
                            same.empty() ? "the participant is not enrolled in the intervention"
                                         : "no enrolment of the participant in the intervention "
                                           "covers the date");
    }
    const auto index = static_cast<std::size_t>(covering - workspace.enrolments().data());
    STEGVIS_ASSIGN_OR_RETURN(const bool replaced,
                             PutMeasurement(workspace.plan(), reader, workspace.enrolments()[index],
                                            std::move(read.item)));
    (replaced ? summary.updated : summary.created) += 1;
    workspace.MarkChanged(index, read.row->line);
  }
  STEGVIS_TRY(workspace.Save(audit_, actor, "importerade matningar"));
  STEGVIS_TRY(work.Commit());
  return summary;
}

Result<ParticipantImportSummary> ParticipantService::ImportUppfoljningar(
    const Actor& actor, std::string_view forbund_id, std::string_view file_name,
    std::string_view content) {
  auto table =
      CsvTable::Parse(content, {"deltagare", "insats", "datum", "manader", "sysselsattning"}, {});
  if (!table) return Fail(table.error().Within(file_name));
  STEGVIS_ASSIGN_OR_RETURN(
      std::vector<PersonRow<core::FollowUp>> rows,
      ReadPersonRows<core::FollowUp>(*table, file_name, pseudonyms_, today_().year(), actor,
                                     forbund_id, &ReadFollowUp));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(work, forbund_id));
  ParticipantImportSummary summary;
  for (PersonRow<core::FollowUp>& read : rows) {
    const RowReader reader = RowReader::ForCsv(file_name, *table, *read.row);
    ++summary.rows;
    const Date date = read.item.date;
    // The latest exit from the intervention on or before the follow-up date.
    std::optional<std::size_t> found;
    STEGVIS_ASSIGN_OR_RETURN(const std::vector<std::size_t> same,
                             workspace.Find(read.identity.key, read.insats));
    for (std::size_t index : same) {
      const Enrolment& candidate = workspace.enrolments()[index];
      if (!candidate.exit || candidate.exit->date > date) continue;
      if (!found || workspace.enrolments()[*found].exit->date < candidate.exit->date) {
        found = index;
      }
    }
    if (!found) {
      return reader.Invalid("datum",
                            "deltagaren har inget avslut i insatsen före uppföljningsdatumet",
                            "the participant has no exit from the intervention before the "
                            "follow-up date");
    }
    STEGVIS_ASSIGN_OR_RETURN(
        const bool replaced,
        PutFollowUp(workspace.plan(), reader, workspace.enrolments()[*found], read.item));
    (replaced ? summary.updated : summary.created) += 1;
    workspace.MarkChanged(*found, read.row->line);
  }
  STEGVIS_TRY(workspace.Save(audit_, actor, "importerade uppfoljningar"));
  STEGVIS_TRY(work.Commit());
  return summary;
}

Result<std::size_t> ParticipantService::WithdrawConsent(const Actor& actor,
                                                        std::string_view forbund_id,
                                                        std::string_view identifier) {
  auto identity = pseudonyms_.Identify(identifier, today_().year());
  if (!identity) return Fail(identity.error().Within("deltagare"));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, work->LoadPlan(forbund_id));
  std::vector<Enrolment> anonymised;
  for (const core::Insats& insats : plan.insatser) {
    STEGVIS_ASSIGN_OR_RETURN(std::vector<Enrolment> enrolments,
                             work->FindEnrolments(forbund_id, identity->key, insats.id));
    for (Enrolment& enrolment : enrolments) {
      STEGVIS_TRY(Authorize(actor, Action::kWriteParticipants,
                            {std::string(forbund_id), enrolment.insats_id}));
      enrolment.person_key.reset();
      enrolment.anonymous = true;
      enrolment.birth_year.reset();
      enrolment.kommun.reset();
      enrolment.remittent.reset();
      enrolment.income_at_start.clear();
      if (enrolment.exit) enrolment.exit->income.clear();
      enrolment.measurements.clear();
      enrolment.follow_ups.clear();
      anonymised.push_back(std::move(enrolment));
    }
  }
  if (anonymised.empty()) {
    return Fail(Code::kNotFound, "deltagare", "ingen inskrivning för deltagaren i förbundet",
                "no enrolment of the participant in the förbund");
  }
  std::sort(anonymised.begin(), anonymised.end(),
            [](const Enrolment& a, const Enrolment& b) { return a.id < b.id; });
  STEGVIS_TRY(work->SaveEnrolments(forbund_id, anonymised));
  std::vector<std::string> targets;
  for (const Enrolment& enrolment : anonymised) {
    targets.push_back(fmt::format("forbund:{} insats:{} inskrivning:{}", forbund_id,
                                  enrolment.insats_id, enrolment.id));
  }
  STEGVIS_TRY(audit_.RecordAll(work, actor, "aterkallade samtycke", targets));
  STEGVIS_TRY(work.Commit());
  return anonymised.size();
}

namespace {

// The answer for an enrolment id that is not stored: for an account the same refusal as for
// another intervention's record, so that ids cannot be probed; not found for the operator.
tl::unexpected<util::Error> MissingRecord(const Actor& actor) {
  if (!actor.account) {
    return Fail(Code::kNotFound, "", "inskrivningen finns inte", "no such enrolment");
  }
  return Fail(Code::kPermissionDenied, "", "du har inte behörighet till det här",
              "you are not allowed to do this");
}

std::string RecordTarget(std::string_view forbund_id, const Enrolment& enrolment) {
  return fmt::format("forbund:{} insats:{} inskrivning:{}", forbund_id, enrolment.insats_id,
                     enrolment.id);
}

EnrolmentRecord ToRecord(Enrolment enrolment) {
  EnrolmentRecord record;
  record.identified = enrolment.person_key.has_value();
  enrolment.person_key.reset();
  record.enrolment = std::move(enrolment);
  return record;
}

}  // namespace

Result<std::int64_t> ParticipantService::RegisterEnrolment(const Actor& actor,
                                                           std::string_view forbund_id,
                                                           const Fields& fields) {
  const RowReader reader = RowReader::ForForm(fields);
  // Outside one's own förbund the answer is the same whether it exists or not.
  STEGVIS_TRY(Authorize(actor, Action::kViewPlan, {std::string(forbund_id), std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(
      EnrolmentRow row, ReadEnrolmentRow(reader, pseudonyms_, today_().year(), actor, forbund_id));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(work, forbund_id));
  if (row.enrolment.anonymous) {
    if (auto checked = core::CheckEnrolment(workspace.plan(), row.enrolment); !checked) {
      return Fail(reader.At(checked.error(), "insats"));
    }
  } else {
    STEGVIS_TRY(ApplyStepsAndCheck(workspace.plan(), reader, row));
    STEGVIS_ASSIGN_OR_RETURN(const std::vector<std::size_t> same,
                             workspace.Find(*row.enrolment.person_key, row.enrolment.insats_id));
    for (std::size_t index : same) {
      if (workspace.enrolments()[index].start == row.enrolment.start) {
        return Fail(Code::kAlreadyExists, "startdatum",
                    "deltagaren har redan en inskrivning i insatsen med det startdatumet",
                    "the participant already has an enrolment in the intervention with that "
                    "start date");
      }
    }
    std::vector<const Enrolment*> all = workspace.Pointers(same);
    all.push_back(&row.enrolment);
    if (core::FindOverlap(all) >= 0) {
      return reader.Invalid("startdatum",
                            "deltagaren har redan en inskrivning i insatsen som pågår eller "
                            "överlappar (avsluta den först)",
                            "the participant already has an ongoing or overlapping enrolment in "
                            "the intervention (exit it first)");
    }
  }
  workspace.Add(std::move(row.enrolment), 0);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids,
                           workspace.Save(audit_, actor, "registrerade deltagare"));
  STEGVIS_TRY(work.Commit());
  return ids.at(0);
}

// Loads the förbund, finds the enrolment the actor may change, lets `change` change it with a
// form reader, and stores it with one audit entry.
template <typename Change>
Status ParticipantService::ChangeRecord(const Actor& actor, std::string_view forbund_id,
                                        std::int64_t enrolment_id, const Fields& fields,
                                        std::string_view action, Change change) {
  const RowReader reader = RowReader::ForForm(fields);
  STEGVIS_TRY(Authorize(actor, Action::kViewPlan, {std::string(forbund_id), std::nullopt}));
  // The enrolment is read and changed under the write lock: two changes at once are applied
  // one after the other, the second to what the first stored.
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(work, forbund_id));
  STEGVIS_ASSIGN_OR_RETURN(const std::optional<std::size_t> index,
                           workspace.FindById(enrolment_id));
  if (!index) return MissingRecord(actor);
  Enrolment& enrolment = workspace.enrolments()[*index];
  STEGVIS_TRY(
      Authorize(actor, Action::kWriteParticipants, {std::string(forbund_id), enrolment.insats_id}));
  if (enrolment.anonymous) {
    return Fail(Code::kFailedPrecondition, "", "inskrivningen är anonym (utan samtycke)",
                "the enrolment is anonymous (without consent)");
  }
  STEGVIS_TRY(change(workspace.plan(), reader, enrolment));
  workspace.MarkChanged(*index, 0);
  STEGVIS_TRY(workspace.Save(audit_, actor, action));
  return work.Commit();
}

Status ParticipantService::AddMeasurement(const Actor& actor, std::string_view forbund_id,
                                          std::int64_t enrolment_id, const Fields& fields) {
  return ChangeRecord(
      actor, forbund_id, enrolment_id, fields, "registrerade matning",
      [](const core::Plan& plan, const RowReader& reader, Enrolment& enrolment) -> Status {
        STEGVIS_ASSIGN_OR_RETURN(core::Measurement measurement, ReadMeasurement(reader));
        STEGVIS_TRY(PutMeasurement(plan, reader, enrolment, std::move(measurement)));
        return util::Ok();
      });
}

Status ParticipantService::RegisterExit(const Actor& actor, std::string_view forbund_id,
                                        std::int64_t enrolment_id, const Fields& fields) {
  return ChangeRecord(
      actor, forbund_id, enrolment_id, fields, "registrerade avslut",
      [](const core::Plan& plan, const RowReader& reader, Enrolment& enrolment) -> Status {
        if (enrolment.exit) {
          return Fail(Code::kFailedPrecondition, "slutdatum", "inskrivningen är redan avslutad",
                      "the enrolment has already ended");
        }
        STEGVIS_ASSIGN_OR_RETURN(ExitRow exit, ReadExitFields(reader));
        if (!exit.exit) return reader.Invalid("slutdatum", "datum saknas", "date missing");
        enrolment.exit = std::move(exit.exit);
        // Without steg_slut a step already measured on the exit day stays as it is.
        if (exit.step_end) SetStep(enrolment.measurements, enrolment.exit->date, exit.step_end);
        if (auto checked = core::CheckEnrolment(plan, enrolment); !checked) {
          util::Error error = checked.error();
          if (error.location == "steg") error.location = "steg_slut";
          if (error.location == "datum") error.location = "slutdatum";
          return Fail(reader.At(error, "slutdatum"));
        }
        return util::Ok();
      });
}

Status ParticipantService::RegisterFollowUp(const Actor& actor, std::string_view forbund_id,
                                            std::int64_t enrolment_id, const Fields& fields) {
  return ChangeRecord(
      actor, forbund_id, enrolment_id, fields, "registrerade uppfoljning",
      [](const core::Plan& plan, const RowReader& reader, Enrolment& enrolment) -> Status {
        STEGVIS_ASSIGN_OR_RETURN(core::FollowUp follow_up, ReadFollowUp(reader));
        if (!enrolment.exit) {
          return reader.Invalid("datum", "deltagaren har inte avslutats i insatsen",
                                "the participant has not exited the intervention");
        }
        STEGVIS_TRY(PutFollowUp(plan, reader, enrolment, follow_up));
        return util::Ok();
      });
}

Result<InsatsRecords> ParticipantService::ListRecords(const Actor& actor,
                                                      std::string_view forbund_id,
                                                      std::string_view insats_id,
                                                      const RecordQuery& query) {
  STEGVIS_TRY(Authorize(actor, Action::kReadParticipants,
                        {std::string(forbund_id), std::string(insats_id)}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  InsatsRecords records;
  STEGVIS_ASSIGN_OR_RETURN(records.plan, work->LoadPlan(forbund_id));
  records.insats = records.plan.FindInsats(insats_id);
  if (records.insats == nullptr || records.insats->kind != core::InsatsKind::kIndivid) {
    return Fail(Code::kNotFound, std::string(insats_id),
                "insatsen finns inte eller har inga deltagare",
                "no such intervention, or it has no participants");
  }
  STEGVIS_ASSIGN_OR_RETURN(
      store::EnrolmentPage page,
      work->ListEnrolments(forbund_id, {std::string(insats_id), query.filter, query.offset,
                                        std::min<std::size_t>(query.limit, kMaxRecordsPerPage)}));
  records.matching = page.matching;
  records.ongoing = page.ongoing;
  records.total = page.total;
  for (Enrolment& enrolment : page.enrolments) {
    records.records.push_back(ToRecord(std::move(enrolment)));
  }
  STEGVIS_TRY(audit_.Record(work, actor, "läste deltagarlista",
                            fmt::format("forbund:{} insats:{}", forbund_id, insats_id)));
  STEGVIS_TRY(work.Commit());
  return records;
}

Result<InsatsRecords> ParticipantService::Record(const Actor& actor, std::string_view forbund_id,
                                                 std::int64_t enrolment_id) {
  STEGVIS_TRY(Authorize(actor, Action::kViewPlan, {std::string(forbund_id), std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(std::optional<Enrolment> found,
                           work->LoadEnrolment(forbund_id, enrolment_id));
  if (!found) return MissingRecord(actor);
  STEGVIS_TRY(
      Authorize(actor, Action::kReadParticipants, {std::string(forbund_id), found->insats_id}));
  InsatsRecords records;
  STEGVIS_ASSIGN_OR_RETURN(records.plan, work->LoadPlan(forbund_id));
  records.insats = records.plan.FindInsats(found->insats_id);
  STEGVIS_TRY(audit_.Record(work, actor, "läste deltagare", RecordTarget(forbund_id, *found)));
  STEGVIS_TRY(work.Commit());
  records.records.push_back(ToRecord(std::move(*found)));
  records.matching = records.total = 1;
  return records;
}

Result<std::vector<std::int64_t>> ParticipantService::FindPerson(const Actor& actor,
                                                                 std::string_view forbund_id,
                                                                 std::string_view insats_id,
                                                                 std::string_view identifier) {
  STEGVIS_TRY(Authorize(actor, Action::kReadParticipants,
                        {std::string(forbund_id), std::string(insats_id)}));
  auto identity = pseudonyms_.Identify(identifier, today_().year());
  if (!identity) {
    util::Error error = identity.error();
    error.location = "deltagare";
    return Fail(std::move(error));
  }
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<Enrolment> found,
                           work->FindEnrolments(forbund_id, identity->key, insats_id));
  std::sort(found.begin(), found.end(),
            [](const Enrolment& a, const Enrolment& b) { return a.start > b.start; });
  std::vector<std::int64_t> ids;
  std::vector<std::string> targets;
  for (const Enrolment& enrolment : found) {
    ids.push_back(enrolment.id);
    targets.push_back(RecordTarget(forbund_id, enrolment));
  }
  if (targets.empty())
    targets.push_back(fmt::format("forbund:{} insats:{}", forbund_id, insats_id));
  STEGVIS_TRY(audit_.RecordAll(work, actor, "sökte deltagare", targets));
  STEGVIS_TRY(work.Commit());
  return ids;
}

Result<std::vector<core::Task>> ParticipantService::OpenTasks(const Actor& actor,
                                                              std::string_view forbund_id) {
  // The interventions on the account that Authorize lets it read records of: a coach's own.
  if (!actor.account) return std::vector<core::Task>{};
  std::vector<std::string> readable;
  for (const std::string& insats_id : actor.account->insats_ids) {
    if (Authorize(actor, Action::kReadParticipants, {std::string(forbund_id), insats_id})) {
      readable.push_back(insats_id);
    }
  }
  if (readable.empty()) return std::vector<core::Task>{};
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, work->LoadPlan(forbund_id));
  STEGVIS_ASSIGN_OR_RETURN(
      std::vector<Enrolment> enrolments,
      work->LoadActiveEnrolments(forbund_id, readable, core::EarliestExitWithTasks(today_())));
  std::vector<core::Task> tasks = core::OpenTasks(plan, enrolments, readable, today_());
  std::vector<std::string> targets;
  for (const std::string& insats_id : readable) {
    targets.push_back(fmt::format("forbund:{} insats:{} (uppgifter)", forbund_id, insats_id));
  }
  STEGVIS_TRY(audit_.RecordAll(work, actor, "läste uppgifter", targets));
  STEGVIS_TRY(work.Commit());
  return tasks;
}

Result<bool> ParticipantService::HasEnrolments(const Actor& actor, std::string_view forbund_id) {
  STEGVIS_TRY(Authorize(actor, Action::kViewPlan, {std::string(forbund_id), std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, work->LoadPlan(forbund_id));
  for (const core::Insats& insats : plan.insatser) {
    STEGVIS_ASSIGN_OR_RETURN(
        store::EnrolmentPage page,
        work->ListEnrolments(forbund_id, {insats.id, store::EnrolmentFilter::kAll, 0, 0}));
    if (page.total > 0) return true;
  }
  return false;
}

Status ParticipantService::CreateSyntheticForbund(
    const Actor& actor, const SyntheticOptions& options,
    const std::function<void(std::size_t done)>& progress) {
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, SyntheticPlan(options));
  STEGVIS_TRY(Authorize(actor, Action::kEditPlan, {plan.forbund.id, std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forbund> existing, work->ListForbund());
  for (const core::Forbund& forbund : existing) {
    if (forbund.id == plan.forbund.id) {
      return Fail(Code::kAlreadyExists, "--forbund",
                  fmt::format("förbundet \"{}\" finns redan; välj ett nytt id", forbund.id),
                  fmt::format("förbund \"{}\" already exists; choose a new id", forbund.id));
    }
  }
  STEGVIS_TRY(work->ReplacePlan(plan));
  STEGVIS_TRY(
      GenerateEnrolments(plan, options, pseudonyms_, 2000,
                         [&](std::vector<Enrolment>&& enrolments, std::size_t done) -> Status {
                           STEGVIS_TRY(work->SaveEnrolments(plan.forbund.id, enrolments));
                           if (progress) progress(done);
                           return util::Ok();
                         }));
  STEGVIS_TRY(audit_.Record(work, actor,
                            fmt::format("genererade syntetiskt förbund med {} inskrivningar "
                                        "(frö {})",
                                        options.deltagare, options.seed),
                            "forbund:" + plan.forbund.id));
  return work.Commit();
}

}  // namespace stegvis::service
