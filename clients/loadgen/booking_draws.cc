#include "clients/loadgen/booking_draws.h"

namespace clinicd::loadgen {
namespace {

void SetDate(absl::CivilDay day, google::type::Date* date) {
  date->set_year(static_cast<int32_t>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
}

}  // namespace

clinic::v1::Appointment GridBooking(const BookingSetup& setup, const BookingGrid& grid,
                                    int64_t slot) {
  const int64_t per_day = grid.SessionsPerDay();
  const GridPlace place =
      grid.Session(setup.first_session_day + slot / per_day, static_cast<int>(slot % per_day));
  clinic::v1::Appointment appointment;
  appointment.set_patient(setup.patients[place.patient]);
  appointment.set_treatment_type(kMicroneedling);
  appointment.set_kind(clinic::v1::VISIT_KIND_TREATMENT);
  appointment.set_practitioner(setup.practitioners[place.practitioner]);
  appointment.set_room(setup.rooms[place.practitioner]);
  appointment.mutable_start_time()->set_seconds(absl::ToUnixSeconds(place.start));
  return appointment;
}

clinic::v1::SearchAvailabilityRequest WeekSearch(const BookingSetup& setup, size_t practitioner,
                                                 size_t patient, absl::CivilDay first_day) {
  clinic::v1::SearchAvailabilityRequest request;
  request.set_parent(setup.clinic);
  request.set_treatment_type(kMicroneedling);
  request.set_practitioner(setup.practitioners[practitioner]);
  request.set_patient(setup.patients[patient]);
  SetDate(first_day, request.mutable_start_date());
  SetDate(first_day + 6, request.mutable_end_date());
  return request;
}

}  // namespace clinicd::loadgen
