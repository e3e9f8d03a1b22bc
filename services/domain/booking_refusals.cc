// Refusal(): what a booking hears for each rule of booking_rules.h. Only
// the refused booking pays for the words; deciding needs none of them.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clinicd/protocol_rules.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"
#include "services/domain/booking_rules.h"
#include "services/domain/care_window.h"
#include "services/domain/clearance_refusal.h"
#include "services/domain/consultation_first.h"

namespace clinicd::domain {
namespace {

using R = BookingRule;

absl::Status Precondition(absl::string_view reason, const std::string& message,
                          const std::map<std::string, std::string>& metadata) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, reason, message, metadata);
}

absl::Status SlotTaken(absl::string_view what, const Interval& conflict,
                       const absl::TimeZone& zone) {
  return Precondition(
      "SLOT_TAKEN",
      absl::StrCat("the ", what, " already has an appointment from ",
                   LocalTimeText(conflict.start, zone), " to ", LocalTimeText(conflict.end, zone),
                   "; choose another time from SearchAvailability"),
      {{"taken_by", std::string(what)},
       {"conflict_start_time", Rfc3339Text(conflict.start)},
       {"conflict_end_time", Rfc3339Text(conflict.end)}});
}

// Working hours interrupted by `period` (time off or a closure).
absl::Status Away(absl::string_view cause, absl::string_view what, const Interval& period,
                  const absl::TimeZone& zone) {
  return Precondition("OUTSIDE_WORKING_HOURS",
                      absl::StrCat(what, " from ", LocalTimeText(period.start, zone), " to ",
                                   LocalTimeText(period.end, zone)),
                      {{"cause", std::string(cause)}, {"until_time", Rfc3339Text(period.end)}});
}

absl::Status OutsideWorkingHours(const BookingContext& context,
                                 const clinic::v1::Practitioner& practitioner,
                                 const Interval& session) {
  const absl::TimeZone& zone = context.zone;
  const absl::CivilDay day = absl::ToCivilDay(session.start, zone);
  std::vector<std::string> that_day;
  for (const Interval& w : WorkingIntervals(practitioner, zone, day, day)) {
    that_day.push_back(absl::StrCat(absl::FormatTime("%H:%M", w.start, zone), "-",
                                    absl::FormatTime("%H:%M", w.end, zone)));
  }
  const std::string hours = that_day.empty() ? "none" : absl::StrJoin(that_day, ", ");
  return Precondition("OUTSIDE_WORKING_HOURS",
                      absl::StrCat("the session from ", LocalTimeText(session.start, zone), " to ",
                                   LocalTimeText(session.end, zone),
                                   " is outside the practitioner's working hours (",
                                   absl::FormatTime("%A", session.start, zone), ": ", hours, ")"),
                      {{"cause", "working_hours"}, {"working_hours", hours}});
}

absl::Status Unqualified(const BookingContext& context, const clinic::v1::Practitioner& p) {
  const std::string& type = context.type->name();
  return Precondition(
      "PRACTITIONER_NOT_AVAILABLE",
      absl::StrCat(p.name(), p.active() ? " is not qualified for " : " is not active; ",
                   p.active() ? type : "choose another practitioner"),
      {{"practitioner", p.name()}});
}

absl::Status Unsuitable(const BookingContext& context, const clinic::v1::Room& room) {
  std::vector<std::string> missing;
  for (const std::string& capability : RoomNeeds(*context.type, context.kind)) {
    const auto& has = room.capabilities();
    if (std::find(has.begin(), has.end(), capability) == has.end()) missing.push_back(capability);
  }
  return Precondition(
      "ROOM_UNSUITABLE",
      absl::StrCat(room.name(), room.active()
                                    ? absl::StrCat(" lacks ", absl::StrJoin(missing, ", "),
                                                   " needed for ", context.type->name())
                                    : " is not active"),
      {{"room", room.name()}, {"missing_capabilities", absl::StrJoin(missing, ",")}});
}

// Session `number` of series `name` outside its window: `bound` is the
// window's edge it crossed, named `bound_key` in the metadata.
absl::Status OutsideSessionWindow(absl::string_view reason, absl::string_view bound_key, int number,
                                  const std::string& name, absl::string_view why,
                                  absl::Time bound) {
  return Precondition(
      reason, absl::StrCat("session ", number, " of ", name, why),
      {{std::string(bound_key), Rfc3339Text(bound)}, {"session", absl::StrCat(number)}});
}

