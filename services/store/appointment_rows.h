#pragma once

// The appointment list (day book and patient history): a clinic's
// appointments by start time with optional filters, one keyset page at a time.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/store/keyset_page.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Which appointments of a clinic a list shows; empty ids and unset times
// do not filter.
struct AppointmentFilter {
  std::string clinic_id;
  std::string practitioner_id;
  std::string room_id;
  std::string patient_id;
  // Starting at or after `start_from` and before `start_before`.
  std::optional<absl::Time> start_from;
  std::optional<absl::Time> start_before;
  // Any of these states (valid, not UNSPECIFIED); empty = every state.
  std::vector<clinic::v1::AppointmentState> states;
  // Only this kind; UNSPECIFIED = every kind.
  clinic::v1::VisitKind kind = clinic::v1::VISIT_KIND_UNSPECIFIED;
};

// Up to `limit` appointments matching `filter` ordered by (start time, id),
// after the key `after` (start time micros, id) of the previous page.
absl::StatusOr<KeysetPage<ResourceRow>> ListAppointmentRows(Transaction& tx,
                                                            const AppointmentFilter& filter,
                                                            const std::vector<std::string>& after,
                                                            int limit);

}  // namespace clinicd::store
