#pragma once

#include "absl/strings/string_view.h"
#include "clinic/v1/patient_service.pb.h"
#include "services/auth/principal.h"
#include "services/resources/resource_crud.h"
#include "services/store/database.h"

namespace clinicd::patient {

// Patients of `parent` matching `query`: a phone number in any form the
// clinic's region reads (matched on its E.164 form), or words that each start
// one of the patient's names, case and accents ignored. Ordered like the
// patient list, keyset-paginated.
absl::StatusOr<resources::Page<clinic::v1::Patient>> SearchPatients(
    const store::Database& db, const auth::Principal& principal,
    absl::string_view parent, absl::string_view query, int32_t page_size,
    absl::string_view page_token);

}  // namespace clinicd::patient
