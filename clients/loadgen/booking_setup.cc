#include "clients/loadgen/booking_setup.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/loadgen/sample_patients.h"

namespace clinicd::loadgen {
namespace {

// Five years, the longest booking horizon a clinic may have: room for many
// runs' worth of bookings, a month apart per patient.
constexpr absl::Duration kHorizon = absl::Hours(24 * 1825);

grpc::Status Failed(const std::string& what, const grpc::Status& status) {
  return grpc::Status(status.error_code(), what + ": " + status.error_message());
}

// Creates grid patient `index` (its name into `*name`), clears them for
// microneedling and books their consultation.
grpc::Status MakePatient(ClinicClient& client, SamplePatients& samples, const BookingSetup& setup,
                         const clinic::v1::TreatmentType& type, const clinic::v1::ConsentForm& form,
                         absl::CivilDay first_consultation_day, int index, std::string* name) {
  clinic::v1::Patient patient;
  grpc::Status status = client.CreatePatient(setup.clinic, samples.Next(), &patient);
  if (!status.ok()) return Failed("CreatePatient", status);
  *name = patient.name();
  status = client.SignConsent(patient.name(), form);
  if (!status.ok()) return Failed("SignConsent", status);
  status = client.SubmitClearScreening(patient.name(), type);
  if (!status.ok()) return Failed("SubmitScreening", status);
  const GridPlace place = setup.Grid().Consultation(first_consultation_day, index);
  clinic::v1::Appointment visit;
  visit.set_patient(patient.name());
  visit.set_treatment_type(kMicroneedling);
  visit.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
  visit.set_practitioner(setup.practitioners[place.practitioner]);
  visit.set_room(setup.rooms[place.practitioner]);
  const absl::Duration since_epoch = place.start - absl::UnixEpoch();
  visit.mutable_start_time()->set_seconds(absl::ToInt64Seconds(since_epoch));
  clinic::v1::Appointment booked;
  status = client.CreateAppointment(setup.clinic, visit, &booked);
  if (!status.ok()) return Failed("booking a consultation", status);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CreateBookingSetup(const std::vector<ClinicClient*>& clients, int practitioners,
                                uint64_t seed, BookingSetup* setup) {
  ClinicClient& first = *clients[0];
  clinic::v1::Clinic clinic;
  grpc::Status status = first.CreateClinic(
      "Hautzentrum Buchungslast " +
          absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), absl::LocalTimeZone()),
      &clinic, kHorizon);
  if (!status.ok()) return Failed("CreateClinic", status);
  setup->clinic = clinic.name();
  for (int i = 0; i < practitioners; ++i) {
    clinic::v1::Practitioner practitioner;
    status = first.CreatePractitioner(clinic.name(), absl::StrCat("Dr. Last ", i + 1),
                                      kMicroneedling, &practitioner);
    if (!status.ok()) return Failed("CreatePractitioner", status);
    setup->practitioners.push_back(practitioner.name());
    clinic::v1::Room room;
    status = first.CreateRoom(clinic.name(), absl::StrCat("Behandlungsraum ", i + 1),
                              {"microneedling_device", "sink"}, &room);
    if (!status.ok()) return Failed("CreateRoom", status);
    setup->rooms.push_back(room.name());
  }
  clinic::v1::TreatmentType type;
  status = first.GetTreatmentType(kMicroneedling, &type);
  if (!status.ok()) return Failed("GetTreatmentType", status);
  clinic::v1::ConsentForm form;
  status = first.GetConsentForm(kMicroneedling, &form);
  if (!status.ok()) return Failed("GetConsentForm", status);

  // Consultations from tomorrow on; sessions from the day after the last.
  const BookingGrid grid = setup->Grid();
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), Berlin()) + 1;
  setup->first_session_day = tomorrow + grid.ConsultationDays() + 1;
  setup->patients.assign(grid.patients(), "");
  const int threads = static_cast<int>(clients.size());
  std::vector<grpc::Status> results(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      SamplePatients samples(seed + t);
      for (size_t i = t; i < setup->patients.size() && results[t].ok(); i += threads) {
        results[t] = MakePatient(*clients[t], samples, *setup, type, form, tomorrow,
                                 static_cast<int>(i), &setup->patients[i]);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const grpc::Status& result : results) {
    if (!result.ok()) return result;
  }
  return grpc::Status::OK;
}

}  // namespace clinicd::loadgen
