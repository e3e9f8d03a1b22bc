// The write paths issue 6 made heavier, measured below gRPC on a real SQLite
// file with the real plugins: a booking now also writes its feed event and a
// preparation reminder per message and channel in the same transaction; and
// a reminder worker's claim-and-acknowledge round.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/booking/appointment_kind.h"
#include "services/common/proto_time.h"
#include "services/notification/notification_claims.h"
#include "services/outbox/outbox.h"
#include "services/patient/patient_kind.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/resource_crud.h"
#include "tests/benchmarks/benchmark_clinic.h"

namespace clinicd::bench {
namespace {

// The plugins built with this tree: $CLINICD_PLUGIN_DIR or build/plugins
// beside this binary (build/tests/benchmarks).
std::string PluginDir() {
  if (const char* dir = std::getenv("CLINICD_PLUGIN_DIR")) return dir;
  return std::filesystem::canonical("/proc/self/exe").parent_path().string() + "/../../plugins";
}

// A clinic open around the clock with one microneedling practitioner and
// room, and patients opted in to e-mail and SMS.
class BookingClinic {
 public:
  explicit BookingClinic(int patients)
      : clinic_(/*patients=*/0), registry_(plugin_host::TreatmentRegistry::LoadDirectory(PluginDir())) {
    if (registry_->FindTreatmentType("treatmentTypes/microneedling") == nullptr) {
      CheckOk(absl::NotFoundError("microneedling plugin not found in " + PluginDir()), "set-up");
    }
    resources::ResourceCrud<clinic::v1::Practitioner> practitioners(clinic_.db(),
                                                                    practice::PractitionerKind());
    clinic::v1::Practitioner practitioner;
    practitioner.set_display_name("Dr. Bench");
    practitioner.add_treatment_types("treatmentTypes/microneedling");
    practitioner.set_active(true);
    for (int day = 1; day <= 7; ++day) {
      clinic::v1::WorkingInterval* hours = practitioner.add_working_hours();
      hours->set_day(static_cast<google::type::DayOfWeek>(day));
      hours->mutable_start_time()->set_hours(0);
      hours->mutable_end_time()->set_hours(23);
      hours->mutable_end_time()->set_minutes(59);
    }
    clinic::v1::CreatePractitionerRequest request;
    absl::StatusOr<clinic::v1::Practitioner> created =
        practitioners.Create(clinic_.admin(), clinic_.clinic(), practitioner, request, "");
    CheckOk(created.status(), "creating the practitioner");
    practitioner_ = created->name();
    resources::ResourceCrud<clinic::v1::Room> rooms(clinic_.db(), practice::RoomKind());
    clinic::v1::Room room;
    room.set_display_name("Room 1");
    room.add_capabilities("microneedling_device");
    room.add_capabilities("sink");
    room.set_active(true);
    clinic::v1::CreateRoomRequest room_request;
    absl::StatusOr<clinic::v1::Room> created_room =
        rooms.Create(clinic_.admin(), clinic_.clinic(), room, room_request, "");
    CheckOk(created_room.status(), "creating the room");
    room_ = created_room->name();
    resources::ResourceCrud<clinic::v1::Patient> crud(clinic_.db(), patient::PatientKind());
    resources::ResourceCrud<clinic::v1::Appointment> appointments(
        clinic_.db(), booking::AppointmentKind(*registry_));
    for (int i = 0; i < patients; ++i) {
      clinic::v1::Patient patient;
      patient.set_given_name("Anna");
      patient.set_family_name(absl::StrCat("Bench", i));
      patient.set_email(absl::StrCat("anna", i, "@example.org"));
      patient.set_phone_number("+4915123456789");
      for (auto channel : {clinic::v1::NOTIFICATION_CHANNEL_EMAIL, clinic::v1::NOTIFICATION_CHANNEL_SMS}) {
        clinic::v1::ChannelConsent* consent = patient.add_channel_consents();
        consent->set_channel(channel);
        consent->set_opted_in(true);
      }
      clinic::v1::CreatePatientRequest patient_request;
      absl::StatusOr<clinic::v1::Patient> made =
          crud.Create(clinic_.admin(), clinic_.clinic(), patient, patient_request, "");
      CheckOk(made.status(), "creating a patient");
      patients_.push_back(made->name());
      // Microneedling asks for a consultation before a first session: one
      // the day before the first booking day, recorded as suitable.
      clinic::v1::Appointment consultation;
      consultation.set_patient(made->name());
      consultation.set_treatment_type("treatmentTypes/microneedling");
      consultation.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
      consultation.set_practitioner(practitioner_);
      consultation.set_room(room_);
      *consultation.mutable_start_time() =
          ToProtoTime(absl::FromCivil(absl::CivilMinute(first_day_ - 1) + 10 * 60, berlin_));
      clinic::v1::CreateAppointmentRequest consult_request;
      absl::StatusOr<clinic::v1::Appointment> booked = appointments.Create(
          clinic_.admin(), clinic_.clinic(), consultation, consult_request, "");
      CheckOk(booked.status(), "booking a consultation");
      CheckOk(appointments
                  .Modify(clinic_.admin(), booked->name(), "",
                          [](store::Transaction&, clinic::v1::Appointment& visit) {
                            visit.set_state(clinic::v1::APPOINTMENT_STATE_COMPLETED);
                            visit.mutable_consultation_outcome()->set_suitable(true);
                            visit.mutable_consultation_outcome()->set_indication("melasma");
                            return absl::OkStatus();
                          })
                  .status(),
              "recording a consultation");
    }
  }

