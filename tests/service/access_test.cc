// The permission matrix, walked exhaustively: every action × every role × own and other
// förbund and intervention, against the expected allowed set written out here as a table.
#include "service/access.h"

#include <set>
#include <tuple>

#include <gtest/gtest.h>

namespace stegvis::service {
namespace {

using core::Role;

core::Account AccountOf(Role role) {
  core::Account account;
  account.name = "konto";
  account.role = role;
  if (core::RoleNeedsForbund(role)) account.forbund_id = "eget";
  if (role == Role::kDeltagaransvarig) account.insats_ids = {"egen-insats"};
  return account;
}

enum class Where { kNone, kOwnForbund, kOtherForbund, kOwnInsats, kOtherInsatsOwnForbund };

Scope ScopeOf(Where where) {
  switch (where) {
    case Where::kNone:
      return {};
    case Where::kOwnForbund:
      return {"eget", std::nullopt};
    case Where::kOtherForbund:
      return {"annat", std::nullopt};
    case Where::kOwnInsats:
      return {"eget", "egen-insats"};
    case Where::kOtherInsatsOwnForbund:
      return {"eget", "annan-insats"};
  }
  return {};
}

TEST(Access, AllowsExactlyTheExpectedCombinations) {
  using W = Where;
  // Everything not listed is denied.
  const std::set<std::tuple<Role, Action, Where>> allowed = {
      {Role::kSystemadministrator, Action::kManageAccounts, W::kNone},
      {Role::kSystemadministrator, Action::kManageAccounts, W::kOwnForbund},
      {Role::kSystemadministrator, Action::kManageAccounts, W::kOtherForbund},
      {Role::kSystemadministrator, Action::kManageAccounts, W::kOwnInsats},
      {Role::kSystemadministrator, Action::kManageAccounts, W::kOtherInsatsOwnForbund},
      {Role::kSystemadministrator, Action::kViewAudit, W::kNone},
      {Role::kSystemadministrator, Action::kViewAudit, W::kOwnForbund},
      {Role::kSystemadministrator, Action::kViewAudit, W::kOtherForbund},
      {Role::kSystemadministrator, Action::kViewAudit, W::kOwnInsats},
      {Role::kSystemadministrator, Action::kViewAudit, W::kOtherInsatsOwnForbund},
      // The förbund's own roles see its plan and published reports.
      {Role::kForbundsadministrator, Action::kViewPlan, W::kOwnForbund},
      {Role::kForbundsadministrator, Action::kViewPlan, W::kOwnInsats},
      {Role::kForbundsadministrator, Action::kViewPlan, W::kOtherInsatsOwnForbund},
      {Role::kForbundsadministrator, Action::kEditPlan, W::kOwnForbund},
      {Role::kForbundsadministrator, Action::kEditPlan, W::kOwnInsats},
      {Role::kForbundsadministrator, Action::kEditPlan, W::kOtherInsatsOwnForbund},
      {Role::kForbundsadministrator, Action::kViewPublishedReports, W::kOwnForbund},
      {Role::kForbundsadministrator, Action::kViewPublishedReports, W::kOwnInsats},
      {Role::kForbundsadministrator, Action::kViewPublishedReports, W::kOtherInsatsOwnForbund},
      {Role::kRapportlasare, Action::kViewPlan, W::kOwnForbund},
      {Role::kRapportlasare, Action::kViewPlan, W::kOwnInsats},
      {Role::kRapportlasare, Action::kViewPlan, W::kOtherInsatsOwnForbund},
      {Role::kRapportlasare, Action::kViewPublishedReports, W::kOwnForbund},
      {Role::kRapportlasare, Action::kViewPublishedReports, W::kOwnInsats},
      {Role::kRapportlasare, Action::kViewPublishedReports, W::kOtherInsatsOwnForbund},
      {Role::kDeltagaransvarig, Action::kViewPlan, W::kOwnForbund},
      {Role::kDeltagaransvarig, Action::kViewPlan, W::kOwnInsats},
      {Role::kDeltagaransvarig, Action::kViewPlan, W::kOtherInsatsOwnForbund},
      {Role::kDeltagaransvarig, Action::kViewPublishedReports, W::kOwnForbund},
      {Role::kDeltagaransvarig, Action::kViewPublishedReports, W::kOwnInsats},
      {Role::kDeltagaransvarig, Action::kViewPublishedReports, W::kOtherInsatsOwnForbund},
      // Only the coach, and only for their own interventions, reaches participant records.
      {Role::kDeltagaransvarig, Action::kViewRecordReports, W::kOwnInsats},
      {Role::kDeltagaransvarig, Action::kReadParticipants, W::kOwnInsats},
      {Role::kDeltagaransvarig, Action::kWriteParticipants, W::kOwnInsats},
      // National readers see published aggregates and plans of every förbund.
      {Role::kNationell, Action::kViewPlan, W::kOwnForbund},
      {Role::kNationell, Action::kViewPlan, W::kOtherForbund},
      {Role::kNationell, Action::kViewPlan, W::kOwnInsats},
      {Role::kNationell, Action::kViewPlan, W::kOtherInsatsOwnForbund},
      {Role::kNationell, Action::kViewPublishedReports, W::kOwnForbund},
      {Role::kNationell, Action::kViewPublishedReports, W::kOtherForbund},
      {Role::kNationell, Action::kViewPublishedReports, W::kOwnInsats},
      {Role::kNationell, Action::kViewPublishedReports, W::kOtherInsatsOwnForbund},
  };
  for (Role role : core::kAllRoles) {
    const Actor actor{AccountOf(role), "127.0.0.1"};
    for (Action action : kAllActions) {
      for (Where where :
           {W::kNone, W::kOwnForbund, W::kOtherForbund, W::kOwnInsats, W::kOtherInsatsOwnForbund}) {
        const bool expected = allowed.count({role, action, where}) > 0;
        const util::Status status = Authorize(actor, action, ScopeOf(where));
        EXPECT_EQ(status.has_value(), expected) << core::RoleCode(role) << " " << ActionCode(action)
                                                << " scope " << static_cast<int>(where);
        if (!status) {
          EXPECT_EQ(status.error().code, util::Code::kPermissionDenied);
        }
      }
    }
  }
}

TEST(Access, TheLocalOperatorMayDoEverything) {
  for (Action action : kAllActions) {
    EXPECT_TRUE(Authorize(Actor::LocalOperator(), action, ScopeOf(Where::kOtherForbund)));
  }
}

}  // namespace
}  // namespace stegvis::service
