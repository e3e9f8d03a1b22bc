#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/auth/role.h"

namespace clinicd::auth {

// The authenticated caller of one RPC: which key, what role, which clinics,
// and the moment the call is decided for.
struct Principal {
  // Public id of the API key (safe to log).
  std::string key_id;
  // What the key may do.
  Role role = Role::kIntegration;
  // True when the key is not limited to particular clinics.
  bool all_clinics = false;
  // The clinics a limited key may see.
  std::vector<std::string> clinic_ids;
  // The request's "now", read once from the server's clock when the call was
  // admitted; every decision and timestamp of the call uses it, so all times
  // one change writes are the same.
  absl::Time now;

  // True when the key may see data of clinic `clinic_id`.
  bool CanAccessClinic(absl::string_view clinic_id) const;
};

// OK when `principal` may see clinic `clinic_id`; otherwise NOT_FOUND, so a
// key never learns whether another clinic's data exists.
absl::Status CheckClinicAccess(const Principal& principal,
                               absl::string_view clinic_id);

}  // namespace clinicd::auth
