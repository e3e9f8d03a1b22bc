#include "services/auth/role.h"

#include <array>
#include <utility>

namespace clinicd::auth {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 5> kRoleNames = {{
    {Role::kAdmin, "admin"},
    {Role::kFrontDesk, "front_desk"},
    {Role::kClinician, "clinician"},
    {Role::kReminderWorker, "reminder_worker"},
    {Role::kIntegration, "integration"},
}};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [role, role_name] : kRoleNames) {
    if (role_name == name) return role;
  }
  return std::nullopt;
}

}  // namespace clinicd::auth
