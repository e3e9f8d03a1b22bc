#pragma once

// The practice's resources described to the generic standard methods:
// tables, names, updatable fields and validation.

#include "absl/status/statusor.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_kind.h"

namespace clinicd::practice {

// clinics/{clinic}
resources::ResourceKind<clinic::v1::Clinic> ClinicKind();
// clinics/{clinic}/practitioners/{practitioner}. With a registry, a
// treatment type added to a practitioner must be one a loaded plugin
// provides (types already listed stay, so a plugin briefly missing during an
// upgrade does not block edits); without one (storage-only tests) any
// well-formed name is kept.
resources::ResourceKind<clinic::v1::Practitioner> PractitionerKind(
    const plugin_host::TreatmentRegistry* registry = nullptr);
// clinics/{clinic}/rooms/{room}
resources::ResourceKind<clinic::v1::Room> RoomKind();
// clinics/{clinic}/practitioners/{practitioner}/timeOff/{time_off}
resources::ResourceKind<clinic::v1::TimeOff> TimeOffKind();
// clinics/{clinic}/closures/{closure}
resources::ResourceKind<clinic::v1::Closure> ClosureKind();

// The stored clinic `clinic_id` inside `tx`; NOT_FOUND when absent.
absl::StatusOr<clinic::v1::Clinic> LoadClinic(store::Transaction& tx,
                                              const std::string& clinic_id);

}  // namespace clinicd::practice