  BenchmarkClinic& base() { return clinic_; }
  const plugin_host::TreatmentRegistry& registry() const { return *registry_; }

  // An appointment for patient `i` in the `slot`-th of eight daily
  // 90-minute slots from 08:00 Berlin time, starting a week ahead.
  clinic::v1::Appointment Draft(int i, int64_t slot) const {
    clinic::v1::Appointment appointment;
    appointment.set_patient(patients_[i % patients_.size()]);
    appointment.set_treatment_type("treatmentTypes/microneedling");
    appointment.set_practitioner(practitioner_);
    appointment.set_room(room_);
    const absl::CivilMinute start =
        absl::CivilMinute(first_day_ + slot / 8) + 8 * 60 + 90 * (slot % 8);
    *appointment.mutable_start_time() = ToProtoTime(absl::FromCivil(start, berlin_));
    return appointment;
  }

 private:
  BenchmarkClinic clinic_;
  std::unique_ptr<plugin_host::TreatmentRegistry> registry_;
  std::string practitioner_;
  std::string room_;
  std::vector<std::string> patients_;
  absl::TimeZone berlin_ = [] {
    absl::TimeZone zone;
    absl::LoadTimeZone("Europe/Berlin", &zone);
    return zone;
  }();
  const absl::CivilDay first_day_ = absl::ToCivilDay(absl::Now(), berlin_) + 7;
};

// CreateAppointment minus gRPC: every booking rule, the insert, the
// APPOINTMENT_BOOKED event and 8 reminders (4 preparation messages x 2
// channels) in one durable write. Each patient books once (no spacing rule).
void BM_BookAppointmentWithReminders(benchmark::State& state) {
  static BookingClinic clinic(/*patients=*/4096);
  resources::ResourceCrud<clinic::v1::Appointment> crud(clinic.base().db(),
                                                        booking::AppointmentKind(clinic.registry()));
  static int64_t slot = 0;
  for (auto _ : state) {
    clinic::v1::CreateAppointmentRequest request;
    request.set_parent(clinic.base().clinic());
    *request.mutable_appointment() = clinic.Draft(static_cast<int>(slot), slot);
    ++slot;
    absl::StatusOr<clinic::v1::Appointment> booked =
        crud.Create(clinic.base().admin(), request.parent(), request.appointment(), request, "");
    if (!booked.ok()) {
      state.SkipWithError(booked.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BookAppointmentWithReminders)->UseRealTime()->Iterations(2000);

// A reminder worker's round minus gRPC: lease 10 due notifications (re-reading
// each patient's channel consent) in one write, then acknowledge each
// delivered in its own write, as a worker does.
void BM_ClaimAndAckTen(benchmark::State& state) {
  static BookingClinic clinic(/*patients=*/64);
  const std::string clinic_id = clinic.base().clinic().substr(8);
  absl::Time now = absl::Now();
  auth::Principal worker = clinic.base().admin();
  worker.role = auth::Role::kReminderWorker;
  static int64_t queued = 0;  // Dedupe keys stay unique across the runs Google Benchmark makes.
  for (auto _ : state) {
    state.PauseTiming();
    CheckOk(clinic.base().db().Write([&](store::Transaction& tx) -> absl::Status {
      for (int i = 0; i < 10; ++i, ++queued) {
        outbox::OutgoingMessage message;
        message.clinic_id = clinic_id;
        message.resource = absl::StrCat(clinic.base().clinic(), "/appointments/bench");
        message.kind = clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER;
        message.channel = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
        const std::string patient = clinic.Draft(static_cast<int>(queued), 0).patient();
        message.patient_id = patient.substr(patient.rfind('/') + 1);
        message.recipient = "anna@example.org";
        message.subject = "Your appointment is tomorrow";
        message.body = std::string(600, 'x');
        message.message_id = absl::StrCat("bench/", queued);
        message.due = now - absl::Seconds(1);
        if (absl::Status s = outbox::QueueNotification(tx, message, now); !s.ok()) return s;
      }
      return absl::OkStatus();
    }), "queueing");
    state.ResumeTiming();
    clinic::v1::ClaimNotificationsRequest claim;
    claim.set_max_notifications(10);
    absl::StatusOr<clinic::v1::ClaimNotificationsResponse> claimed =
        notification::ClaimNotifications(clinic.base().db(), worker, claim, absl::Now());
    if (!claimed.ok() || claimed->notifications_size() != 10) {
      state.SkipWithError(claimed.ok() ? absl::StrCat("claimed ", claimed->notifications_size(),
                                                      " of 10").c_str()
                                       : claimed.status().ToString().c_str());
      break;
    }
    for (const clinic::v1::Notification& n : claimed->notifications()) {
      clinic::v1::AckNotificationRequest ack;
      ack.set_name(n.name());
      ack.set_lease_id(n.lease_id());
      ack.set_result(clinic::v1::DELIVERY_RESULT_DELIVERED);
      CheckOk(notification::AckNotification(clinic.base().db(), worker, ack, absl::Now()), "ack");
    }
  }
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_ClaimAndAckTen)->MinTime(0.5)->UseRealTime();

}  // namespace
}  // namespace clinicd::bench
