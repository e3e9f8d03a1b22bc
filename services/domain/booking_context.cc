#include "services/domain/booking_context.h"

#include "services/common/proto_time.h"

namespace clinicd::domain {

SessionLength LengthOf(const clinic::v1::TreatmentType& type, clinic::v1::VisitKind kind,
                       bool numbing) {
  if (kind == clinic::v1::VISIT_KIND_CONSULTATION) {
    return {FromProtoDuration(type.consultation_visit().duration()), absl::ZeroDuration()};
  }
  const auto& d = type.durations();
  absl::Duration session = FromProtoDuration(d.consultation()) + FromProtoDuration(d.procedure());
  if (numbing) session += FromProtoDuration(d.numbing());
  return {session, FromProtoDuration(d.turnaround())};
}

std::vector<std::string> RoomNeeds(const clinic::v1::TreatmentType& type,
                                   clinic::v1::VisitKind kind) {
  if (kind == clinic::v1::VISIT_KIND_CONSULTATION) return {};
  return {type.required_room_capabilities().begin(), type.required_room_capabilities().end()};
}

}  // namespace clinicd::domain
