#include "services/booking/appointment_kind.h"

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/booking/booking_rules.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/appointment_change.h"
#include "services/domain/booking_context.h"
#include "services/follow_up/appointment_effects.h"
#include "services/store/tables.h"

namespace clinicd::booking {
using clinic::v1::Appointment;
using clinic::v1::AppointmentState;

absl::Status Transition(Appointment& appointment, std::initializer_list<AppointmentState> from,
                        AppointmentState to) {
  if (std::find(from.begin(), from.end(), appointment.state()) != from.end()) {
    appointment.set_state(to);
    return absl::OkStatus();
  }
  std::vector<std::string> allowed;
  for (AppointmentState state : from) allowed.push_back(StateName(state));
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "INVALID_STATE_TRANSITION",
      absl::StrCat("cannot move an appointment from ", StateName(appointment.state()), " to ",
                   StateName(to), "; only from ", absl::StrJoin(allowed, " or ")),
      {{"from_state", StateName(appointment.state())}, {"to_state", StateName(to)}});
}

resources::ResourceKind<Appointment> AppointmentKind(const plugin_host::TreatmentRegistry& registry) {
  resources::ResourceKind<Appointment> kind;
  kind.field = "appointment";
  kind.collections = {"clinics", "appointments"};
  kind.table = store::kAppointmentsTable;
  kind.parent_table = store::kClinicsTable;
  kind.mutable_fields = {"start_time", "practitioner", "room", "numbing", "rule_override"};
  kind.order = {"start_time", /*integer=*/true};
  // Bookings race for slots: the rules refuse most of a race on a snapshot,
  // without queueing for the writer, which re-checks the one that passes.
  kind.precheck_on_snapshot = true;
  kind.validate = [&registry](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                              const Appointment* previous, Appointment& appointment) -> absl::Status {
    if (previous == nullptr) {
      // Output-only fields are the server's.
      appointment.set_state(clinic::v1::APPOINTMENT_STATE_BOOKED);
      appointment.clear_end_time();
      appointment.clear_cancel_reason();
      appointment.clear_session_record();
      appointment.clear_consent_withdrawn();
      appointment.clear_consultation_outcome();
      if (appointment.kind() == clinic::v1::VISIT_KIND_UNSPECIFIED) {
        appointment.set_kind(clinic::v1::VISIT_KIND_TREATMENT);
      }
      return CheckBookable(tx, registry, scope.front(), now, /*moved=*/false, appointment);
    }
    if (!domain::BookingChanged(*previous, appointment)) {
      // Nothing moved: the override stays as it was decided.
      if (!appointment.has_rule_override()) {
        *appointment.mutable_rule_override() = previous->rule_override();
        if (!previous->has_rule_override()) appointment.clear_rule_override();
      }
      if (!google::protobuf::util::MessageDifferencer::Equals(previous->rule_override(),
                                                              appointment.rule_override())) {
        return InvalidField("appointment.rule_override",
                            "can only be given with the booking or a move it decides");
      }
      return absl::OkStatus();
    }
    // The override is the one given with this move, or none: RescheduleAppointment
    // drops the old one, decided for the old time.
    if (previous->state() != clinic::v1::APPOINTMENT_STATE_BOOKED) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "INVALID_STATE_TRANSITION",
          absl::StrCat("cannot reschedule an appointment that is ", StateName(previous->state()),
                       "; only BOOKED appointments can be moved"),
          {{"from_state", StateName(previous->state())}, {"to_state", "BOOKED"}});
    }
    return CheckBookable(tx, registry, scope.front(), now, /*moved=*/true, appointment);
  };
  kind.after_write = [&registry](store::Transaction& tx, absl::Time now, const std::vector<std::string>& scope,
                                  const Appointment* previous, const Appointment& appointment) {
    return follow_up::ApplyAppointmentEffects(tx, registry, scope.front(), now, previous, appointment);
  };
  kind.columns = [&registry](const Appointment& a) {
    const clinic::v1::TreatmentType* type = registry.FindTreatmentType(a.treatment_type());
    const absl::Duration turnaround =
        type == nullptr ? absl::ZeroDuration() : domain::LengthOf(*type, a.kind(), a.numbing()).turnaround;
    const int64_t end = ProtoTimeMicros(a.end_time());
    return std::vector<store::Column>{
        {"patient_id", LastIdOf(a.patient())},
        {"practitioner_id", LastIdOf(a.practitioner())},
        {"room_id", LastIdOf(a.room())},
        {"treatment_type", a.treatment_type()},
        {"start_time", ProtoTimeMicros(a.start_time())},
        {"end_time", end},
        {"room_end_time", end + absl::ToInt64Microseconds(turnaround)},
        {"state", static_cast<int64_t>(a.state())},
        {"series_id", a.series().empty() ? store::ColumnValue() : store::ColumnValue(LastIdOf(a.series()))},
        {"visit_kind", static_cast<int64_t>(a.kind())}};
  };
  return kind;
}

}  // namespace clinicd::booking
