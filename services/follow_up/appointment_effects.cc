#include "services/follow_up/appointment_effects.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clinicd/protocol_rules.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/appointment_change.h"
#include "services/domain/schedule.h"
#include "services/follow_up/recalls.h"
#include "services/follow_up/series_plan.h"
#include "services/follow_up/series_progress.h"
#include "services/outbox/event_log.h"
#include "services/outbox/outbox.h"
#include "services/outbox/patient_messages.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::follow_up {
namespace {

using clinic::v1::Appointment;
using clinic::v1::AppointmentState;

// The feed event for a change, or UNSPECIFIED when it has none (e.g. only
// the consent flag changed).
clinic::v1::EventKind EventFor(const Appointment* previous, const Appointment& current) {
  if (previous == nullptr) return clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED;
  if (previous->state() != current.state()) {
    switch (current.state()) {
      case clinic::v1::APPOINTMENT_STATE_CHECKED_IN:
        return clinic::v1::EVENT_KIND_APPOINTMENT_CHECKED_IN;
      case clinic::v1::APPOINTMENT_STATE_COMPLETED:
        return clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED;
      case clinic::v1::APPOINTMENT_STATE_CANCELLED:
        return clinic::v1::EVENT_KIND_APPOINTMENT_CANCELLED;
      case clinic::v1::APPOINTMENT_STATE_NO_SHOW:
        return clinic::v1::EVENT_KIND_APPOINTMENT_NO_SHOW;
      default:
        return clinic::v1::EVENT_KIND_UNSPECIFIED;
    }
  }
  if (domain::BookingChanged(*previous, current)) {
    return clinic::v1::EVENT_KIND_APPOINTMENT_RESCHEDULED;
  }
  return clinic::v1::EVENT_KIND_UNSPECIFIED;
}

// Queues the protocol's preparation messages before a session, or its
// reminders before a consultation.
absl::Status QueuePreparation(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                              const Appointment& appointment, const outbox::PatientOutbox& outbox,
                              absl::Time now) {
  const absl::Time start = FromProtoTime(appointment.start_time());
  const bool consultation = appointment.kind() == clinic::v1::VISIT_KIND_CONSULTATION;
  for (const clinic::v1::TimedMessage& preparation :
       consultation ? type.consultation_visit().reminders() : type.preparation()) {
    outbox::PatientMessage message;
    message.kind = clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER;
    message.resource = appointment.name();
    // The appointment's time is part of the message's identity: after a
    // move, the same instruction for the new time is a new message.
    message.message_id = absl::StrCat(preparation.id(), "@", absl::ToUnixSeconds(start));
    message.subject = preparation.title();
    message.text = preparation.body();
    message.context =
        absl::StrCat(consultation ? "Your consultation about " : "Your appointment: ",
                     type.display_name(), " on ", outbox.LocalDateTime(start), ".");
    message.due = protocol::AddPeriod(start, preparation.offset(), outbox.zone());
    // Before the fact: out of quiet hours the evening before, never after the start.
    message.quiet_hours_shift = domain::ShiftFor(preparation.quiet_hours_shift(),
                                                 domain::QuietHoursShift::kEarlier);
    message.deadline = start;
    if (absl::Status s = outbox.Send(tx, message, now); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Queues the protocol's aftercare messages after a completed session.
absl::Status QueueAftercare(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                            const Appointment& appointment, const outbox::PatientOutbox& outbox,
                            absl::Time now) {
  const absl::Time start = FromProtoTime(appointment.start_time());
  for (const clinic::v1::TimedMessage& aftercare : type.aftercare()) {
    outbox::PatientMessage message;
    message.kind = clinic::v1::NOTIFICATION_KIND_AFTERCARE;
    message.resource = appointment.name();
    message.message_id = aftercare.id();
    message.subject = aftercare.title();
    message.text = aftercare.body();
    message.context =
        absl::StrCat("This is about your ", type.display_name(), " session on ",
                     outbox.LocalDate(start),
                     ". If anything worries you, such as increasing pain, swelling or signs of "
                     "infection, call us straight away.");
    message.due = protocol::AddPeriod(start, aftercare.offset(), outbox.zone());
    // After the fact: the next morning, unless the protocol asks for the
    // same evening before the quiet hours, never before the session's start.
    message.quiet_hours_shift =
        domain::ShiftFor(aftercare.quiet_hours_shift(), domain::QuietHoursShift::kLater);
    if (message.quiet_hours_shift == domain::QuietHoursShift::kEarlier) message.not_before = start;
    if (absl::Status s = outbox.Send(tx, message, now); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool Ends(AppointmentState state) {
  return state == clinic::v1::APPOINTMENT_STATE_CANCELLED ||
         state == clinic::v1::APPOINTMENT_STATE_NO_SHOW;
}

}  // namespace

absl::Status ApplyAppointmentEffects(store::Transaction& tx,
                                     const plugin_host::TreatmentRegistry& registry,
                                     const std::string& clinic_id, absl::Time now,
                                     const Appointment* previous, const Appointment& current) {
  const clinic::v1::EventKind event = EventFor(previous, current);
  if (event == clinic::v1::EVENT_KIND_UNSPECIFIED) return absl::OkStatus();
  // An override decided with this change goes into its event.
  const bool new_override =
      (event == clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED ||
       event == clinic::v1::EVENT_KIND_APPOINTMENT_RESCHEDULED) &&
      current.has_rule_override() &&
      (previous == nullptr || previous->rule_override().SerializeAsString() !=
                                  current.rule_override().SerializeAsString());
  if (absl::Status s = outbox::AppendEvent(tx, clinic_id, event, current.name(),
                                           current.patient(), now,
                                           new_override ? &current.rule_override() : nullptr);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<outbox::PatientOutbox> outbox =
      outbox::PatientOutbox::Load(tx, clinic_id, LastIdOf(current.patient()));
  if (!outbox.ok()) return outbox.status();
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(current.treatment_type());

  // Reminders: whatever was pending is about the old booking.
  if (previous != nullptr) {
    if (absl::Status s = outbox::CancelUndelivered(
            tx, current.name(), clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER, now);
        !s.ok()) {
      return s;
    }
  }
  if (type != nullptr && current.state() == clinic::v1::APPOINTMENT_STATE_BOOKED) {
    if (absl::Status s = QueuePreparation(tx, *type, current, *outbox, now); !s.ok()) return s;
  }
  const bool treatment = current.kind() != clinic::v1::VISIT_KIND_CONSULTATION;
  if (type != nullptr && treatment && event == clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED) {
    if (absl::Status s = QueueAftercare(tx, *type, current, *outbox, now); !s.ok()) return s;
  }

  // Recalls: a new booking of the treatment is the maintenance session; one
  // that falls through re-opens the recall.
  if (!treatment) return absl::OkStatus();
  if (previous == nullptr) {
    if (absl::Status s = SatisfyOpenRecalls(tx, clinic_id, current, now); !s.ok()) return s;
  } else if (Ends(current.state())) {
    if (absl::Status s = ReopenRecalls(tx, clinic_id, current, now); !s.ok()) return s;
  }

  if (!current.series().empty()) {
    return ReplanSeries(tx, registry, clinic_id, LastIdOf(current.series()), *outbox, now);
  }
  return absl::OkStatus();
}

}  // namespace clinicd::follow_up
