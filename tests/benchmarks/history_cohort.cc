#include "tests/benchmarks/history_cohort.h"

#include "absl/strings/str_cat.h"
#include "clients/loadgen/booking_grid.h"
#include "clients/loadgen/sample_patients.h"
#include "services/patient/patient_kind.h"
#include "services/practice/practice_kinds.h"
#include "tests/benchmarks/stored_resource.h"

namespace clinicd::bench {

absl::Status AddHistoryCohort(store::Transaction& tx, const std::string& clinic_id,
                              int practitioners, uint64_t seed, absl::Time created,
                              HistoryCohort* cohort) {
  const std::vector<std::string> scope = {clinic_id};
  const auto practitioner_kind = practice::PractitionerKind();
  const auto room_kind = practice::RoomKind();
  for (int i = 0; i < practitioners; ++i) {
    clinic::v1::Practitioner practitioner;
    practitioner.set_display_name(absl::StrCat("Dr. Verlauf ", i + 1));
    practitioner.add_treatment_types("treatmentTypes/microneedling");
    practitioner.set_active(true);
    for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
      clinic::v1::WorkingInterval* hours = practitioner.add_working_hours();
      hours->set_day(static_cast<google::type::DayOfWeek>(day));
      hours->mutable_start_time()->set_hours(0);
      hours->mutable_end_time()->set_hours(23);
      hours->mutable_end_time()->set_minutes(59);
    }
    absl::StatusOr<std::string> name =
        StoreResource(tx, practitioner_kind, scope, practitioner, created);
    if (!name.ok()) return name.status();
    cohort->practitioners.push_back(*name);
    clinic::v1::Room room;
    room.set_display_name(absl::StrCat("Verlaufsraum ", i + 1));
    room.add_capabilities("microneedling_device");
    room.add_capabilities("sink");
    room.set_active(true);
    name = StoreResource(tx, room_kind, scope, room, created);
    if (!name.ok()) return name.status();
    cohort->rooms.push_back(*name);
  }
  const auto patient_kind = patient::PatientKind();
  loadgen::SamplePatients samples(seed);
  const int patients = loadgen::BookingGrid::PatientsFor(practitioners);
  for (int i = 0; i < patients; ++i) {
    clinic::v1::Patient patient = samples.Next();
    absl::StatusOr<std::string> name = StoreResource(tx, patient_kind, scope, patient, created);
    if (!name.ok()) return name.status();
    cohort->patients.push_back(*name);
  }
  return absl::OkStatus();
}

}  // namespace clinicd::bench
