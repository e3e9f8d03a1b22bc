#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/auth/principal.h"
#include "services/booking/booking_context_loader.h"
#include "services/domain/availability.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/database.h"

namespace clinicd::booking {

// SearchAvailability: loads the clinic's qualified practitioners, suitable
// rooms and what blocks them over the requested local days (at most 31),
// and returns the slots from `now` on that the booking rules accept. With
// a patient, their rules apply too (spacing, their other appointments,
// screening, consultation first, maintenance), and earliest_eligible_time
// says when the patient may next be treated if that is after the range
// starts.
absl::StatusOr<clinic::v1::SearchAvailabilityResponse> SearchAvailability(
    const store::Database& db, const plugin_host::TreatmentRegistry& registry,
    const auth::Principal& principal, const clinic::v1::SearchAvailabilityRequest& request,
    absl::Time now);

// What FindSlots found.
struct FoundSlots {
  std::vector<domain::FreeSlot> slots;
  // The first time looked at (now, or the first day's start if later), and
  // the earliest the patient's rules allow from it (domain::EarliestEligible).
  absl::Time first_start;
  absl::Time earliest_eligible;
};

// The slots of clinic `clinic_id` over `scope` that the booking rules
// accept, in one read: up to `limit`, after `query`'s resume key.
absl::StatusOr<FoundSlots> FindSlots(const store::Database& db,
                                     const plugin_host::TreatmentRegistry& registry,
                                     const std::string& clinic_id,
                                     const clinic::v1::TreatmentType& type,
                                     const SearchScope& scope, domain::SlotQuery query,
                                     absl::Time now, size_t limit);

// `slot` as the API shows it.
clinic::v1::Slot ToSlot(const domain::FreeSlot& slot);

}  // namespace clinicd::booking
