#pragma once

// Everything the booking rules decide from, loaded in one read (see
// booking/booking_context_loader.h) and then asked without the database:
// once by CreateAppointment and RescheduleAppointment for the time asked,
// once per candidate by SearchAvailability and PlanNextSession. A context
// covers a window of time; its calendars hold what can reach into it.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "clinic/v1/treatment.pb.h"
#include "services/domain/busy_timeline.h"
#include "services/domain/clearance.h"
#include "services/domain/schedule.h"

namespace clinicd::domain {

// How long a visit blocks its practitioner, and how much longer its room.
struct SessionLength {
  absl::Duration session;
  absl::Duration turnaround;
};
SessionLength LengthOf(const clinic::v1::TreatmentType& type, clinic::v1::VisitKind kind,
                       bool numbing);

// The room capabilities a visit of `kind` needs: the treatment's for a
// session, none for a consultation.
std::vector<std::string> RoomNeeds(const clinic::v1::TreatmentType& type,
                                   clinic::v1::VisitKind kind);

// A practitioner a visit could be with.
struct PractitionerFacts {
  clinic::v1::Practitioner practitioner;
  // Working intervals over the context's days, sorted and merged.
  std::vector<Interval> working;
  // Their active appointments, [start, end).
  BusyTimeline appointments;
  BusyTimeline time_off;
};

// A room a visit could be in.
struct RoomFacts {
  clinic::v1::Room room;
  // Its active appointments, [start, end of turnaround).
  BusyTimeline appointments;
};

// A consultation of the patient for the treatment (booked, checked in or
// completed).
struct ConsultationFact {
  std::string name;
  absl::Time start;
  bool recorded = false;  // completed, with its outcome
  bool suitable = false;
};

// The window of the session a series booking would fill.
struct SessionWindow {
  int number = 0;
  absl::Time opens;
  absl::Time closes;
};

// The series a booking names, as the course rules need it.
struct SeriesFacts {
  // Not OK when the series cannot be used at all (unparsable name, not
  // found, not the patient's or the treatment's): refused as it is.
  absl::Status usable;
  clinic::v1::Series series;
  // Start times of the sessions the series has taken (this booking left
  // out), sorted.
  std::vector<absl::Time> taken;
  // windows[k]: the window of the session after k taken sessions, planned
  // from them; absent when the plan has no such session. Only the k a
  // booking in the context's window can see are filled.
  std::vector<std::optional<SessionWindow>> windows;
  // Not OK when the plugin could not plan the series.
  absl::Status plan;
  // The start of the last session of the patient's other completed courses
  // of the treatment, or InfinitePast.
  absl::Time last_completed_course = absl::InfinitePast();
};

// The patient's side of a booking.
struct PatientFacts {
  std::string name;
  // Their active appointments of any treatment, [start, end).
  BusyTimeline appointments;
  // Their counted sessions of the treatment (booked, checked in or
  // completed; this booking left out) that can be within spacing of the
  // window, sorted.
  std::vector<absl::Time> sessions;
  // Their earliest counted session of the treatment at any time (this
  // booking left out): a session before the booking makes it no first.
  std::optional<absl::Time> first_session;
  // Their latest consultation before the window, then those inside it, by start.
  std::vector<ConsultationFact> consultations;
  // Consents and screenings, evaluated for the window's first time. Only
  // `time` changes while deciding, each candidate's own; a context belongs
  // to one request.
  mutable ClearanceInput clearance;
  // The earliest due time of an open maintenance recall, or InfinitePast.
  absl::Time open_recall_due = absl::InfinitePast();
};

// What is being booked, and the facts around it.
struct BookingContext {
  absl::Time now;
  clinic::v1::ClinicPolicy policy;
  absl::TimeZone zone;
  const clinic::v1::TreatmentType* type = nullptr;
  clinic::v1::VisitKind kind = clinic::v1::VISIT_KIND_TREATMENT;
  bool numbing = false;
  // LengthOf(*type, kind, numbing).
  SessionLength length;
  // A move of a booked appointment (a series closed since may still move).
  bool moved = false;
  // The clinician's override the booking carries (reasons only).
  std::vector<std::string> overrides;
  std::vector<PractitionerFacts> practitioners;
  std::vector<RoomFacts> rooms;
  BusyTimeline closures;
  // Absent for a search without a patient: their rules are not asked.
  std::optional<PatientFacts> patient;
  // Present when the booking names a series.
  std::optional<SeriesFacts> series;
};

// One possible booking: which practitioner and room of the context, and when.
struct Candidate {
  size_t practitioner = 0;
  size_t room = 0;
  absl::Time start;
};

}  // namespace clinicd::domain
