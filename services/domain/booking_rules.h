#pragma once

// The booking rules as one pure function of a loaded BookingContext and a
// candidate (practitioner, room, start). CreateAppointment and
// RescheduleAppointment ask it once inside their write transaction;
// SearchAvailability and PlanNextSession ask it for every slot they might
// offer, so what the search offers is what booking accepts.
//
// In the order a booking hears about them: a start in the past or beyond
// the clinic's horizon; a practitioner not active or not qualified; a room
// not active or without the treatment's capabilities; outside working
// hours, in time off or in a closure; practitioner, room (with turnaround)
// or patient already booked; the treatment's spacing; screening and consent
// clearance at the session's time; consultation first; and the course
// rules (series, repeat course, maintenance).
//
// A closure blocks the whole visit, the room's turnaround included: nobody
// is there to turn the room around. Time off blocks the practitioner's part
// only: the room is turned around by whoever is in.

#include "absl/status/status.h"
#include "services/domain/booking_context.h"

namespace clinicd::domain {

// Which rule refused a candidate.
enum class BookingRule {
  kNone,
  kPastStart,
  kBeyondHorizon,
  kPractitionerNotAvailable,
  kRoomUnsuitable,
  kOutsideWorkingHours,
  kTimeOff,
  kClosure,
  kPractitionerTaken,
  kRoomTaken,
  kPatientTaken,
  kSpacing,
  kClearance,
  kConsultationFirst,
  kSeriesUnusable,
  kSeriesClosed,
  kSeriesFull,
  kSeriesUnplanned,
  kSeriesSpacing,
  kSeriesWindowClosed,
  kRepeatCourseTooSoon,
  kMaintenanceTooSoon,
};

// The decision for one candidate: the first rule it breaks, with what the
// refusal names (the conflicting interval, or the earliest acceptable time).
// Deciding allocates nothing on the common paths, so a search can ask it
// for every slot.
struct Verdict {
  BookingRule rule = BookingRule::kNone;
  Interval conflict{};
  absl::Time earliest;
  bool ok() const { return rule == BookingRule::kNone; }
  // True when another room could change the answer (so a search tries the
  // next room); every other rule refuses the time in any room.
  bool RoomSpecific() const {
    return rule == BookingRule::kRoomUnsuitable || rule == BookingRule::kRoomTaken;
  }
};

// Decides `candidate` against every rule.
Verdict Decide(const BookingContext& context, const Candidate& candidate);

// The refusal a booking returns for `verdict` (OK when it passed): the
// ErrorInfo reason, message, metadata or field violation of each rule.
absl::Status Refusal(const BookingContext& context, const Candidate& candidate,
                     const Verdict& verdict);

// Decide, then Refusal.
absl::Status CheckBooking(const BookingContext& context, const Candidate& candidate);

// The interval a candidate's visit blocks: its practitioner's part, and the
// room's (turnaround included).
Interval SessionOf(const BookingContext& context, absl::Time start);
Interval RoomBlockOf(const BookingContext& context, absl::Time start);

}  // namespace clinicd::domain
