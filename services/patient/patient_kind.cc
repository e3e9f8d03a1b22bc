#include "services/patient/patient_kind.h"

#include "absl/time/clock.h"
#include "services/domain/name_search.h"
#include "services/domain/patient_validation.h"
#include "services/practice/practice_kinds.h"
#include "services/store/tables.h"

namespace clinicd::patient {

using clinic::v1::Patient;

resources::ResourceKind<Patient> PatientKind() {
  resources::ResourceKind<Patient> kind;
  kind.field = "patient";
  kind.collections = {"clinics", "patients"};
  kind.table = store::kPatientsTable;
  kind.parent_table = store::kClinicsTable;
  kind.mutable_fields = {"given_name", "family_name",        "birth_date",
                         "phone_number", "email", "preferred_language",
                         "channel_consents"};
  kind.validate = [](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                     const Patient* previous, Patient& patient) -> absl::Status {
    absl::StatusOr<clinic::v1::Clinic> clinic = practice::LoadClinic(tx, scope.front());
    if (!clinic.ok()) return clinic.status();
    return domain::ValidatePatient("patient", *clinic, previous, now, patient);
  };
  kind.order = {"sort_key", /*integer=*/false};
  kind.columns = [](const Patient& patient) {
    store::ColumnValue phone;
    if (!patient.phone_number().empty()) phone = patient.phone_number();
    return std::vector<store::Column>{
        {"sort_key", domain::PatientSortKey(patient.family_name(), patient.given_name())},
        {"search_names",
         domain::PatientSearchNames(patient.family_name(), patient.given_name())},
        {"phone_e164", phone}};
  };
  kind.delete_blocked = "the patient has clinical records (appointments, consents)";
  return kind;
}

}  // namespace clinicd::patient
