#include "store/tables.h"

#include <array>

namespace stegvis::store {

namespace {

const std::vector<Table> kTables = {
    {"setting", {"name", "value"}, "name"},
    {"forbund",
     {"id", "name", "formed", "suppression_k", "equity_year", "equity_ore",
      "socio_avoided_support_ore", "socio_avoided_administration_ore", "socio_tax_income_ore",
      "socio_months"},
     "id"},
    {"member", {"forbund_id", "id", "position", "name", "type"}, "forbund_id, id"},
    {"insats",
     {"forbund_id", "id", "position", "name", "kind", "form", "start_date", "end_date", "age_min",
      "age_max", "priority_age_min", "priority_age_max", "needs_two_members",
      "max_enrolment_months", "min_work_ability_percent", "exclusions"},
     "forbund_id, id"},
    {"insats_goal",
     {"forbund_id", "insats_id", "position", "measure", "target", "description"},
     "forbund_id, insats_id, position"},
    {"insats_staffing",
     {"forbund_id", "insats_id", "position", "member_id", "percent"},
     "forbund_id, insats_id, position"},
    {"economy_year", {"forbund_id", "year", "source"}, "forbund_id, year, source"},
    {"economy_line",
     {"forbund_id", "year", "source", "position", "direction", "label", "member_id", "insats_id",
      "category", "amount_ore"},
     "forbund_id, year, source, position"},
    {"ladder_step", {"forbund_id", "level", "label"}, "forbund_id, level"},
    {"measure_definition",
     {"forbund_id", "id", "position", "name", "min_value", "max_value"},
     "forbund_id, id"},
    {"enrolment",
     {"id", "forbund_id", "insats_id", "person_key", "kon", "birth_year", "kommun", "anonymous",
      "start_date", "remittent", "income_at_start", "exit_date", "exit_reason", "income_at_exit"},
     "id"},
    {"measurement",
     {"enrolment_id", "position", "date", "measure", "value"},
     "enrolment_id, position"},
    {"follow_up",
     {"enrolment_id", "position", "date", "months", "status"},
     "enrolment_id, position"},
    {"account", {"id", "name", "role", "forbund_id", "password_hash", "created_at"}, "id"},
    {"account_insats", {"account_id", "insats_id"}, "account_id, insats_id"},
    {"session",
     {"token_hash", "account_id", "csrf_token", "created_at", "last_seen_at"},
     "token_hash"},
    {"sign_in_failure", {"subject", "failures", "window_start"}, "subject"},
    {"audit_log",
     {"seq", "at", "actor", "action", "target", "address", "previous_hash", "hash"},
     "seq"},
};

constexpr std::array<std::string_view, 3> kDerivedTables = {"schema_migrations", "insats_tally",
                                                            "enrolment_change"};
constexpr std::array<std::string_view, 1> kDerivedColumns = {"forbund.revision"};

}  // namespace

std::span<const Table> CopiedTables() { return kTables; }
std::span<const std::string_view> DerivedTables() { return kDerivedTables; }
std::span<const std::string_view> DerivedColumns() { return kDerivedColumns; }

}  // namespace stegvis::store
