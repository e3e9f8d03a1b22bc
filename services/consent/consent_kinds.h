#pragma once

#include "clinic/v1/consent_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_kind.h"

namespace clinicd::consent {

// clinics/{clinic}/patients/{patient}/consents/{consent}: signed only on the
// current form version with the hash of the exact text shown; the server
// stamps sign and expiry times. Immutable afterwards except for withdrawal.
resources::ResourceKind<clinic::v1::Consent> ConsentKind(
    const plugin_host::TreatmentRegistry& registry);

// clinics/{clinic}/patients/{patient}/screenings/{screening}: answers
// evaluated by the treatment's plugin when submitted; a clinician's review
// is recorded on it later.
resources::ResourceKind<clinic::v1::Screening> ScreeningKind(
    const plugin_host::TreatmentRegistry& registry);

// The consent form `treatmentTypes/{t}/consentForms/{version}` for the
// current version of `type`, with the SHA-256 of its text.
clinic::v1::ConsentForm CurrentForm(const clinic::v1::TreatmentType& type);

}  // namespace clinicd::consent
