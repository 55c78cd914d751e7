// Staff accounts and their roles, modelled on the former national system (SUS): who may see
// what is decided from the role, the account's förbund and, for a coach, the interventions
// the account is responsible for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stegvis::core {

enum class Role {
  kSystemadministrator,    // Users and settings; no participant data.
  kForbundsadministrator,  // Organisation, interventions, plan and budget; aggregates only.
  kDeltagaransvarig,       // The coach: participants of their own interventions.
  kRapportlasare,          // Board, beredningsgrupp, members' council: published reports.
  kNationell,              // Published aggregates across förbund.
};
inline constexpr Role kAllRoles[] = {Role::kSystemadministrator, Role::kForbundsadministrator,
                                     Role::kDeltagaransvarig, Role::kRapportlasare,
                                     Role::kNationell};

std::string_view RoleCode(Role role);
std::optional<Role> ParseRole(std::string_view code);
// True for roles that belong to one förbund.
bool RoleNeedsForbund(Role role);

struct Account {
  std::int64_t id = 0;
  std::string name;  // The sign-in name.
  Role role = Role::kRapportlasare;
  std::optional<std::string> forbund_id;
  std::vector<std::string> insats_ids;  // For deltagaransvarig.
  std::string password_hash;            // Argon2id, libsodium's string form.
  std::int64_t created_at = 0;          // Unix seconds.
  bool operator==(const Account&) const = default;
};

// Accepts 3–64 characters a–z, 0–9, '.', '-', '_' (and å, ä, ö).
bool IsValidAccountName(std::string_view name);

struct Session {
  std::string token_hash;
  std::int64_t account_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

// One audit log entry: who did what to which record, when and from where. Never a
// personnummer: participants are named by enrolment id.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;  // ISO 8601 UTC.
  std::string actor;
  std::string action;
  std::string target;
  std::string address;
  std::string previous_hash;
  std::string hash;
};

}  // namespace stegvis::core
