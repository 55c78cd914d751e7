#include "service/participant_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

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

// Reads typed fields of one CSV row, naming file, row and column in every error.
class RowReader {
 public:
  RowReader(std::string_view file, const CsvTable& table, const CsvRow& row)
      : file_(file), table_(table), row_(row) {}

  std::string Where(std::string_view column) const {
    return fmt::format("{}: rad {}, kolumn {}", file_, row_.line, column);
  }

  std::string_view Text(std::string_view column) const { return table_.Field(row_, column); }

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
  std::string_view file_;
  const CsvTable& table_;
  const CsvRow& row_;
};

// The förbund's plan and enrolments, changed in memory by an import and stored at the end.
class Workspace {
 public:
  static Result<Workspace> Load(store::Store& store, std::string_view forbund_id) {
    Workspace workspace;
    STEGVIS_ASSIGN_OR_RETURN(workspace.plan_, store.LoadPlan(forbund_id));
    STEGVIS_ASSIGN_OR_RETURN(workspace.enrolments_, store.LoadEnrolments(forbund_id));
    return workspace;
  }

  const core::Plan& plan() const { return plan_; }
  std::vector<Enrolment>& enrolments() { return enrolments_; }

  // Indices of the person's enrolments in the intervention.
  std::vector<std::size_t> Find(const std::string& person_key, std::string_view insats) const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < enrolments_.size(); ++i) {
      const Enrolment& enrolment = enrolments_[i];
      if (enrolment.person_key == person_key && enrolment.insats_id == insats) found.push_back(i);
    }
    return found;
  }

  std::vector<const Enrolment*> Pointers(const std::vector<std::size_t>& indices) const {
    std::vector<const Enrolment*> pointers;
    for (std::size_t index : indices) pointers.push_back(&enrolments_[index]);
    return pointers;
  }

  // Records that the enrolment changed; the first line that changed it is kept for errors.
  void MarkChanged(std::size_t index, std::size_t line) { changed_.emplace(index, line); }
  std::size_t Add(Enrolment enrolment, std::size_t line) {
    enrolments_.push_back(std::move(enrolment));
    MarkChanged(enrolments_.size() - 1, line);
    return enrolments_.size() - 1;
  }
  const std::map<std::size_t, std::size_t>& changed() const { return changed_; }

  // Stores the changed enrolments and records each in the audit log.
  Status Save(store::Store& store, AuditLog& audit, const Actor& actor, std::string_view action) {
    std::vector<Enrolment> to_save;
    for (const auto& [index, line] : changed_) to_save.push_back(enrolments_[index]);
    if (to_save.empty()) return util::Ok();
    STEGVIS_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids,
                             store.SaveEnrolments(plan_.forbund.id, to_save));
    std::vector<std::string> targets;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      targets.push_back(fmt::format("forbund:{} insats:{} inskrivning:{}", plan_.forbund.id,
                                    to_save[i].insats_id, ids[i]));
    }
    return audit.RecordAll(actor, action, targets);
  }

 private:
  core::Plan plan_;
  std::vector<Enrolment> enrolments_;
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
    const std::vector<std::size_t> same =
        workspace.Find(*enrolment.person_key, enrolment.insats_id);
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
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(store_, forbund_id));
  const int current_year = today_().year();
  ParticipantImportSummary summary;
  std::set<std::tuple<std::string, std::string, int>> seen;
  // Anonymous rows cannot be matched to a person, so a file states how many anonymous
  // enrolments an intervention has per kön and start year: those already stored count, so
  // that importing the same file again adds nothing.
  using AnonymousKey = std::tuple<std::string, core::Kon, int>;
  std::map<AnonymousKey, int> anonymous_stored;
  std::map<AnonymousKey, int> anonymous_in_file;
  for (const Enrolment& enrolment : workspace.enrolments()) {
    if (enrolment.anonymous && !enrolment.exit && enrolment.start.month() == 1 &&
        enrolment.start.day() == 1) {
      ++anonymous_stored[{enrolment.insats_id, enrolment.kon, enrolment.start.year()}];
    }
  }

  for (const CsvRow& row : table->rows()) {
    const RowReader reader(file_name, *table, row);
    ++summary.rows;
    Enrolment enrolment;
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
      // Without consent only kön, start year and intervention are kept.
      enrolment.anonymous = true;
      enrolment.start = *Date::FromYmd(enrolment.start.year(), 1, 1);
      if (auto checked = core::CheckEnrolment(workspace.plan(), enrolment); !checked) {
        return Fail(reader.At(checked.error(), "insats"));
      }
      const AnonymousKey key{enrolment.insats_id, enrolment.kon, enrolment.start.year()};
      if (++anonymous_in_file[key] <= anonymous_stored[key]) continue;  // Already stored.
      workspace.Add(std::move(enrolment), row.line);
      ++summary.created;
      continue;
    }

    STEGVIS_ASSIGN_OR_RETURN(std::string identifier, reader.Required("deltagare"));
    auto identity = pseudonyms_.Identify(identifier, current_year);
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
    STEGVIS_ASSIGN_OR_RETURN(std::optional<int> step_start, reader.OptionalInt("steg_start"));
    STEGVIS_ASSIGN_OR_RETURN(std::optional<Date> end, reader.OptionalDate("slutdatum"));
    STEGVIS_ASSIGN_OR_RETURN(
        std::optional<core::ExitReason> reason,
        reader.OptionalCode("avslutsorsak", &core::ParseExitReason, core::ExitReasonCodes()));
    STEGVIS_ASSIGN_OR_RETURN(std::optional<int> step_end, reader.OptionalInt("steg_slut"));
    if (end.has_value() != reason.has_value()) {
      return reader.Invalid(end ? "avslutsorsak" : "slutdatum",
                            "slutdatum och avslutsorsak anges tillsammans",
                            "slutdatum and avslutsorsak go together");
    }
    if (end) {
      STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forsorjning> income,
                               reader.IncomeCodes("forsorjning_slut"));
      enrolment.exit = core::Exit{*end, *reason, std::move(income)};
    } else if (step_end || !reader.Text("forsorjning_slut").empty()) {
      return reader.Invalid("slutdatum", "uppgifter vid avslut kräver slutdatum",
                            "exit details need slutdatum");
    }

    if (!seen.emplace(*enrolment.person_key, enrolment.insats_id, enrolment.start.DaysSinceEpoch())
             .second) {
      return reader.Invalid("startdatum",
                            "samma inskrivning (deltagare, insats, startdatum) finns två gånger i "
                            "filen",
                            "the same enrolment (deltagare, insats, startdatum) appears twice in "
                            "the file");
    }

    // The same person, intervention and start date is the same enrolment: update it.
    std::optional<std::size_t> existing;
    for (std::size_t index : workspace.Find(*enrolment.person_key, enrolment.insats_id)) {
      if (workspace.enrolments()[index].start == enrolment.start) existing = index;
    }
    if (existing) {
      Enrolment& stored = workspace.enrolments()[*existing];
      if (stored.exit) SetStep(stored.measurements, stored.exit->date, std::nullopt);
      enrolment.id = stored.id;
      enrolment.measurements = std::move(stored.measurements);
      enrolment.follow_ups = std::move(stored.follow_ups);
    }
    SetStep(enrolment.measurements, enrolment.start, step_start);
    if (enrolment.exit) SetStep(enrolment.measurements, enrolment.exit->date, step_end);
    if (auto checked = core::CheckEnrolment(workspace.plan(), enrolment); !checked) {
      util::Error error = checked.error();
      // A ladder value out of range comes from steg_start or steg_slut: name the wrong one.
      if (error.location == "steg") {
        const auto range = workspace.plan().MeasureRange(core::kMeasureSteg);
        const bool start_wrong =
            step_start && (*step_start < range->first || *step_start > range->second);
        error.location = start_wrong ? "steg_start" : "steg_slut";
      }
      if (error.location == "datum") error.location = "slutdatum";
      return Fail(reader.At(error, "deltagare"));
    }
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
  STEGVIS_TRY(workspace.Save(store_, audit_, actor, "importerade deltagare"));
  return summary;
}

