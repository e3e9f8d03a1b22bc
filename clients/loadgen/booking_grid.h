#pragma once

// Where benchmark bookings go: a fixed grid of slots that keeps every rule
// without asking the server. Practitioner i always works in room i; session
// slots start at 04:00 local time every 75 minutes (a 60-minute microneedling
// session plus the room's 15-minute turnaround), 16 a day, so no slot touches
// the hours a DST change skips or repeats; a patient is booked once every
// `cycle_days` days (at least the 28 days microneedling asks between
// sessions), on the same slot each time. Consultations sit on a grid of
// their own, half an hour each from 04:00, one per patient. clinic-loadgen
// and the history loader share it, so their bookings never collide.

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace clinicd::loadgen {

// One grid place: when, with which practitioner (and room) and patient, by
// their indexes in the lists the grid was made for.
struct GridPlace {
  absl::Time start;
  int practitioner = 0;
  int patient = 0;
};

class BookingGrid final {
 public:
  static constexpr int kSessionSlotsPerDay = 16;
  static constexpr int kConsultationSlotsPerDay = 39;
  // Days between a patient's sessions: 28 days of spacing plus a margin.
  static constexpr int kCycleDays = 30;

  // The patients a grid of `practitioners` needs: one per session slot of a
  // whole cycle.
  static int PatientsFor(int practitioners);

  // A grid of `practitioners` (>= 1) in `zone`.
  BookingGrid(int practitioners, absl::TimeZone zone);

  int practitioners() const { return practitioners_; }
  int patients() const { return PatientsFor(practitioners_); }
  // Session places a day: 16 per practitioner.
  int SessionsPerDay() const { return kSessionSlotsPerDay * practitioners_; }

  // Session place `slot` (0 .. SessionsPerDay()-1) of `day`.
  GridPlace Session(absl::CivilDay day, int slot) const;

  // Days the consultations of every patient take.
  int ConsultationDays() const;

  // Patient `patient`'s consultation, on the grid starting at `first_day`.
  GridPlace Consultation(absl::CivilDay first_day, int patient) const;

 private:
  int practitioners_;
  absl::TimeZone zone_;
};

}  // namespace clinicd::loadgen
