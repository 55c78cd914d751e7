#include "store/postgres/postgres_store.h"

#include <set>

#include <fmt/format.h>

#include "store/postgres/migrations.h"
#include "store/postgres/pg_values.h"

namespace stegvis::store::postgres {

namespace {

using core::Plan;
using util::Result;
using util::Status;

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& conninfo) {
  STEGVIS_ASSIGN_OR_RETURN(Connection connection, Connection::Open(conninfo));
  STEGVIS_TRY(Migrate(connection));
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(connection)));
}

StorePool::Opener PostgresStore::PoolOpener(const std::string& conninfo) {
  return [conninfo]() -> Result<std::unique_ptr<Store>> {
    STEGVIS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, Open(conninfo));
    return std::unique_ptr<Store>(std::move(store));
  };
}

Status PostgresStore::Begin(TransactionMode mode) {
  // A pooled connection whose server went away (e.g. restarted) connects again here, at
  // the start of a transaction, never in the middle of one.
  STEGVIS_TRY(connection_.EnsureConnected());
  if (connection_.InTransaction()) {
    return util::Fail(util::Code::kInternal, "postgresql",
                      "en transaktion kan inte börja inuti en annan",
                      "a transaction cannot begin inside another");
  }
  // READ COMMITTED under the write lock: every statement after the lock sees what every
  // earlier writer committed, as a SQLite writer after BEGIN IMMEDIATE does.
  Status begun =
      connection_.Execute(mode == TransactionMode::kRead
                              ? std::string("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                              : "BEGIN; " + connection_.WriteLockSql());
  // The lock not had in time leaves a failed transaction behind: the connection goes back
  // to its pool clean.
  if (!begun && connection_.InTransaction()) (void)connection_.Execute("ROLLBACK");
  return begun;
}

Status PostgresStore::Commit() { return connection_.Commit(); }

void PostgresStore::Rollback() {
  if (connection_.InTransaction()) (void)connection_.Execute("ROLLBACK");
}

Result<std::optional<std::string>> PostgresStore::Setting(std::string_view name) {
  STEGVIS_ASSIGN_OR_RETURN(Statement query,
                           connection_.Prepare("SELECT value FROM setting WHERE name = $1"));
  query.Bind(1, name);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

Status PostgresStore::PutSetting(std::string_view name, std::string_view value) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare("INSERT INTO setting (name, value) VALUES ($1, $2) "
                          "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"));
  upsert.Bind(1, name).Bind(2, value);
  return RunWrite(connection_, upsert);
}

Result<bool> PostgresStore::HasData() {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT (EXISTS (SELECT 1 FROM forbund) OR EXISTS (SELECT 1 FROM "
                          "account) OR EXISTS (SELECT 1 FROM audit_log))::integer"));
  STEGVIS_TRY(query.Step());
  return query.Int(0) != 0;
}

Result<std::int64_t> PostgresStore::Revision(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(Statement query,
                           connection_.Prepare("SELECT revision FROM forbund WHERE id = $1"));
  query.Bind(1, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  return found ? query.Int(0) : std::int64_t{-1};
}

Status PostgresStore::ReplacePlan(const Plan& plan) {
  return InTransaction(connection_, [&] { return WritePlan(plan); });
}

Status PostgresStore::WritePlan(const Plan& plan) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare(
          "INSERT INTO forbund (id, name, formed, suppression_k, equity_year, equity_ore, "
          "socio_avoided_support_ore, socio_avoided_administration_ore, socio_tax_income_ore, "
          "socio_months) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
          "ON CONFLICT (id) DO UPDATE SET name = $2, formed = $3, suppression_k = $4, "
          "equity_year = $5, equity_ore = $6, socio_avoided_support_ore = $7, "
          "socio_avoided_administration_ore = $8, socio_tax_income_ore = $9, socio_months = $10, "
          "revision = forbund.revision + 1"));
  upsert.Bind(1, plan.forbund.id)
      .Bind(2, plan.forbund.name)
      .Bind(3, DateText(plan.forbund.formed))
      .Bind(4, static_cast<std::int64_t>(plan.forbund.suppression_k));
  if (plan.equity) {
    upsert.Bind(5, static_cast<std::int64_t>(plan.equity->year)).Bind(6, plan.equity->amount.ore());
  } else {
    upsert.BindNull(5).BindNull(6);
  }
  upsert.Bind(7, plan.socioeconomic.avoided_support.ore())
      .Bind(8, plan.socioeconomic.avoided_administration.ore())
      .Bind(9, plan.socioeconomic.tax_income.ore())
      .Bind(10, static_cast<std::int64_t>(plan.socioeconomic.months));
  STEGVIS_TRY(upsert.Run());

  // Children first, so that no foreign key points at a row about to go.
  for (std::string_view table :
       {"economy_year", "insats_staffing", "insats_goal", "ladder_step", "measure_definition"}) {
    STEGVIS_ASSIGN_OR_RETURN(Statement clear, connection_.Prepare(fmt::format(
                                                  "DELETE FROM {} WHERE forbund_id = $1", table)));
    STEGVIS_TRY(clear.Bind(1, plan.forbund.id).Run());
  }
  STEGVIS_TRY(WriteInsatser(plan));
  STEGVIS_ASSIGN_OR_RETURN(Statement clear_members,
                           connection_.Prepare("DELETE FROM member WHERE forbund_id = $1"));
  STEGVIS_TRY(clear_members.Bind(1, plan.forbund.id).Run());
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert_member,
      connection_.Prepare(
          "INSERT INTO member (forbund_id, id, position, name, type) VALUES ($1, $2, $3, $4, $5)"));
  for (std::size_t i = 0; i < plan.members.size(); ++i) {
    const core::Member& member = plan.members[i];
    STEGVIS_TRY(insert_member.Bind(1, plan.forbund.id)
                    .Bind(2, member.id)
                    .Bind(3, static_cast<std::int64_t>(i))
                    .Bind(4, member.name)
                    .Bind(5, core::MemberTypeCode(member.type))
                    .Run());
  }
  STEGVIS_TRY(WriteStaffing(plan));
  STEGVIS_TRY(WriteLadderAndMeasures(plan));
  return WriteEconomy(plan);
}

