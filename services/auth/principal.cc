#include "services/auth/principal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace clinicd::auth {

bool Principal::CanAccessClinic(absl::string_view clinic_id) const {
  return all_clinics || std::find(clinic_ids.begin(), clinic_ids.end(),
                                  clinic_id) != clinic_ids.end();
}

absl::Status CheckClinicAccess(const Principal& principal,
                               absl::string_view clinic_id) {
  if (principal.CanAccessClinic(clinic_id)) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                         absl::StrCat("clinics/", clinic_id, " not found"));
}

}  // namespace clinicd::auth
