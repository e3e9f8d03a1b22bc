#include "services/domain/booking_rules.h"

#include <algorithm>

#include "clinicd/protocol_rules.h"
#include "services/domain/care_window.h"
#include "services/domain/consultation_first.h"
#include "services/domain/spacing.h"

namespace clinicd::domain {
namespace {

using R = BookingRule;

Verdict Refuse(BookingRule rule, Interval conflict = {}, absl::Time earliest = {}) {
  return Verdict{rule, conflict, earliest};
}

bool Qualified(const clinic::v1::Practitioner& p, const clinic::v1::TreatmentType& type) {
  const auto& types = p.treatment_types();
  return p.active() && std::find(types.begin(), types.end(), type.name()) != types.end();
}

bool Suitable(const BookingContext& context, const clinic::v1::Room& room) {
  if (!room.active()) return false;
  if (context.kind == clinic::v1::VISIT_KIND_CONSULTATION) return true;
  const auto& has = room.capabilities();
  for (const std::string& need : context.type->required_room_capabilities()) {
    if (std::find(has.begin(), has.end(), need) == has.end()) return false;
  }
  return true;
}

// True when one of `working` (sorted, merged) holds all of `session`.
bool InsideWorkingHours(const std::vector<Interval>& working, const Interval& session) {
  auto after = std::upper_bound(working.begin(), working.end(), session.start,
                                [](absl::Time t, const Interval& w) { return t < w.start; });
  return after != working.begin() && Contains(*(after - 1), session);
}

bool Overridden(const BookingContext& context, absl::string_view reason) {
  return std::find(context.overrides.begin(), context.overrides.end(), reason) !=
         context.overrides.end();
}

// The protocol's course rules (CourseRefusal words them): a series
// session inside its window, a new course not too soon after the last, a
// maintenance visit not before its recall is due.
Verdict DecideCourse(const BookingContext& context, const PatientFacts& patient, absl::Time start) {
  const clinic::v1::TreatmentType& type = *context.type;
  if (!context.series.has_value()) {
    if (patient.open_recall_due != absl::InfinitePast() && start < patient.open_recall_due &&
        !Overridden(context, "MAINTENANCE_TOO_SOON")) {
      return Refuse(R::kMaintenanceTooSoon, {}, patient.open_recall_due);
    }
    return {};
  }
  const SeriesFacts& series = *context.series;
  if (!series.usable.ok()) return Refuse(R::kSeriesUnusable);
  const clinic::v1::SeriesState state = series.series.state();
  if (!context.moved && (state == clinic::v1::SERIES_STATE_COMPLETED ||
                         state == clinic::v1::SERIES_STATE_CANCELLED)) {
    return Refuse(R::kSeriesClosed);
  }
  if (!context.moved && static_cast<int>(series.taken.size()) >= series.series.planned_sessions()) {
    return Refuse(R::kSeriesFull);
  }
  if (!series.plan.ok()) return Refuse(R::kSeriesUnplanned);
  const size_t before = static_cast<size_t>(
      std::lower_bound(series.taken.begin(), series.taken.end(), start) - series.taken.begin());
  if (before > 0 && before < series.windows.size() && series.windows[before].has_value()) {
    const SessionWindow& window = *series.windows[before];
    if (start < window.opens && !Overridden(context, "SERIES_SPACING")) {
      return Refuse(R::kSeriesSpacing, {}, window.opens);
    }
    if (start > window.closes && !Overridden(context, "SERIES_WINDOW_CLOSED")) {
      return Refuse(R::kSeriesWindowClosed, {}, window.closes);
    }
  }
  if (before == 0 && type.has_repeat_course_interval() &&
      series.last_completed_course != absl::InfinitePast()) {
    const absl::Time earliest = protocol::AddPeriod(series.last_completed_course,
                                                    type.repeat_course_interval(), context.zone);
    if (start < earliest && !Overridden(context, "REPEAT_COURSE_TOO_SOON")) {
      return Refuse(R::kRepeatCourseTooSoon, {}, earliest);
    }
  }
  return {};
}

// The patient's rules after their calendar: spacing, clearance,
// consultation first, the course.
Verdict DecideTreatment(const BookingContext& context, const PatientFacts& patient,
                        absl::Time start) {
  const clinic::v1::TreatmentType& type = *context.type;
  const absl::Time earliest = EarliestSpaced(type, context.zone, patient.sessions, start);
  if (earliest != start && !Overridden(context, "SERIES_SPACING")) {
    return Refuse(R::kSpacing, {}, earliest);
  }
  // Screening restrictions for the session's own time apply from booking
  // on; a missing consent only when the clinic asks for it at booking.
  patient.clearance.time = start;
  if (!BlockingForBooking(EvaluateClearance(patient.clearance),
                          context.policy.require_consent_at_booking())
           .treatable()) {
    return Refuse(R::kClearance);
  }
  const bool had_session_before =
      patient.first_session.has_value() && *patient.first_session < start;
  if (FindConsultationGap(type, had_session_before,
                          LatestConsultationBefore(patient.consultations, start),
                          /*at_check_in=*/false) != ConsultationGap::kNone) {
    return Refuse(R::kConsultationFirst);
  }
  return DecideCourse(context, patient, start);
}

}  // namespace

Interval SessionOf(const BookingContext& context, absl::Time start) {
  return {start, start + context.length.session};
}

Interval RoomBlockOf(const BookingContext& context, absl::Time start) {
  return {start, start + context.length.session + context.length.turnaround};
}

Verdict Decide(const BookingContext& context, const Candidate& candidate) {
  const PractitionerFacts& practitioner = context.practitioners[candidate.practitioner];
  const RoomFacts& room = context.rooms[candidate.room];
  const absl::Time start = candidate.start;
  if (start < context.now) return Refuse(R::kPastStart);
  if (!Qualified(practitioner.practitioner, *context.type)) {
    return Refuse(R::kPractitionerNotAvailable);
  }
  if (!Suitable(context, room.room)) return Refuse(R::kRoomUnsuitable);
  if (start > context.now + BookingHorizon(context.policy)) return Refuse(R::kBeyondHorizon);

  const Interval session = SessionOf(context, start);
  const Interval room_block = RoomBlockOf(context, start);
  if (!InsideWorkingHours(practitioner.working, session)) {
    return Refuse(R::kOutsideWorkingHours, session);
  }
  if (auto off = practitioner.time_off.FirstOverlap(session)) return Refuse(R::kTimeOff, *off);
  if (auto closed = context.closures.FirstOverlap(room_block)) return Refuse(R::kClosure, *closed);
  if (auto taken = practitioner.appointments.FirstOverlap(session)) {
    return Refuse(R::kPractitionerTaken, *taken);
  }
  if (auto taken = room.appointments.FirstOverlap(room_block)) return Refuse(R::kRoomTaken, *taken);
  if (!context.patient.has_value()) return {};
  const PatientFacts& patient = *context.patient;
  if (auto taken = patient.appointments.FirstOverlap(session)) {
    return Refuse(R::kPatientTaken, *taken);
  }
  // A consultation is a conversation: spacing, screening and the course
  // rules are for treatment.
  if (context.kind == clinic::v1::VISIT_KIND_CONSULTATION) return {};
  return DecideTreatment(context, patient, start);
}

absl::Status CheckBooking(const BookingContext& context, const Candidate& candidate) {
  return Refusal(context, candidate, Decide(context, candidate));
}

}  // namespace clinicd::domain
