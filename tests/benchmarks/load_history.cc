// clinicd-load-history: adds a clinic's history to a clinicd database while
// clinicd is stopped: --appointments appointments of past consultations and
// sessions (completed, cancelled, no-show) and some future bookings. First
// the people of a clinic-loadgen booking set-up (--setup_file) get up to
// --years of past, so the practitioners, rooms and patients the load
// generator books have a history; the rest goes to a cohort of practitioners,
// rooms and patients added to the same clinic (history_cohort.h), with some
// future bookings too. Rows are made by the store's own row functions and the
// appointment kind's columns, so they are what clinicd writes for these
// appointments; every one keeps the booking rules with the others and with
// the load generator's (no overlap per practitioner, room or patient, 30 days
// between a patient's sessions, a consultation before the first), because
// all sit on BookingGrids. What clinicd writes beside an appointment (feed
// events, reminders, recalls) is not added: the history is the appointments.
//
//   clinicd-load-history --db=clinicd.db --setup_file=setup.txt --appointments=1000000
//       [--plugin_dir=build/test/plugins] [--years=5] [--practitioners=0 (auto)]
//
// A benchmark tool, not a test: see run_booking_bench.sh.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "clients/loadgen/booking_grid.h"
#include "clients/loadgen/booking_setup_file.h"
#include "services/booking/appointment_kind.h"
#include "services/booking/booking_rules.h"
#include "services/domain/booking_context.h"
#include "services/common/proto_time.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/database.h"
#include "tests/benchmarks/history_cohort.h"
#include "tests/benchmarks/stored_resource.h"

ABSL_FLAG(std::string, db, "", "the clinicd database file (clinicd must be stopped)");
ABSL_FLAG(std::string, setup_file, "",
          "clinic-loadgen's booking set-up: its clinic gets the history, its people first");
ABSL_FLAG(int64_t, appointments, 10000, "appointments to add");
ABSL_FLAG(std::string, plugin_dir, "", "directory with the microneedling plugin");
ABSL_FLAG(int, years, 5, "years of past sessions for the set-up's people at most");
ABSL_FLAG(int, practitioners, 0,
          "practitioners of the added cohort; 0: one per 30,000 of its appointments (at least "
          "1), about five years of history at 16 sessions a practitioner-day");
ABSL_FLAG(int, batch, 100000, "appointments per transaction");

namespace clinicd::bench {
namespace {

constexpr char kMicroneedling[] = "treatmentTypes/microneedling";
// Future bookings of the added cohort: this share of its sessions, from
// tomorrow on.
constexpr int64_t kFuturePerMille = 20;
// As many past days as it takes (a bound that cannot overflow when counted
// in sessions).
constexpr int64_t kNoLimitDays = 1000 * 366;

// Which appointment of a cohort's history the i-th is: first a consultation
// per patient, then past sessions day after day up to yesterday, then (when
// `future`) bookings from tomorrow on.
class HistoryPlan final {
 public:
  // At most `appointments`, and at most `max_past_days` days of past sessions.
  HistoryPlan(int64_t appointments, const loadgen::BookingGrid& grid, absl::CivilDay today,
              int64_t max_past_days, bool future)
      : grid_(grid) {
    const int64_t per_day = grid.SessionsPerDay();
    consultations_ = std::min<int64_t>(appointments, grid.patients());
    const int64_t sessions = appointments - consultations_;
    future_ = future ? sessions * kFuturePerMille / 1000 : 0;
    past_ = std::min(sessions - future_, max_past_days * per_day);
    first_past_day_ = today - std::max<int64_t>(1, (past_ + per_day - 1) / per_day);
    // Consultations end the day before the first session.
    first_consultation_day_ = first_past_day_ - 1 - grid.ConsultationDays();
    tomorrow_ = today + 1;
  }

  int64_t size() const { return consultations_ + past_ + future_; }
  absl::CivilDay first_day() const { return first_consultation_day_; }

