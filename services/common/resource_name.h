#pragma once

// AIP-122 resource names such as `clinics/{clinic}/patients/{patient}`.

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace clinicd {

class FieldViolations;

// Splits `name` against the collection ids in `collections` (e.g.
// {"clinics", "patients"}) and returns the ids in order. A malformed name is
// INVALID_ARGUMENT naming `field` and the expected pattern.
absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view field, absl::string_view name,
    absl::Span<const absl::string_view> collections);

// The id in `name` when it has the form clinics/{clinic}/{collection}/{id}
// and belongs to `clinic_id`; otherwise records why under `field` in
// `violations` and returns "".
std::string IdInClinic(FieldViolations& violations, const std::string& field,
                       const std::string& name, const std::string& clinic_id,
                       absl::string_view collection);

// Joins collection ids and ids back into a name.
std::string FormatResourceName(absl::Span<const absl::string_view> collections,
                               absl::Span<const std::string> ids);

// The last id of a stored (so well-formed) name: `p` of
// `clinics/c/patients/p`.
std::string LastIdOf(absl::string_view name);

// The clinic id of a stored name under `clinics/{clinic}/...`.
std::string ClinicIdOf(absl::string_view name);

// True for ids clinicd would accept in a name: 1-63 of [a-z0-9-_].
bool IsValidResourceId(absl::string_view id);

}  // namespace clinicd