Status PostgresStore::WriteLadderAndMeasures(const Plan& plan) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement step,
      connection_.Prepare(
          "INSERT INTO ladder_step (forbund_id, level, label) VALUES ($1, $2, $3)"));
  for (const core::LadderStep& ladder_step : plan.ladder) {
    STEGVIS_TRY(step.Bind(1, plan.forbund.id)
                    .Bind(2, static_cast<std::int64_t>(ladder_step.level))
                    .Bind(3, ladder_step.label)
                    .Run());
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measure,
      connection_.Prepare("INSERT INTO measure_definition (forbund_id, id, position, name, "
                          "min_value, max_value) VALUES ($1, $2, $3, $4, $5, $6)"));
  for (std::size_t i = 0; i < plan.measures.size(); ++i) {
    const core::MeasureDefinition& definition = plan.measures[i];
    STEGVIS_TRY(measure.Bind(1, plan.forbund.id)
                    .Bind(2, definition.id)
                    .Bind(3, static_cast<std::int64_t>(i))
                    .Bind(4, definition.name)
                    .Bind(5, static_cast<std::int64_t>(definition.min))
                    .Bind(6, static_cast<std::int64_t>(definition.max))
                    .Run());
  }
  return util::Ok();
}

Status PostgresStore::WriteInsatser(const Plan& plan) {
  // Interventions are updated in place rather than deleted and re-inserted, so that records
  // referring to them survive a new plan; those no longer in the plan are removed.
  std::set<std::string> keep;
  STEGVIS_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare(
          "INSERT INTO insats (forbund_id, id, position, name, kind, form, start_date, end_date, "
          "age_min, age_max, priority_age_min, priority_age_max, needs_two_members, "
          "max_enrolment_months, min_work_ability_percent, exclusions) VALUES "
          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
          "ON CONFLICT (forbund_id, id) DO UPDATE SET position = $3, name = $4, kind = $5, "
          "form = $6, start_date = $7, end_date = $8, age_min = $9, age_max = $10, "
          "priority_age_min = $11, priority_age_max = $12, needs_two_members = $13, "
          "max_enrolment_months = $14, min_work_ability_percent = $15, exclusions = $16"));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert_goal,
      connection_.Prepare("INSERT INTO insats_goal (forbund_id, insats_id, position, measure, "
                          "target, description) VALUES ($1, $2, $3, $4, $5, $6)"));
  for (std::size_t i = 0; i < plan.insatser.size(); ++i) {
    const core::Insats& insats = plan.insatser[i];
    const core::TargetGroup& rules = insats.target_group;
    keep.insert(insats.id);
    STEGVIS_TRY(upsert.Bind(1, plan.forbund.id)
                    .Bind(2, insats.id)
                    .Bind(3, static_cast<std::int64_t>(i))
                    .Bind(4, insats.name)
                    .Bind(5, core::InsatsKindCode(insats.kind))
                    .Bind(6, core::FundingFormCode(insats.form))
                    .Bind(7, insats.start.ToString())
                    .Bind(8, DateText(insats.end))
                    .Bind(9, Widen(rules.age_min))
                    .Bind(10, Widen(rules.age_max))
                    .Bind(11, Widen(rules.priority_age_min))
                    .Bind(12, Widen(rules.priority_age_max))
                    .Bind(13, std::int64_t{rules.needs_two_members ? 1 : 0})
                    .Bind(14, Widen(rules.max_enrolment_months))
                    .Bind(15, Widen(rules.min_work_ability_percent))
                    .Bind(16, JoinExclusions(rules.exclusions))
                    .Run());
    for (std::size_t g = 0; g < insats.goals.size(); ++g) {
      const core::Goal& goal = insats.goals[g];
      STEGVIS_TRY(insert_goal.Bind(1, plan.forbund.id)
                      .Bind(2, insats.id)
                      .Bind(3, static_cast<std::int64_t>(g))
                      .Bind(4, core::GoalMeasureCode(goal.measure))
                      .Bind(5, goal.target)
                      .Bind(6, goal.description)
                      .Run());
    }
  }
  STEGVIS_ASSIGN_OR_RETURN(Statement existing,
                           connection_.Prepare("SELECT id FROM insats WHERE forbund_id = $1"));
  existing.Bind(1, plan.forbund.id);
  std::vector<std::string> gone;
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, existing.Step());
    if (!row) break;
    if (keep.count(existing.Text(0)) == 0) gone.push_back(existing.Text(0));
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement remove,
      connection_.Prepare("DELETE FROM insats WHERE forbund_id = $1 AND id = $2"));
  for (const std::string& id : gone) {
    STEGVIS_TRY(remove.Bind(1, plan.forbund.id).Bind(2, id).Run());
  }
  return util::Ok();
}