  // The i-th appointment (0 <= i < size()) with `cohort`, before it is
  // stored and without its outcome.
  clinic::v1::Appointment At(int64_t i, const HistoryCohort& cohort,
                             const clinic::v1::TreatmentType& type) const {
    clinic::v1::Appointment appointment;
    appointment.set_treatment_type(kMicroneedling);
    loadgen::GridPlace place;
    if (i < consultations_) {
      place = grid_.Consultation(first_consultation_day_, static_cast<int>(i));
      appointment.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
    } else {
      const int64_t session = i - consultations_;
      const bool future = session >= past_;
      const int64_t offset = future ? session - past_ : session;
      const int64_t per_day = grid_.SessionsPerDay();
      place = grid_.Session((future ? tomorrow_ : first_past_day_) + offset / per_day,
                            static_cast<int>(offset % per_day));
      appointment.set_kind(clinic::v1::VISIT_KIND_TREATMENT);
    }
    appointment.set_patient(cohort.patients[place.patient]);
    appointment.set_practitioner(cohort.practitioners[place.practitioner]);
    appointment.set_room(cohort.rooms[place.practitioner]);
    *appointment.mutable_start_time() = ToProtoTime(place.start);
    *appointment.mutable_end_time() =
        ToProtoTime(place.start + domain::LengthOf(type, appointment.kind(), false).session);
    return appointment;
  }

