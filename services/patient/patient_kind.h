#pragma once

#include "clinic/v1/patient_service.pb.h"
#include "services/resources/resource_kind.h"

namespace clinicd::patient {

// clinics/{clinic}/patients/{patient}, listed by family name then given name,
// with folded names and the E.164 phone kept in columns for search.
resources::ResourceKind<clinic::v1::Patient> PatientKind();

}  // namespace clinicd::patient
