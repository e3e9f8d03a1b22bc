#pragma once

// Pieces every filtered list query shares (the ones ResourceCrud::List does
// not cover): the clinic a `parent` names, checked against the caller's
// access, and the next page's token from the key the store's page ends at.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/auth/principal.h"

namespace clinicd::resources {

// The clinic id of `parent` (`clinics/{clinic}`), when its form is right and
// the caller may see it; otherwise INVALID_ARGUMENT naming `field`, or NOT_FOUND.
absl::StatusOr<std::string> ParseClinicParent(const auth::Principal& principal,
                                              absl::string_view parent,
                                              absl::string_view field = "parent");

// The page token for the store's `next_after` key (KeysetPage): empty on the
// last page, so the response says there is no next page.
std::string NextPageToken(const std::vector<std::string>& next_after,
                          absl::string_view fingerprint);

}  // namespace clinicd::resources
