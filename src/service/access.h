// Who may do what: the one place where permissions are decided. Every use case asks
// Authorize before it touches the store; a test walks every action × role × scope.
#pragma once

#include <optional>
#include <string>

#include "core/account.h"
#include "util/error.h"

namespace stegvis::service {

// The person or program acting: a signed-in account, or the local operator at the command
// line (who holds the database file and its key, and so may do everything).
struct Actor {
  std::optional<core::Account> account;
  std::string address;  // Remote address, or "lokal" for the command line.

  static Actor LocalOperator() { return Actor{std::nullopt, "lokal"}; }
  // "konto:NAME (roll)" or "lokal operatör": how the audit log names the actor.
  std::string AuditName() const;
};

enum class Action {
  kManageAccounts,        // Add accounts, list them.
  kViewAudit,             // Read and verify the audit log.
  kViewPlan,              // Organisation, interventions, goals, budget, economy report.
  kEditPlan,              // Import or replace the plan.
  kViewPublishedReports,  // Participant reports with small-cell suppression.
  kViewRecordReports,     // Participant reports without suppression (record access).
  kReadParticipants,      // Participant records of an intervention.
  kWriteParticipants,     // Register, measure, exit, follow up, import, withdraw consent.
};
inline constexpr Action kAllActions[] = {Action::kManageAccounts,
                                         Action::kViewAudit,
                                         Action::kViewPlan,
                                         Action::kEditPlan,
                                         Action::kViewPublishedReports,
                                         Action::kViewRecordReports,
                                         Action::kReadParticipants,
                                         Action::kWriteParticipants};

std::string_view ActionCode(Action action);

// What the action concerns. Participant actions and record reports need an intervention.
struct Scope {
  std::optional<std::string> forbund_id;
  std::optional<std::string> insats_id;
};

// Ok when `actor` may do `action` on `scope`; kPermissionDenied otherwise (kUnauthenticated
// for an actor without account outside the command line cannot happen: the HTTP layer
// never builds one).
util::Status Authorize(const Actor& actor, Action action, const Scope& scope);

}  // namespace stegvis::service
