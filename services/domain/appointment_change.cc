#include "services/domain/appointment_change.h"

#include "services/common/proto_time.h"

namespace clinicd::domain {

bool BookingChanged(const clinic::v1::Appointment& before, const clinic::v1::Appointment& after) {
  return ProtoTimeMicros(before.start_time()) != ProtoTimeMicros(after.start_time()) ||
         before.practitioner() != after.practitioner() || before.room() != after.room() ||
         before.numbing() != after.numbing();
}

}  // namespace clinicd::domain

namespace clinicd::domain {

bool Overrides(const clinic::v1::Appointment& appointment, absl::string_view reason) {
  for (const std::string& overridden : appointment.rule_override().reasons()) {
    if (overridden == reason) return true;
  }
  return false;
}

}  // namespace clinicd::domain
