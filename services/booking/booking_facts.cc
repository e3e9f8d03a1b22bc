#include "services/booking/booking_facts.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "clinic/v1/patient_service.pb.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/consent/clearance_query.h"
#include "services/domain/care_window.h"
#include "services/domain/spacing.h"
#include "services/domain/time_bounds.h"
#include "services/follow_up/series_plan.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::booking {
namespace {

// Held times grouped by owner id.
std::map<std::string, std::vector<domain::Interval>> ByOwner(
    const std::vector<store::HeldTime>& held) {
  std::map<std::string, std::vector<domain::Interval>> by_owner;
  for (const store::HeldTime& h : held) by_owner[h.owner_id].push_back({h.start, h.end});
  return by_owner;
}

std::vector<domain::Interval> Intervals(const std::vector<store::HeldTime>& held) {
  std::vector<domain::Interval> intervals;
  intervals.reserve(held.size());
  for (const store::HeldTime& h : held) intervals.push_back({h.start, h.end});
  return intervals;
}

}  // namespace

absl::Status LoadCalendars(store::Transaction& tx, const std::string& clinic_id,
                           std::vector<clinic::v1::Practitioner> practitioners,
                           std::vector<clinic::v1::Room> rooms, absl::CivilDay first,
                           absl::CivilDay last, const store::BookingWindow& window,
                           domain::BookingContext& context) {
  std::vector<std::string> practitioner_ids;
  for (const auto& p : practitioners) practitioner_ids.push_back(LastIdOf(p.name()));
  std::vector<std::string> room_ids;
  for (const auto& r : rooms) room_ids.push_back(LastIdOf(r.name()));

  absl::StatusOr<std::vector<store::HeldTime>> booked = store::PractitionerAppointments(
      tx, clinic_id, practitioner_ids, window, domain::kLongestVisit);
  if (!booked.ok()) return booked.status();
  absl::StatusOr<std::vector<store::HeldTime>> off =
      store::TimeOffOverlapping(tx, clinic_id, practitioner_ids, window, domain::kLongestPeriod);
  if (!off.ok()) return off.status();
  absl::StatusOr<std::vector<store::HeldTime>> room_booked =
      store::RoomAppointments(tx, clinic_id, room_ids, window, domain::kLongestVisit);
  if (!room_booked.ok()) return room_booked.status();
  absl::StatusOr<std::vector<store::HeldTime>> closures =
      store::ClosuresOverlapping(tx, clinic_id, window, domain::kLongestPeriod);
  if (!closures.ok()) return closures.status();

  std::map<std::string, std::vector<domain::Interval>> booked_by = ByOwner(*booked);
  std::map<std::string, std::vector<domain::Interval>> off_by = ByOwner(*off);
  for (size_t i = 0; i < practitioners.size(); ++i) {
    domain::PractitionerFacts facts;
    facts.working = domain::WorkingIntervals(practitioners[i], context.zone, first, last);
    facts.appointments = domain::BusyTimeline(std::move(booked_by[practitioner_ids[i]]));
    facts.time_off = domain::BusyTimeline(std::move(off_by[practitioner_ids[i]]));
    facts.practitioner = std::move(practitioners[i]);
    context.practitioners.push_back(std::move(facts));
  }
  std::map<std::string, std::vector<domain::Interval>> room_booked_by = ByOwner(*room_booked);
  for (size_t i = 0; i < rooms.size(); ++i) {
    domain::RoomFacts facts;
    facts.appointments = domain::BusyTimeline(std::move(room_booked_by[room_ids[i]]));
    facts.room = std::move(rooms[i]);
    context.rooms.push_back(std::move(facts));
  }
  context.closures = domain::BusyTimeline(Intervals(*closures));
  return absl::OkStatus();
}

