#pragma once

// How an uncleared session is refused, wherever it is refused (booking,
// the booking rules' search, check-in): pure, so the booking rules can
// build it without the consent layer.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/v1/consent_service.pb.h"

namespace clinicd::domain {

// FAILED_PRECONDITION whose reason is the first clearance reason, whose
// message lists them all, and whose metadata carries every reason, each
// one's advice (`advice_<REASON>`) and the earliest treatable time.
absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what);

}  // namespace clinicd::domain