Status PostgresStore::WriteStaffing(const Plan& plan) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO insats_staffing (forbund_id, insats_id, position, "
                          "member_id, percent) VALUES ($1, $2, $3, $4, $5)"));
  for (const core::Insats& insats : plan.insatser) {
    for (std::size_t i = 0; i < insats.staffing.size(); ++i) {
      STEGVIS_TRY(insert.Bind(1, plan.forbund.id)
                      .Bind(2, insats.id)
                      .Bind(3, static_cast<std::int64_t>(i))
                      .Bind(4, insats.staffing[i].member_id)
                      .Bind(5, static_cast<std::int64_t>(insats.staffing[i].percent))
                      .Run());
    }
  }
  return util::Ok();
}

Status PostgresStore::WriteEconomy(const Plan& plan) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert_year,
      connection_.Prepare(
          "INSERT INTO economy_year (forbund_id, year, source) VALUES ($1, $2, $3)"));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert_line,
      connection_.Prepare("INSERT INTO economy_line (forbund_id, year, source, position, "
                          "direction, label, member_id, insats_id, category, amount_ore) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"));
  auto write = [&](int year, std::string_view source, const std::vector<core::IncomeLine>& income,
                   const std::vector<core::CostLine>& costs) -> Status {
    STEGVIS_TRY(insert_year.Bind(1, plan.forbund.id)
                    .Bind(2, static_cast<std::int64_t>(year))
                    .Bind(3, source)
                    .Run());
    std::int64_t position = 0;
    for (const core::IncomeLine& line : income) {
      STEGVIS_TRY(insert_line.Bind(1, plan.forbund.id)
                      .Bind(2, static_cast<std::int64_t>(year))
                      .Bind(3, source)
                      .Bind(4, position++)
                      .Bind(5, std::string_view("intakt"))
                      .Bind(6, line.label)
                      .Bind(7, line.member_id)
                      .BindNull(8)
                      .BindNull(9)
                      .Bind(10, line.amount.ore())
                      .Run());
    }
    for (const core::CostLine& line : costs) {
      STEGVIS_TRY(insert_line.Bind(1, plan.forbund.id)
                      .Bind(2, static_cast<std::int64_t>(year))
                      .Bind(3, source)
                      .Bind(4, position++)
                      .Bind(5, std::string_view("kostnad"))
                      .Bind(6, line.label)
                      .BindNull(7)
                      .Bind(8, line.insats_id)
                      .Bind(9, core::CostCategoryCode(line.category))
                      .Bind(10, line.amount.ore())
                      .Run());
    }
    return util::Ok();
  };
  for (const core::BudgetYear& year : plan.budget) {
    STEGVIS_TRY(write(year.year, core::YearTypeCode(year.type), year.income, year.costs));
  }
  for (const core::OutcomeYear& year : plan.outcome) {
    STEGVIS_TRY(write(year.year, "utfall", year.income, year.costs));
  }
  return util::Ok();
}