Result<ParticipantImportSummary> ParticipantService::ImportMatningar(const Actor& actor,
                                                                     std::string_view forbund_id,
                                                                     std::string_view file_name,
                                                                     std::string_view content) {
  auto table = CsvTable::Parse(content, {"deltagare", "insats", "datum", "matt", "varde"}, {});
  if (!table) return Fail(table.error().Within(file_name));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(store_, forbund_id));
  const int current_year = today_().year();
  ParticipantImportSummary summary;
  for (const CsvRow& row : table->rows()) {
    const RowReader reader(file_name, *table, row);
    ++summary.rows;
    STEGVIS_ASSIGN_OR_RETURN(const auto person_insats,
                             reader.PersonAndInsats(pseudonyms_, current_year, actor, forbund_id));
    const auto& [identity, insats] = person_insats;
    STEGVIS_ASSIGN_OR_RETURN(Date date, reader.RequiredDate("datum"));
    STEGVIS_ASSIGN_OR_RETURN(std::string measure, reader.Required("matt"));
    measure = Lower(measure);
    STEGVIS_ASSIGN_OR_RETURN(int value, reader.RequiredInt("varde"));

    const std::vector<std::size_t> same = workspace.Find(identity.key, insats);
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
    Enrolment& enrolment = workspace.enrolments()[index];
    const std::size_t before = enrolment.measurements.size();
    std::erase_if(enrolment.measurements, [&](const core::Measurement& measurement) {
      return measurement.measure == measure && measurement.date == date;
    });
    (before == enrolment.measurements.size() ? summary.created : summary.updated) += 1;
    enrolment.measurements.push_back(core::Measurement{date, measure, value});
    if (auto checked = core::CheckEnrolment(workspace.plan(), enrolment); !checked) {
      util::Error error = checked.error();
      if (error.location == "steg") error.location = "varde";
      return Fail(reader.At(error, "varde"));
    }
    workspace.MarkChanged(index, row.line);
  }
  STEGVIS_TRY(workspace.Save(store_, audit_, actor, "importerade matningar"));
  return summary;
}

