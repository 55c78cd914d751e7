#include "core/account.h"

#include "core/code_table.h"

namespace stegvis::core {

namespace {

constexpr CodeTable<Role, 5> kRoles{{
    {Role::kSystemadministrator, "systemadministrator"},
    {Role::kForbundsadministrator, "forbundsadministrator"},
    {Role::kDeltagaransvarig, "deltagaransvarig"},
    {Role::kRapportlasare, "rapportlasare"},
    {Role::kNationell, "nationell"},
}};

}  // namespace

std::string_view RoleCode(Role role) { return CodeOf(kRoles, role); }
std::optional<Role> ParseRole(std::string_view code) { return EnumOf(kRoles, code); }

bool RoleNeedsForbund(Role role) {
  return role == Role::kForbundsadministrator || role == Role::kDeltagaransvarig ||
         role == Role::kRapportlasare;
}

bool IsValidAccountName(std::string_view name) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[i + 1]);
      if (next != 0xA5 && next != 0xA4 && next != 0xB6) return false;  // å ä ö
      ++i;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                 c == '_')) {
      return false;
    }
    ++characters;
  }
  return characters >= 3 && characters <= 64;
}

}  // namespace stegvis::core
