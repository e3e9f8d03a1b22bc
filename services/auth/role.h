#pragma once

#include <optional>
#include "absl/strings/string_view.h"

namespace clinicd::auth {

// What an API key is for; each RPC names the roles that may call it (rpc_policy.h).
enum class Role {
  kAdmin,           // Sets up clinics, staff and keys; may call everything.
  kFrontDesk,       // Books, moves, checks in; registers patients.
  kClinician,       // Screens, records and completes sessions.
  kReminderWorker,  // Claims and acknowledges notifications only.
  kIntegration,     // Third parties: read-only, plus the event feed.
};

// The role's name as used on the command line and in the database.
absl::string_view RoleName(Role role);

// Parses `admin`, `front_desk`, `clinician`, `reminder_worker`, `integration`.
std::optional<Role> ParseRole(absl::string_view name);

}  // namespace clinicd::auth
