#pragma once

// From what the front desk types to resource names: a bare id within the
// --clinic, a full resource name as it is, and for patients, practitioners
// and rooms also a name (patients by SearchPatients, which takes name words
// or a phone number; practitioners and rooms by display name). A name that
// matches nothing or more than one is refused with the candidates, naming the
// flag or argument (INVALID_ARGUMENT: a usage error).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/clinicctl/session.h"

namespace clinicd::clinicctl {

// True when `text` has the shape of a clinicd id (26 lower-case Crockford
// base32 characters).
bool LooksLikeId(absl::string_view text);

// The last segment of a resource name: its id.
std::string ShortId(absl::string_view name);

// `clinics/C` of a name under a clinic, e.g. of `clinics/C/patients/P`.
std::string ClinicOf(absl::string_view name);

// `treatmentTypes/T` for `T` or `treatmentTypes/T`.
std::string TreatmentTypeName(const std::string& text);

// `text` as `clinics/{clinic}/{collection}/{id}`: a full name of that shape
// as is, a bare id under --clinic. `what` names the flag or argument.
absl::StatusOr<std::string> ChildName(Session& session, absl::string_view what,
                                      absl::string_view collection, const std::string& text);

// The patient `text` names (see above), in --clinic for anything but a full name.
absl::StatusOr<std::string> ResolvePatient(Session& session, absl::string_view what,
                                           const std::string& text);

// The practitioner or room of clinic `parent` that `text` names.
absl::StatusOr<std::string> ResolvePractitioner(Session& session, const std::string& parent,
                                                const std::string& text);
absl::StatusOr<std::string> ResolveRoom(Session& session, const std::string& parent,
                                        const std::string& text);

// The --practitioner and --room flags resolved in clinic `parent`; each empty
// when its flag is.
struct PractitionerAndRoom {
  std::string practitioner;
  std::string room;
};
absl::StatusOr<PractitionerAndRoom> PractitionerAndRoomFlags(Session& session,
                                                             const std::string& parent);

}  // namespace clinicd::clinicctl
