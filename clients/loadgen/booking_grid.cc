#include "clients/loadgen/booking_grid.h"

namespace clinicd::loadgen {
namespace {

constexpr int kFirstStartMinute = 4 * 60;
constexpr int kSessionStepMinutes = 75;
constexpr int kConsultationStepMinutes = 30;

// Days since a fixed day, so that which patients a day belongs to does not
// depend on when a run starts.
int64_t DayNumber(absl::CivilDay day) { return day - absl::CivilDay(2000, 1, 1); }

}  // namespace

int BookingGrid::PatientsFor(int practitioners) {
  return kCycleDays * kSessionSlotsPerDay * practitioners;
}

BookingGrid::BookingGrid(int practitioners, absl::TimeZone zone)
    : practitioners_(practitioners), zone_(zone) {}

GridPlace BookingGrid::Session(absl::CivilDay day, int slot) const {
  const int64_t cycle_day = ((DayNumber(day) % kCycleDays) + kCycleDays) % kCycleDays;
  GridPlace place;
  place.practitioner = slot % practitioners_;
  const int step = slot / practitioners_;
  place.start = absl::FromCivil(
      absl::CivilMinute(day) + kFirstStartMinute + kSessionStepMinutes * step, zone_);
  place.patient = static_cast<int>(cycle_day) * SessionsPerDay() + slot;
  return place;
}

int BookingGrid::ConsultationDays() const {
  const int per_day = kConsultationSlotsPerDay * practitioners_;
  return (patients() + per_day - 1) / per_day;
}

GridPlace BookingGrid::Consultation(absl::CivilDay first_day, int patient) const {
  const int per_day = kConsultationSlotsPerDay * practitioners_;
  const int slot = patient % per_day;
  GridPlace place;
  place.practitioner = slot % practitioners_;
  place.patient = patient;
  place.start =
      absl::FromCivil(absl::CivilMinute(first_day + patient / per_day) + kFirstStartMinute +
                          kConsultationStepMinutes * (slot / practitioners_),
                      zone_);
  return place;
}

}  // namespace clinicd::loadgen
