#include "service/access.h"

#include <algorithm>

#include <fmt/format.h>

namespace stegvis::service {

namespace {

using core::Role;

bool OwnForbund(const core::Account& account, const Scope& scope) {
  return scope.forbund_id && account.forbund_id == scope.forbund_id;
}

bool OwnInsats(const core::Account& account, const Scope& scope) {
  return OwnForbund(account, scope) && scope.insats_id &&
         std::find(account.insats_ids.begin(), account.insats_ids.end(), *scope.insats_id) !=
             account.insats_ids.end();
}

bool Allowed(const core::Account& account, Action action, const Scope& scope) {
  switch (action) {
    case Action::kManageAccounts:
    case Action::kViewAudit:
      return account.role == Role::kSystemadministrator;
    case Action::kViewPlan:
    case Action::kViewPublishedReports:
      switch (account.role) {
        case Role::kForbundsadministrator:
        case Role::kRapportlasare:
        case Role::kDeltagaransvarig:
          return OwnForbund(account, scope);
        case Role::kNationell:
          return scope.forbund_id.has_value();
        case Role::kSystemadministrator:
          return false;
      }
      return false;
    case Action::kEditPlan:
      return account.role == Role::kForbundsadministrator && OwnForbund(account, scope);
    case Action::kViewRecordReports:
    case Action::kReadParticipants:
    case Action::kWriteParticipants:
      return account.role == Role::kDeltagaransvarig && OwnInsats(account, scope);
  }
  return false;
}

}  // namespace

std::string Actor::AuditName() const {
  if (!account) return "lokal operatör";
  return fmt::format("konto:{} ({})", account->name, core::RoleCode(account->role));
}

std::string_view ActionCode(Action action) {
  switch (action) {
    case Action::kManageAccounts:
      return "hantera_konton";
    case Action::kViewAudit:
      return "se_logg";
    case Action::kViewPlan:
      return "se_plan";
    case Action::kEditPlan:
      return "andra_plan";
    case Action::kViewPublishedReports:
      return "se_publika_rapporter";
    case Action::kViewRecordReports:
      return "se_rapporter_med_uppgifter";
    case Action::kReadParticipants:
      return "lasa_deltagare";
    case Action::kWriteParticipants:
      return "andra_deltagare";
  }
  return "";
}

util::Status Authorize(const Actor& actor, Action action, const Scope& scope) {
  if (!actor.account) return util::Ok();
  if (Allowed(*actor.account, action, scope)) return util::Ok();
  return util::Fail(util::Code::kPermissionDenied, "", "du har inte behörighet till det här",
                    "you are not allowed to do this");
}

}  // namespace stegvis::service
