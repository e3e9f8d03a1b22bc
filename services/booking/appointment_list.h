#pragma once

#include "absl/status/statusor.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::booking {

// ListAppointments: a clinic's appointments by start time, optionally only
// one practitioner's, room's or patient's, within [start_time, end_time),
// in some states; keyset-paginated. This is both the day book and a
// patient's history.
absl::StatusOr<clinic::v1::ListAppointmentsResponse> ListAppointments(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListAppointmentsRequest& request);

}  // namespace clinicd::booking
