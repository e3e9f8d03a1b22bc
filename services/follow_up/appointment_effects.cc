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

// Queues the protocol's preparation messages before the appointment.
absl::Status QueuePreparation(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                              const Appointment& appointment, const outbox::PatientOutbox& outbox,
                              absl::Time now) {
  const absl::Time start = FromProtoTime(appointment.start_time());
  for (const clinic::v1::TimedMessage& preparation : type.preparation()) {
    outbox::PatientMessage message;
    message.kind = clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER;
    message.resource = appointment.name();
    // The appointment's time is part of the message's identity: after a
    // move, the same instruction for the new time is a new message.
    message.message_id = absl::StrCat(preparation.id(), "@", absl::ToUnixSeconds(start));
    message.subject = preparation.title();
    message.text = preparation.body();
    message.context = absl::StrCat("Your appointment: ", type.display_name(), " on ",
                                   outbox.LocalDateTime(start), ".");
    message.due = protocol::AddPeriod(start, preparation.offset(), outbox.zone());
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
                                     const std::string& clinic_id, const Appointment* previous,
                                     const Appointment& current) {
  const absl::Time now = absl::Now();
  const clinic::v1::EventKind event = EventFor(previous, current);
  if (event == clinic::v1::EVENT_KIND_UNSPECIFIED) return absl::OkStatus();
  if (absl::Status s =
          outbox::AppendEvent(tx, clinic_id, event, current.name(), current.patient(), now);
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
  if (type != nullptr && event == clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED) {
    if (absl::Status s = QueueAftercare(tx, *type, current, *outbox, now); !s.ok()) return s;
  }

  // Recalls: a new booking of the treatment is the maintenance session; one
  // that falls through re-opens the recall.
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

absl::Status CheckSeriesBooking(store::Transaction& tx,
                                const plugin_host::TreatmentRegistry& registry,
                                const std::string& clinic_id, const Appointment& appointment,
                                bool moved) {
  if (appointment.series().empty()) return absl::OkStatus();
  FieldViolations violations;
  const std::string series_id =
      IdInClinic(violations, "appointment.series", appointment.series(), clinic_id, "series");
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<clinic::v1::Series> series = resources::LoadResource<clinic::v1::Series>(
      tx, store::kSeriesTable, {clinic_id}, series_id, appointment.series());
  if (!series.ok()) return series.status();
  if (series->patient() != appointment.patient()) {
    return InvalidField("appointment.series",
                        absl::StrCat("must be a series of the appointment's patient; ",
                                     appointment.series(), " belongs to ", series->patient()));
  }
  if (series->treatment_type() != appointment.treatment_type()) {
    return InvalidField("appointment.series",
                        absl::StrCat("must be a series of ", appointment.treatment_type(), "; ",
                                     appointment.series(), " is a series of ",
                                     series->treatment_type()));
  }
  if (!moved && (series->state() == clinic::v1::SERIES_STATE_COMPLETED ||
                 series->state() == clinic::v1::SERIES_STATE_CANCELLED)) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_CLOSED",
        absl::StrCat(appointment.series(), " is ",
                     series->state() == clinic::v1::SERIES_STATE_COMPLETED ? "completed"
                                                                            : "cancelled",
                     "; book without a series, or plan a new one with CreateSeries"),
        {{"series", appointment.series()}});
  }
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(series->treatment_type());
  if (type == nullptr) return absl::OkStatus();  // CheckBookable refuses the treatment type.
  absl::StatusOr<std::vector<TakenSession>> taken =
      LoadTakenSessions(tx, clinic_id, series_id, LastIdOf(appointment.name()));
  if (!taken.ok()) return taken.status();
  if (!moved && static_cast<int>(taken->size()) >= series->planned_sessions()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_FULL",
        absl::StrCat("all ", series->planned_sessions(), " sessions of ", appointment.series(),
                     " are booked or done; cancel one of them first, or book without the series"),
        {{"series", appointment.series()},
         {"planned_sessions", absl::StrCat(series->planned_sessions())}});
  }
  // The window of the session this appointment would be: planned from the
  // sessions before it.
  const absl::Time start = FromProtoTime(appointment.start_time());
  std::vector<TakenSession> before;
  for (const TakenSession& session : *taken) {
    if (session.start < start) before.push_back(session);
  }
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  clinic::v1::Series planned = *series;
  if (absl::Status s = PlanSessions(registry, *type, *zone, before, planned); !s.ok()) return s;
  if (static_cast<int>(before.size()) >= planned.sessions_size()) return absl::OkStatus();
  const clinic::v1::SeriesSession& session = planned.sessions(static_cast<int>(before.size()));
  const absl::Time opens = FromProtoTime(session.window_start_time());
  if (!before.empty() && start < opens) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_SPACING",
        absl::StrCat("session ", session.number(), " of ", appointment.series(),
                     " can be no earlier than ", absl::FormatTime("%Y-%m-%d %H:%M", opens, *zone),
                     " (the course's spacing from the session before it)"),
        {{"earliest_time", absl::FormatTime(absl::RFC3339_sec, opens, absl::UTCTimeZone())},
         {"session", absl::StrCat(session.number())}});
  }
  return absl::OkStatus();
}

}  // namespace clinicd::follow_up
