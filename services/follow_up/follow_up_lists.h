#pragma once

// The filtered list queries of FollowUpService: a clinic's (or a patient's)
// series by creation, and its recalls by due time in one of the views.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::follow_up {

absl::StatusOr<clinic::v1::ListSeriesResponse> ListSeries(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListSeriesRequest& request);

// Recalls carry their state at `now` (see EffectiveRecallState).
absl::StatusOr<clinic::v1::ListRecallsResponse> ListRecalls(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListRecallsRequest& request, absl::Time now);

}  // namespace clinicd::follow_up
