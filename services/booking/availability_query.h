#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/auth/principal.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/database.h"

namespace clinicd::booking {

// SearchAvailability: loads the clinic's qualified practitioners, suitable
// rooms and what blocks them over the requested local days (at most 31),
// and returns the free slots from `now` on. With a patient, slots that
// break the treatment's spacing are left out, and earliest_eligible_time
// says when the patient may next be treated if that is after the range
// starts.
absl::StatusOr<clinic::v1::SearchAvailabilityResponse> SearchAvailability(
    const store::Database& db, const plugin_host::TreatmentRegistry& registry,
    const auth::Principal& principal, const clinic::v1::SearchAvailabilityRequest& request,
    absl::Time now);

}  // namespace clinicd::booking