Result<ParticipantImportSummary> ParticipantService::ImportUppfoljningar(
    const Actor& actor, std::string_view forbund_id, std::string_view file_name,
    std::string_view content) {
  auto table =
      CsvTable::Parse(content, {"deltagare", "insats", "datum", "manader", "sysselsattning"}, {});
  if (!table) return Fail(table.error().Within(file_name));
  STEGVIS_ASSIGN_OR_RETURN(Workspace workspace, Workspace::Load(store_, forbund_id));
  const int current_year = today_().year();
  ParticipantImportSummary summary;
  for (const CsvRow& row : table->rows()) {
    const RowReader reader(file_name, *table, row);
    ++summary.rows;
    STEGVIS_ASSIGN_OR_RETURN(const auto person_insats,
                             reader.PersonAndInsats(pseudonyms_, current_year, actor, forbund_id));
    const auto& [identity, insats] = person_insats;
    STEGVIS_ASSIGN_OR_RETURN(Date date, reader.RequiredDate("datum"));
    STEGVIS_ASSIGN_OR_RETURN(int months, reader.RequiredInt("manader"));
    STEGVIS_ASSIGN_OR_RETURN(core::Sysselsattning status,
                             reader.RequiredCode("sysselsattning", &core::ParseSysselsattning,
                                                 core::SysselsattningCodes()));
    // The latest exit from the intervention on or before the follow-up date.
    std::optional<std::size_t> found;
    for (std::size_t index : workspace.Find(identity.key, insats)) {
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
    Enrolment& enrolment = workspace.enrolments()[*found];
    const std::size_t before = enrolment.follow_ups.size();
    std::erase_if(enrolment.follow_ups,
                  [&](const core::FollowUp& follow_up) { return follow_up.months == months; });
    (before == enrolment.follow_ups.size() ? summary.created : summary.updated) += 1;
    enrolment.follow_ups.push_back(core::FollowUp{date, months, status});
    std::sort(enrolment.follow_ups.begin(), enrolment.follow_ups.end(),
              [](const core::FollowUp& a, const core::FollowUp& b) { return a.months < b.months; });
    if (auto checked = core::CheckEnrolment(workspace.plan(), enrolment); !checked) {
      return Fail(reader.At(checked.error(), "datum"));
    }
    workspace.MarkChanged(*found, row.line);
  }
  STEGVIS_TRY(workspace.Save(store_, audit_, actor, "importerade uppfoljningar"));
  return summary;
}

Result<std::size_t> ParticipantService::WithdrawConsent(const Actor& actor,
                                                        std::string_view forbund_id,
                                                        std::string_view identifier) {
  auto identity = pseudonyms_.Identify(identifier, today_().year());
  if (!identity) return Fail(identity.error().Within("deltagare"));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<Enrolment> enrolments, store_.LoadEnrolments(forbund_id));
  std::vector<Enrolment> anonymised;
  for (Enrolment& enrolment : enrolments) {
    if (enrolment.person_key != identity->key) continue;
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
  if (anonymised.empty()) {
    return Fail(Code::kNotFound, "deltagare", "ingen inskrivning för deltagaren i förbundet",
                "no enrolment of the participant in the förbund");
  }
  STEGVIS_TRY(store_.SaveEnrolments(forbund_id, anonymised));
  std::vector<std::string> targets;
  for (const Enrolment& enrolment : anonymised) {
    targets.push_back(fmt::format("forbund:{} insats:{} inskrivning:{}", forbund_id,
                                  enrolment.insats_id, enrolment.id));
  }
  STEGVIS_TRY(audit_.RecordAll(actor, "aterkallade samtycke", targets));
  return anonymised.size();
}

}  // namespace stegvis::service