// The refusals of the course rules.
absl::Status CourseRefusal(const BookingContext& context, absl::Time start,
                           const Verdict& verdict) {
  const clinic::v1::TreatmentType& type = *context.type;
  const absl::TimeZone& zone = context.zone;
  if (verdict.rule == R::kMaintenanceTooSoon) {
    return Precondition(
        "MAINTENANCE_TOO_SOON",
        absl::StrCat("maintenance ", type.display_name(), " is due from ",
                     LocalTimeText(verdict.earliest, zone),
                     "; an earlier session needs a clinician's override with a reason"),
        {{"earliest_time", Rfc3339Text(verdict.earliest)}});
  }
  const SeriesFacts& facts = *context.series;
  const std::string& name = facts.series.name();
  const size_t before = static_cast<size_t>(
      std::lower_bound(facts.taken.begin(), facts.taken.end(), start) - facts.taken.begin());
  switch (verdict.rule) {
    case R::kSeriesUnusable:
      return facts.usable;
    case R::kSeriesUnplanned:
      return facts.plan;
    case R::kSeriesClosed:
      return Precondition(
          "SERIES_CLOSED",
          absl::StrCat(name, " is ",
                       facts.series.state() == clinic::v1::SERIES_STATE_COMPLETED ? "completed"
                                                                                  : "cancelled",
                       "; book without a series, or plan a new one with CreateSeries"),
          {{"series", name}});
    case R::kSeriesFull:
      return Precondition(
          "SERIES_FULL",
          absl::StrCat("all ", facts.series.planned_sessions(), " sessions of ", name,
                       " are booked or done; cancel one of them first, or book without the series"),
          {{"series", name}, {"planned_sessions", absl::StrCat(facts.series.planned_sessions())}});
    case R::kSeriesSpacing:
      return OutsideSessionWindow(
          "SERIES_SPACING", "earliest_time", facts.windows[before]->number, name,
          absl::StrCat(" can be no earlier than ", LocalTimeText(verdict.earliest, zone),
                       " (the course's spacing from the session before it)"),
          verdict.earliest);
    case R::kSeriesWindowClosed:
      return OutsideSessionWindow(
          "SERIES_WINDOW_CLOSED", "latest_time", facts.windows[before]->number, name,
          absl::StrCat(" had to be by ", LocalTimeText(verdict.earliest, zone),
                       " (the longest spacing the course allows); book it in the window, or a "
                       "clinician may override with a reason"),
          verdict.earliest);
    case R::kRepeatCourseTooSoon: {
      const absl::Time last = facts.last_completed_course;
      return Precondition(
          "REPEAT_COURSE_TOO_SOON",
          absl::StrCat("a new course of ", type.display_name(), " can start no sooner than ",
                       protocol::DescribePeriod(type.repeat_course_interval()),
                       " after the last course's final session (", LocalTimeText(last, zone),
                       "): from ", LocalTimeText(verdict.earliest, zone)),
          {{"earliest_time", Rfc3339Text(verdict.earliest)},
           {"last_session_time", Rfc3339Text(last)}});
    }
    default:
      return absl::InternalError("not a course rule");
  }
}

}  // namespace

absl::Status Refusal(const BookingContext& context, const Candidate& candidate,
                     const Verdict& verdict) {
  const PractitionerFacts& practitioner = context.practitioners[candidate.practitioner];
  const absl::TimeZone& zone = context.zone;
  const clinic::v1::TreatmentType& type = *context.type;
  switch (verdict.rule) {
    case R::kNone:
      return absl::OkStatus();
    case R::kPastStart:
      return InvalidField("appointment.start_time", "must not be in the past");
    case R::kBeyondHorizon: {
      const absl::Duration horizon = BookingHorizon(context.policy);
      return InvalidField("appointment.start_time",
                          absl::StrCat("must be within the clinic's booking horizon of ",
                                       absl::ToInt64Hours(horizon) / 24, " days from now"));
    }
    case R::kPractitionerNotAvailable:
      return Unqualified(context, practitioner.practitioner);
    case R::kRoomUnsuitable:
      return Unsuitable(context, context.rooms[candidate.room].room);
    case R::kOutsideWorkingHours:
      return OutsideWorkingHours(context, practitioner.practitioner, verdict.conflict);
    case R::kTimeOff:
      return Away("time_off", "the practitioner has time off", verdict.conflict, zone);
    case R::kClosure:
      return Away("closure", "the clinic is closed", verdict.conflict, zone);
    case R::kPractitionerTaken:
      return SlotTaken("practitioner", verdict.conflict, zone);
    case R::kRoomTaken:
      return SlotTaken("room", verdict.conflict, zone);
    case R::kPatientTaken:
      return SlotTaken("patient", verdict.conflict, zone);
    case R::kSpacing:
      return Precondition(
          "SERIES_SPACING",
          absl::StrCat(type.display_name(), " sessions must be spaced; the earliest this patient ",
                       "can have one near this time is ", LocalTimeText(verdict.earliest, zone)),
          {{"earliest_time", Rfc3339Text(verdict.earliest)}});
    case R::kClearance: {
      context.patient->clearance.time = candidate.start;
      return ClearanceRefusal(BlockingForBooking(EvaluateClearance(context.patient->clearance),
                                                 context.policy.require_consent_at_booking()),
                              "book this session");
    }
    case R::kConsultationFirst: {
      const PatientFacts& patient = *context.patient;
      const bool had =
          patient.first_session.has_value() && *patient.first_session < candidate.start;
      const ConsultationFact* latest =
          LatestConsultationBefore(patient.consultations, candidate.start);
      return ConsultationRefusal(FindConsultationGap(type, had, latest, false), type, latest, zone);
    }
    default:
      return CourseRefusal(context, candidate.start, verdict);
  }
}

}  // namespace clinicd::domain