 private:
  const loadgen::BookingGrid& grid_;
  int64_t consultations_ = 0;
  int64_t past_ = 0;
  int64_t future_ = 0;
  absl::CivilDay first_past_day_;
  absl::CivilDay first_consultation_day_;
  absl::CivilDay tomorrow_;
};

// What became of appointment `i`, as the RPCs that end an appointment leave
// it (and its update_time then): past consultations have a suitable outcome;
// past sessions are mostly completed with a session record, some cancelled,
// a few no-shows; future ones are booked.
void SetOutcome(int64_t i, absl::Time now, clinic::v1::Appointment& a) {
  a.set_state(clinic::v1::APPOINTMENT_STATE_BOOKED);
  const absl::Time start = FromProtoTime(a.start_time());
  if (start >= now) return;
  *a.mutable_update_time() = a.end_time();
  if (a.kind() == clinic::v1::VISIT_KIND_CONSULTATION) {
    a.set_state(clinic::v1::APPOINTMENT_STATE_COMPLETED);
    a.mutable_consultation_outcome()->set_suitable(true);
    a.mutable_consultation_outcome()->set_indication("melasma");
    a.mutable_consultation_outcome()->set_planned_needle_depth_mm(1.0);
    a.mutable_consultation_outcome()->set_recorded_by("apiKeys/history");
    *a.mutable_consultation_outcome()->mutable_record_time() =
        ToProtoTime(start + absl::Minutes(25));
    return;
  }
  // A fixed mix, spread evenly: 82% completed, 10% cancelled, 8% no-show.
  const int64_t roll = (i * 37) % 100;
  if (roll < 82) {
    a.set_state(clinic::v1::APPOINTMENT_STATE_COMPLETED);
    a.mutable_session_record()->set_summary("full face");
    a.mutable_session_record()->set_needle_depth_mm(1.0);
  } else if (roll < 92) {
    a.set_state(clinic::v1::APPOINTMENT_STATE_CANCELLED);
    a.set_cancel_reason("patient called to cancel");
  } else {
    a.set_state(clinic::v1::APPOINTMENT_STATE_NO_SHOW);
  }
}

int Fail(const char* what, const absl::Status& status) {
  std::cerr << "clinicd-load-history: " << what << ": " << status.ToString() << "\n";
  return 1;
}

// Stores the appointments of `plan` with `cohort`, `batch` to a transaction;
// `registered` is when the cohort arrived (no booking was made before).
absl::Status AddAppointments(store::Database& db, const plugin_host::TreatmentRegistry& registry,
                             const std::string& clinic_id, const HistoryCohort& cohort,
                             const HistoryPlan& plan, absl::Time registered, absl::Time now,
                             int batch) {
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(kMicroneedling);
  const auto kind = booking::AppointmentKind(registry);
  const std::vector<std::string> scope = {clinic_id};
  for (int64_t first = 0; first < plan.size(); first += batch) {
    const int64_t last = std::min(plan.size(), first + batch);
    absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
      for (int64_t i = first; i < last; ++i) {
        clinic::v1::Appointment appointment = plan.At(i, cohort, *type);
        const absl::Time start = FromProtoTime(appointment.start_time());
        // Booked two weeks ahead (or when the cohort arrived).
        const absl::Time booked = std::clamp(start - absl::Hours(24 * 14), registered, now);
        // Not validated: the booking rules refuse the past, and the grid
        // keeps them.
        absl::StatusOr<std::string> name = StoreResource<clinic::v1::Appointment>(
            tx, kind, scope, appointment, booked, /*validate=*/false,
            [&](clinic::v1::Appointment& a) { SetOutcome(i, now, a); });
        if (!name.ok()) return name.status();
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

int Run() {
  const int64_t appointments = absl::GetFlag(FLAGS_appointments);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int years = absl::GetFlag(FLAGS_years);
  if (absl::GetFlag(FLAGS_db).empty() || absl::GetFlag(FLAGS_setup_file).empty() ||
      appointments < 1 || batch < 1 || years < 0) {
    std::cerr << "clinicd-load-history: need --db, --setup_file, --appointments >= 1\n";
    return 2;
  }
  loadgen::BookingSetup setup;
  if (grpc::Status s = loadgen::LoadBookingSetup(absl::GetFlag(FLAGS_setup_file), &setup);
      !s.ok()) {
    return Fail("reading the set-up", absl::InvalidArgumentError(s.error_message()));
  }
  const std::string clinic_id = setup.clinic.substr(setup.clinic.find('/') + 1);
  const absl::Time began = absl::Now();

  auto registry = plugin_host::TreatmentRegistry::LoadDirectory(absl::GetFlag(FLAGS_plugin_dir));
  if (registry->FindTreatmentType(kMicroneedling) == nullptr) {
    return Fail("loading plugins", absl::NotFoundError("no microneedling plugin in --plugin_dir"));
  }
  store::DatabaseOptions options;
  options.path = absl::GetFlag(FLAGS_db);
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Open(options);
  if (!db.ok()) return Fail("opening the database", db.status());
  absl::TimeZone zone;
  if (absl::Status s = (*db)->Read([&](store::Transaction& tx) -> absl::Status {
        absl::StatusOr<booking::ClinicSettings> settings =
            booking::LoadClinicSettings(tx, clinic_id);
        if (!settings.ok()) return settings.status();
        zone = settings->zone;
        return absl::OkStatus();
      });
      !s.ok()) {
    return Fail("reading the clinic", s);
  }
  const absl::Time now = absl::Now();
  const absl::CivilDay today = absl::ToCivilDay(now, zone);

  // The set-up's people: past only, since their future is the load
  // generator's.
  HistoryCohort known{setup.practitioners, setup.rooms, setup.patients};
  const loadgen::BookingGrid known_grid(static_cast<int>(setup.practitioners.size()), zone);
  const HistoryPlan known_plan(appointments, known_grid, today, int64_t{years} * 365,
                               /*future=*/false);
  // Registered a month before their first consultation.
  const absl::Time known_since = absl::FromCivil(known_plan.first_day() - 30, zone);
  if (absl::Status s =
          AddAppointments(**db, *registry, clinic_id, known, known_plan, known_since, now, batch);
      !s.ok()) {
    return Fail("adding the set-up's history", s);
  }

  // The rest: a cohort of its own.
  const int64_t rest = appointments - known_plan.size();
  int practitioners = absl::GetFlag(FLAGS_practitioners);
  if (practitioners <= 0) practitioners = static_cast<int>(std::max<int64_t>(1, rest / 30000));
  HistoryCohort added;
  if (rest > 0) {
    const loadgen::BookingGrid grid(practitioners, zone);
    const HistoryPlan plan(rest, grid, today, kNoLimitDays, /*future=*/true);
    const absl::Time since = absl::FromCivil(plan.first_day() - 30, zone);
    if (absl::Status s = (*db)->Write([&](store::Transaction& tx) {
          // fn may run again after a rollback: forget the names of rows an
          // earlier attempt stored, which were rolled back with it.
          added = {};
          return AddHistoryCohort(tx, clinic_id, practitioners,
                                  /*seed=*/static_cast<uint64_t>(absl::ToUnixNanos(now)), since,
                                  &added);
        });
        !s.ok()) {
      return Fail("adding the cohort", s);
    }
    if (absl::Status s =
            AddAppointments(**db, *registry, clinic_id, added, plan, since, now, batch);
        !s.ok()) {
      return Fail("adding the cohort's history", s);
    }
  }
  std::printf(
      "clinicd-load-history: added %lld appointments to %s in %.1f s: %lld for the "
      "set-up's %zu practitioners and %zu patients from %s, %lld for %zu more "
      "practitioners and %zu more patients\n",
      static_cast<long long>(appointments), setup.clinic.c_str(),
      absl::ToDoubleSeconds(absl::Now() - began), static_cast<long long>(known_plan.size()),
      known.practitioners.size(), known.patients.size(),
      absl::FormatCivilTime(known_plan.first_day()).c_str(),
      static_cast<long long>(std::max<int64_t>(rest, 0)), added.practitioners.size(),
      added.patients.size());
  return 0;
}

}  // namespace
}  // namespace clinicd::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return clinicd::bench::Run();
}