Result<core::Plan> PostgresStore::LoadPlan(std::string_view forbund_id) {
  Plan plan;
  STEGVIS_ASSIGN_OR_RETURN(
      Statement forbund,
      connection_.Prepare("SELECT id, name, formed, suppression_k, equity_year, equity_ore, "
                          "socio_avoided_support_ore, socio_avoided_administration_ore, "
                          "socio_tax_income_ore, socio_months FROM forbund WHERE id = $1"));
  forbund.Bind(1, forbund_id);
  STEGVIS_ASSIGN_OR_RETURN(bool found, forbund.Step());
  if (!found) {
    return util::Fail(util::Code::kNotFound, "--forbund",
                      fmt::format("förbundet \"{}\" finns inte", forbund_id),
                      fmt::format("förbund \"{}\" does not exist", forbund_id));
  }
  plan.forbund.id = forbund.Text(0);
  plan.forbund.name = forbund.Text(1);
  if (auto formed = forbund.OptionalText(2)) {
    STEGVIS_ASSIGN_OR_RETURN(util::Date date, Decode(util::Date::Parse(*formed), "forbund.formed"));
    plan.forbund.formed = date;
  }
  plan.forbund.suppression_k = static_cast<int>(forbund.Int(3));
  if (!forbund.IsNull(4)) {
    plan.equity =
        core::OpeningEquity{static_cast<int>(forbund.Int(4)), util::Money::FromOre(forbund.Int(5))};
  }
  plan.socioeconomic.avoided_support = util::Money::FromOre(forbund.Int(6));
  plan.socioeconomic.avoided_administration = util::Money::FromOre(forbund.Int(7));
  plan.socioeconomic.tax_income = util::Money::FromOre(forbund.Int(8));
  plan.socioeconomic.months = static_cast<int>(forbund.Int(9));

  STEGVIS_ASSIGN_OR_RETURN(Statement steps,
                           connection_.Prepare("SELECT level, label FROM ladder_step WHERE "
                                               "forbund_id = $1 ORDER BY level"));
  steps.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, steps.Step());
    if (!row) break;
    plan.ladder.push_back(core::LadderStep{static_cast<int>(steps.Int(0)), steps.Text(1)});
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement measures,
      connection_.Prepare("SELECT id, name, min_value, max_value FROM measure_definition "
                          "WHERE forbund_id = $1 ORDER BY position"));
  measures.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, measures.Step());
    if (!row) break;
    plan.measures.push_back(core::MeasureDefinition{measures.Text(0), measures.Text(1),
                                                    static_cast<int>(measures.Int(2)),
                                                    static_cast<int>(measures.Int(3))});
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement members,
      connection_.Prepare(
          "SELECT id, name, type FROM member WHERE forbund_id = $1 ORDER BY position"));
  members.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, members.Step());
    if (!row) break;
    STEGVIS_ASSIGN_OR_RETURN(core::MemberType type,
                             Decode(core::ParseMemberType(members.Text(2)), "member.type"));
    plan.members.push_back(core::Member{members.Text(0), members.Text(1), type});
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement insatser,
      connection_.Prepare(
          "SELECT id, name, kind, form, start_date, end_date, age_min, age_max, "
          "priority_age_min, priority_age_max, needs_two_members, max_enrolment_months, "
          "min_work_ability_percent, exclusions FROM insats WHERE forbund_id = $1 ORDER BY "
          "position"));
  insatser.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, insatser.Step());
    if (!row) break;
    core::Insats insats;
    insats.id = insatser.Text(0);
    insats.name = insatser.Text(1);
    STEGVIS_ASSIGN_OR_RETURN(insats.kind,
                             Decode(core::ParseInsatsKind(insatser.Text(2)), "insats.kind"));
    STEGVIS_ASSIGN_OR_RETURN(insats.form,
                             Decode(core::ParseFundingForm(insatser.Text(3)), "insats.form"));
    STEGVIS_ASSIGN_OR_RETURN(insats.start,
                             Decode(util::Date::Parse(insatser.Text(4)), "insats.start_date"));
    if (auto end = insatser.OptionalText(5)) {
      STEGVIS_ASSIGN_OR_RETURN(util::Date date, Decode(util::Date::Parse(*end), "insats.end_date"));
      insats.end = date;
    }
    core::TargetGroup& rules = insats.target_group;
    rules.age_min = Narrow(insatser.OptionalInt(6));
    rules.age_max = Narrow(insatser.OptionalInt(7));
    rules.priority_age_min = Narrow(insatser.OptionalInt(8));
    rules.priority_age_max = Narrow(insatser.OptionalInt(9));
    rules.needs_two_members = insatser.Int(10) != 0;
    rules.max_enrolment_months = Narrow(insatser.OptionalInt(11));
    rules.min_work_ability_percent = Narrow(insatser.OptionalInt(12));
    rules.exclusions = SplitExclusions(insatser.Text(13));
    plan.insatser.push_back(std::move(insats));
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement goals,
      connection_.Prepare("SELECT insats_id, measure, target, description FROM insats_goal "
                          "WHERE forbund_id = $1 ORDER BY insats_id, position"));
  goals.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, goals.Step());
    if (!row) break;
    auto* insats = plan.FindInsats(goals.Text(0));
    if (insats == nullptr) return util::Fail(Corrupt("insats_goal.insats_id"));
    STEGVIS_ASSIGN_OR_RETURN(core::GoalMeasure measure,
                             Decode(core::ParseGoalMeasure(goals.Text(1)), "insats_goal.measure"));
    insats->goals.push_back(core::Goal{measure, goals.Double(2), goals.Text(3)});
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement staffing,
      connection_.Prepare("SELECT insats_id, member_id, percent FROM insats_staffing "
                          "WHERE forbund_id = $1 ORDER BY insats_id, position"));
  staffing.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, staffing.Step());
    if (!row) break;
    auto* insats = plan.FindInsats(staffing.Text(0));
    if (insats == nullptr) return util::Fail(Corrupt("insats_staffing.insats_id"));
    insats->staffing.push_back(core::Staffing{staffing.Text(1), static_cast<int>(staffing.Int(2))});
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement years,
      connection_.Prepare("SELECT year, source FROM economy_year WHERE forbund_id = $1 "
                          "ORDER BY source = 'utfall', year"));
  years.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, years.Step());
    if (!row) break;
    const int year = static_cast<int>(years.Int(0));
    const std::string source = years.Text(1);
    if (source == "utfall") {
      plan.outcome.push_back(core::OutcomeYear{year, {}, {}});
    } else {
      STEGVIS_ASSIGN_OR_RETURN(core::YearType type,
                               Decode(core::ParseYearType(source), "economy_year.source"));
      plan.budget.push_back(core::BudgetYear{year, type, {}, {}});
    }
  }

  STEGVIS_ASSIGN_OR_RETURN(
      Statement lines,
      connection_.Prepare("SELECT year, source, direction, label, member_id, insats_id, "
                          "category, amount_ore FROM economy_line WHERE forbund_id = $1 "
                          "ORDER BY year, source, position"));
  lines.Bind(1, forbund_id);
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, lines.Step());
    if (!row) break;
    const int year = static_cast<int>(lines.Int(0));
    const bool is_outcome = lines.Text(1) == "utfall";
    std::vector<core::IncomeLine>* income = nullptr;
    std::vector<core::CostLine>* costs = nullptr;
    if (is_outcome) {
      auto* target = plan.FindOutcome(year);
      if (target == nullptr) return util::Fail(Corrupt("economy_line.year"));
      income = &target->income;
      costs = &target->costs;
    } else {
      auto* target = plan.FindBudget(year);
      if (target == nullptr) return util::Fail(Corrupt("economy_line.year"));
      income = &target->income;
      costs = &target->costs;
    }
    const util::Money amount = util::Money::FromOre(lines.Int(7));
    if (lines.Text(2) == "intakt") {
      income->push_back(core::IncomeLine{lines.OptionalText(4), lines.Text(3), amount});
    } else {
      STEGVIS_ASSIGN_OR_RETURN(
          core::CostCategory category,
          Decode(core::ParseCostCategory(lines.Text(6)), "economy_line.category"));
      costs->push_back(core::CostLine{lines.Text(3), lines.OptionalText(5), category, amount});
    }
  }
  return plan;
}

Result<std::vector<core::Forbund>> PostgresStore::ListForbund() {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id, name, formed, suppression_k FROM forbund ORDER BY id"));
  std::vector<core::Forbund> result;
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    core::Forbund forbund;
    forbund.id = query.Text(0);
    forbund.name = query.Text(1);
    if (auto formed = query.OptionalText(2)) forbund.formed = util::Date::Parse(*formed);
    forbund.suppression_k = static_cast<int>(query.Int(3));
    result.push_back(std::move(forbund));
  }
  return result;
}

}  // namespace stegvis::store::postgres