absl::Status LoadPatientFacts(store::Transaction& tx,
                              const plugin_host::TreatmentRegistry& registry,
                              const std::string& clinic_id, const std::string& patient,
                              const store::BookingWindow& window, absl::Time first_time,
                              domain::BookingContext& context) {
  const std::string patient_id = LastIdOf(patient);
  if (absl::Status s = resources::LoadResource<clinic::v1::Patient>(
                           tx, store::kPatientsTable, {clinic_id}, patient_id, patient)
                           .status();
      !s.ok()) {
    return s;
  }
  domain::PatientFacts facts;
  facts.name = patient;
  absl::StatusOr<std::vector<store::HeldTime>> booked =
      store::PatientAppointments(tx, clinic_id, patient_id, window, domain::kLongestVisit);
  if (!booked.ok()) return booked.status();
  facts.appointments = domain::BusyTimeline(Intervals(*booked));
  if (context.kind == clinic::v1::VISIT_KIND_CONSULTATION) {
    context.patient = std::move(facts);
    return absl::OkStatus();
  }

  const clinic::v1::TreatmentType& type = *context.type;
  // Sessions within spacing of any time a candidate may take. How far the
  // earliest spaced time can be pushed ahead is bounded by the horizon: past
  // it no booking is taken, so the exact time beyond it does not matter.
  const absl::Duration reach = domain::SpacingReach(type);
  const absl::Time until =
      std::max(window.to, context.now + domain::BookingHorizon(context.policy)) + reach;
  absl::StatusOr<std::vector<absl::Time>> sessions = store::CountedSessionTimes(
      tx, clinic_id, patient_id, type.name(), {window.from - reach, until, window.exclude_id});
  if (!sessions.ok()) return sessions.status();
  facts.sessions = *std::move(sessions);

  absl::StatusOr<std::optional<absl::Time>> first = store::FirstSessionTime(
      tx, clinic_id, patient_id, type.name(), window.exclude_id, /*completed_only=*/false);
  if (!first.ok()) return first.status();
  facts.first_session = *first;
  absl::StatusOr<std::vector<clinic::v1::Appointment>> consultations =
      store::ConsultationsNear(tx, clinic_id, patient_id, type.name(), window);
  if (!consultations.ok()) return consultations.status();
  for (const clinic::v1::Appointment& c : *consultations) {
    facts.consultations.push_back({c.name(), FromProtoTime(c.start_time()),
                                   c.state() == clinic::v1::APPOINTMENT_STATE_COMPLETED,
                                   c.consultation_outcome().suitable()});
  }
  absl::StatusOr<domain::ClearanceInput> clearance =
      consent::LoadClearanceFacts(tx, registry, type, clinic_id, patient_id, first_time);
  if (!clearance.ok()) return clearance.status();
  facts.clearance = *std::move(clearance);
  absl::StatusOr<absl::Time> due = store::OpenRecallDue(tx, clinic_id, patient_id, type.name());
  if (!due.ok()) return due.status();
  facts.open_recall_due = *due;
  context.patient = std::move(facts);
  return absl::OkStatus();
}

absl::Status LoadSeriesFacts(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                             const std::string& clinic_id, const std::string& series,
                             const std::string& patient, const store::BookingWindow& window,
                             domain::BookingContext& context) {
  const clinic::v1::TreatmentType& type = *context.type;
  domain::SeriesFacts& facts = context.series.emplace();
  FieldViolations violations;
  const std::string series_id =
      IdInClinic(violations, "appointment.series", series, clinic_id, "series");
  if (!violations.empty()) {
    facts.usable = violations.ToStatus();
    return absl::OkStatus();
  }
  absl::StatusOr<clinic::v1::Series> loaded = resources::LoadResource<clinic::v1::Series>(
      tx, store::kSeriesTable, {clinic_id}, series_id, series);
  if (!loaded.ok()) {
    facts.usable = loaded.status();
    return absl::OkStatus();
  }
  facts.series = *std::move(loaded);
  if (facts.series.patient() != patient) {
    facts.usable = InvalidField("appointment.series",
                                absl::StrCat("must be a series of the appointment's patient; ",
                                             series, " belongs to ", facts.series.patient()));
    return absl::OkStatus();
  }
  if (facts.series.treatment_type() != type.name()) {
    facts.usable = InvalidField("appointment.series",
                                absl::StrCat("must be a series of ", type.name(), "; ", series,
                                             " is a series of ", facts.series.treatment_type()));
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<follow_up::TakenSession>> taken =
      follow_up::LoadTakenSessions(tx, clinic_id, series_id, window.exclude_id);
  if (!taken.ok()) return taken.status();
  for (const follow_up::TakenSession& t : *taken) facts.taken.push_back(t.start);

  // The windows a candidate in the window can see: one per number of
  // sessions taken before it, each planned by the plugin from those.
  auto taken_before = [&](absl::Time t) {
    return static_cast<size_t>(std::lower_bound(facts.taken.begin(), facts.taken.end(), t) -
                               facts.taken.begin());
  };
  const size_t last = taken_before(window.to);
  facts.windows.resize(last + 1);
  for (size_t k = taken_before(window.from); k <= last; ++k) {
    const std::vector<follow_up::TakenSession> before(taken->begin(), taken->begin() + k);
    clinic::v1::Series planned = facts.series;
    if (absl::Status s = follow_up::PlanSessions(registry, type, context.zone, before, planned);
        !s.ok()) {
      facts.plan = s;
      break;
    }
    if (static_cast<int>(k) < planned.sessions_size()) {
      const clinic::v1::SeriesSession& session = planned.sessions(static_cast<int>(k));
      facts.windows[k] =
          domain::SessionWindow{session.number(), FromProtoTime(session.window_start_time()),
                                FromProtoTime(session.window_end_time())};
    }
  }
  absl::StatusOr<absl::Time> last_course =
      store::LastCompletedCourseSession(tx, clinic_id, LastIdOf(patient), type.name(), series_id);
  if (!last_course.ok()) return last_course.status();
  facts.last_completed_course = *last_course;
  return absl::OkStatus();
}

}  // namespace clinicd::booking
