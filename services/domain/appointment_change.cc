#include "services/domain/appointment_change.h"

#include "services/common/proto_time.h"

namespace clinicd::domain {

bool BookingChanged(const clinic::v1::Appointment& before, const clinic::v1::Appointment& after) {
  return ProtoTimeMicros(before.start_time()) != ProtoTimeMicros(after.start_time()) ||
         before.practitioner() != after.practitioner() || before.room() != after.room() ||
         before.numbing() != after.numbing();
}

}  // namespace clinicd::domain
