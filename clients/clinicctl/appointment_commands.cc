// appointment book, show, reschedule, cancel, check-in, complete and no-show;
// consultation record.

#include <functional>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/appointment_view.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flag_checks.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// The appointment APPOINTMENT names, fetched; its clinic's zone in `zone`
// and what the refusal advice needs in the session.
absl::Status Fetch(Session& session, const std::string& argument, v1::Appointment* appointment,
                   absl::TimeZone* zone) {
  absl::StatusOr<std::string> name = ChildName(session, "APPOINTMENT", "appointments", argument);
  if (!name.ok()) return name.status();
  absl::StatusOr<absl::TimeZone> clinic_zone = session.ZoneOf(ClinicOf(*name));
  if (!clinic_zone.ok()) return clinic_zone.status();
  *zone = *clinic_zone;
  v1::GetAppointmentRequest request;
  request.set_name(*name);
  if (absl::Status s =
          session.rpc().Call(&v1::BookingService::Stub::GetAppointment, request, appointment);
      !s.ok()) {
    return s;
  }
  session.refusal().patient = ShortId(appointment->patient());
  session.refusal().treatment = ShortId(appointment->treatment_type());
  session.refusal().series = ShortId(appointment->series());
  session.refusal().appointment = argument;
  return absl::OkStatus();
}

// Prints the changed appointment: JSON, or "<headline>: <line>".
absl::Status Report(Session& session, const v1::Appointment& appointment,
                    const absl::TimeZone& zone, const std::string& headline) {
  if (session.json()) return PrintJson(appointment, session.out());
  session.out() << headline << ": " << Printable(AppointmentLine(session, appointment, zone))
                << "\n";
  return absl::OkStatus();
}

// --at in `zone`; a time already past is refused here, so the desk hears
// that rather than which rule a past time broke.
absl::StatusOr<absl::Time> StartFlag(const absl::TimeZone& zone) {
  const absl::Time now = absl::Now();
  absl::StatusOr<absl::Time> start = ParseLocalTime(absl::GetFlag(FLAGS_at), zone, now);
  if (!start.ok()) return FlagError("at", std::string(start.status().message()));
  if (absl::Status s = NotInThePast("at", *start, now, zone); !s.ok()) return s;
  return start;
}

// --override and --justification as the rule override to send; nullopt when neither is set.
absl::StatusOr<std::optional<v1::RuleOverride>> OverrideFlags() {
  return RuleOverrideFromFlags(absl::GetFlag(FLAGS_override), absl::GetFlag(FLAGS_justification));
}

// Fills the practitioner and room `draft` lacks with the first free pair at
// its start, as SearchAvailability offers them. The patient's own rules
// (their other bookings, series spacing, screening) are left to
// CreateAppointment, whose refusal says exactly which one stands in the way.
absl::Status PickSlot(Session& session, const std::string& parent, const absl::TimeZone& zone,
                      v1::Appointment& draft) {
  const absl::Time start = FromProto(draft.start_time());
  v1::SearchAvailabilityRequest request;
  request.set_parent(parent);
  request.set_treatment_type(draft.treatment_type());
  request.set_practitioner(draft.practitioner());
  request.set_numbing(draft.numbing());
  request.set_kind(draft.kind());
  *request.mutable_start_date() = ToProtoDate(absl::ToCivilDay(start, zone));
  *request.mutable_end_date() = request.start_date();
  request.set_page_size(500);
  v1::SearchAvailabilityResponse response;
  if (absl::Status s =
          session.rpc().Call(&v1::BookingService::Stub::SearchAvailability, request, &response);
      !s.ok()) {
    return s;
  }
  const bool consultation = draft.kind() == v1::VISIT_KIND_CONSULTATION;
  for (const v1::Slot& slot : response.slots()) {
    if (FromProto(slot.start_time()) == start &&
        (draft.room().empty() || slot.room() == draft.room())) {
      draft.set_practitioner(slot.practitioner());
      draft.set_room(slot.room());
      return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat(draft.practitioner().empty() ? "no practitioner"
                                                : session.PractitionerName(draft.practitioner()),
                   draft.practitioner().empty() ? " is" : " is not",
                   " free with a suitable room for ", session.TreatmentName(draft.treatment_type()),
                   consultation ? " consultation" : "", " at ", FormatDateTime(start, zone),
                   "\nfree times: clinicctl slots", consultation ? " --consultation" : "",
                   " --from=", absl::FormatCivilTime(absl::ToCivilDay(start, zone)),
                   " --patient=", ShellWord(absl::GetFlag(FLAGS_patient))));
}

absl::Status Book(Session& session, const Arguments&) {
  absl::StatusOr<ClinicScope> scope = session.Scope();
  if (!scope.ok()) return scope.status();
  const std::string& parent = scope->parent;
  const absl::TimeZone& zone = scope->zone;
  const bool consultation = absl::GetFlag(FLAGS_consultation);
  if (absl::Status s = CheckConsultationFlags(consultation, !absl::GetFlag(FLAGS_series).empty(),
                                              absl::GetFlag(FLAGS_numbing));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<v1::RuleOverride>> decision = OverrideFlags();
  if (!decision.ok()) return decision.status();
  v1::Appointment draft;
  if (consultation) draft.set_kind(v1::VISIT_KIND_CONSULTATION);
  if (*decision) *draft.mutable_rule_override() = **decision;
  absl::StatusOr<std::string> patient =
      ResolvePatient(session, "--patient", absl::GetFlag(FLAGS_patient));
  if (!patient.ok()) return patient.status();
  draft.set_patient(*patient);
  session.refusal().patient = absl::GetFlag(FLAGS_patient);
  draft.set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  absl::StatusOr<absl::Time> start = StartFlag(zone);
  if (!start.ok()) return start.status();
  *draft.mutable_start_time() = ToProto(*start);
  draft.set_numbing(absl::GetFlag(FLAGS_numbing));
  absl::StatusOr<PractitionerAndRoom> chosen = PractitionerAndRoomFlags(session, parent);
  if (!chosen.ok()) return chosen.status();
  draft.set_practitioner(chosen->practitioner);
  draft.set_room(chosen->room);
  if (const std::string text = absl::GetFlag(FLAGS_series); !text.empty()) {
    absl::StatusOr<std::string> series = ChildName(session, "--series", "series", text);
    if (!series.ok()) return series.status();
    draft.set_series(*series);
    session.refusal().series = text;
  }
  if (draft.practitioner().empty() || draft.room().empty()) {
    if (absl::Status s = PickSlot(session, parent, zone, draft); !s.ok()) return s;
  }
  session.refusal().field_flags = {{"appointment.patient", "patient"},
                                   {"appointment.treatment_type", "treatment"},
                                   {"appointment.start_time", "at"},
                                   {"appointment.practitioner", "practitioner"},
                                   {"appointment.room", "room"},
                                   {"appointment.series", "series"},
                                   {"appointment.kind", "consultation"},
                                   {"appointment.rule_override.reasons", "override"},
                                   {"appointment.rule_override.justification", "justification"}};
  v1::CreateAppointmentRequest request;
  request.set_parent(parent);
  *request.mutable_appointment() = draft;
  request.set_request_id(NewRequestId());
  v1::Appointment booked;
  if (absl::Status s =
          session.rpc().Call(&v1::BookingService::Stub::CreateAppointment, request, &booked);
      !s.ok()) {
    return s;
  }
  return Report(session, booked, zone, "Booked");
}

absl::Status Show(Session& session, const Arguments& arguments) {
  v1::Appointment appointment;
  absl::TimeZone zone;
  if (absl::Status s = Fetch(session, arguments[0], &appointment, &zone); !s.ok()) return s;
  if (session.json()) return PrintJson(appointment, session.out());
  session.out() << RenderFields(AppointmentFields(session, appointment, zone));
  return absl::OkStatus();
}

absl::Status Reschedule(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::optional<v1::RuleOverride>> decision = OverrideFlags();
  if (!decision.ok()) return decision.status();
  v1::Appointment current;
  absl::TimeZone zone;
  if (absl::Status s = Fetch(session, arguments[0], &current, &zone); !s.ok()) return s;
  absl::StatusOr<absl::Time> start = StartFlag(zone);
  if (!start.ok()) return start.status();
  v1::RescheduleAppointmentRequest request;
  v1::Appointment* moved = request.mutable_appointment();
  moved->set_name(current.name());
  moved->set_etag(current.etag());
  *moved->mutable_start_time() = ToProto(*start);
  request.mutable_update_mask()->add_paths("start_time");
  if (*decision) {
    *moved->mutable_rule_override() = **decision;
    request.mutable_update_mask()->add_paths("rule_override");
  }
  const std::string parent = ClinicOf(current.name());
  absl::StatusOr<PractitionerAndRoom> chosen = PractitionerAndRoomFlags(session, parent);
  if (!chosen.ok()) return chosen.status();
  if (!chosen->practitioner.empty()) {
    moved->set_practitioner(chosen->practitioner);
    request.mutable_update_mask()->add_paths("practitioner");
  }
  if (!chosen->room.empty()) {
    moved->set_room(chosen->room);
    request.mutable_update_mask()->add_paths("room");
  }
  session.refusal().field_flags = {{"appointment.start_time", "at"},
                                   {"appointment.practitioner", "practitioner"},
                                   {"appointment.room", "room"},
                                   {"appointment.rule_override.reasons", "override"},
                                   {"appointment.rule_override.justification", "justification"}};
  v1::Appointment result;
  if (absl::Status s =
          session.rpc().Call(&v1::BookingService::Stub::RescheduleAppointment, request, &result);
      !s.ok()) {
    return s;
  }
  return Report(session, result, zone, absl::StrCat("Moved from ", AppointmentWhen(current, zone)));
}

// Fetches APPOINTMENT, asks `method` to change it (the request's name and etag
// set, then the rest by `fill`) and reports the result under `headline`.
template <typename Request>
absl::Status Change(Session& session, const Arguments& arguments,
                    grpc::Status (v1::BookingService::Stub::*method)(grpc::ClientContext*,
                                                                     const Request&,
                                                                     v1::Appointment*),
                    const std::string& headline,
                    const std::function<void(Request&)>& fill = nullptr) {
  v1::Appointment current;
  absl::TimeZone zone;
  if (absl::Status s = Fetch(session, arguments[0], &current, &zone); !s.ok()) return s;
  Request request;
  request.set_name(current.name());
  request.set_etag(current.etag());
  if (fill) fill(request);
  v1::Appointment result;
  if (absl::Status s = session.rpc().Call(method, request, &result); !s.ok()) return s;
  return Report(session, result, zone, headline);
}

absl::Status Cancel(Session& session, const Arguments& arguments) {
  session.refusal().field_flags = {{"reason", "reason"}};
  return Change<v1::CancelAppointmentRequest>(
      session, arguments, &v1::BookingService::Stub::CancelAppointment, "Cancelled",
      [](v1::CancelAppointmentRequest& request) {
        request.set_reason(absl::GetFlag(FLAGS_reason));
      });
}

absl::Status CheckIn(Session& session, const Arguments& arguments) {
  return Change<v1::CheckInAppointmentRequest>(
      session, arguments, &v1::BookingService::Stub::CheckInAppointment, "Checked in");
}

absl::Status Complete(Session& session, const Arguments& arguments) {
  const double depth = absl::GetFlag(FLAGS_needle_depth);
  if (depth < 0 || depth > 5) return FlagError("needle_depth", "must be from 0 to 5 (mm)");
  session.refusal().field_flags = {{"session_record.summary", "summary"},
                                   {"session_record.needle_depth_mm", "needle_depth"},
                                   {"session_record.notes", "notes"}};
  return Change<v1::CompleteAppointmentRequest>(
      session, arguments, &v1::BookingService::Stub::CompleteAppointment, "Completed",
      [depth](v1::CompleteAppointmentRequest& request) {
        v1::SessionRecord* record = request.mutable_session_record();
        record->set_summary(absl::GetFlag(FLAGS_summary));
        record->set_needle_depth_mm(depth);
        record->set_notes(absl::GetFlag(FLAGS_notes));
      });
}

absl::Status RecordOutcome(Session& session, const Arguments& arguments) {
  absl::StatusOr<v1::ConsultationOutcome> outcome =
      ConsultationOutcomeFromFlags(absl::GetFlag(FLAGS_suitable), absl::GetFlag(FLAGS_not_suitable),
                                   absl::GetFlag(FLAGS_indication),
                                   absl::GetFlag(FLAGS_needle_depth), absl::GetFlag(FLAGS_notes));
  if (!outcome.ok()) return outcome.status();
  session.refusal().field_flags = {{"outcome.indication", "indication"},
                                   {"outcome.planned_needle_depth_mm", "needle_depth"},
                                   {"outcome.notes", "notes"}};
  v1::Appointment current;
  absl::TimeZone zone;
  if (absl::Status s = Fetch(session, arguments[0], &current, &zone); !s.ok()) return s;
  v1::RecordConsultationOutcomeRequest request;
  request.set_name(current.name());
  request.set_etag(current.etag());
  *request.mutable_outcome() = *outcome;
  v1::Appointment result;
  if (absl::Status s = session.rpc().Call(&v1::BookingService::Stub::RecordConsultationOutcome,
                                          request, &result);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = Report(session, result, zone, "Recorded"); !s.ok() || session.json()) {
    return s;
  }
  session.out() << "Outcome: " << Printable(ConsultationOutcomeText(session, result, zone)) << "\n";
  if (result.consultation_outcome().suitable()) {
    session.out() << "Next: clinicctl series create --patient=" << ShortId(result.patient())
                  << " --indication=" << ShellWord(result.consultation_outcome().indication())
                  << ", then book its first session\n";
  }
  return absl::OkStatus();
}

absl::Status NoShow(Session& session, const Arguments& arguments) {
  return Change<v1::MarkNoShowAppointmentRequest>(
      session, arguments, &v1::BookingService::Stub::MarkNoShowAppointment, "No-show");
}

}  // namespace

CommandGroup AppointmentCommands() {
  return {"Appointments",
          {
              {"appointment book",
               "",
               "book a session for a patient at a local time",
               "Without --practitioner or --room, takes the first free pair at --at that\n"
               "SearchAvailability offers (clinicctl slots shows them). --consultation books\n"
               "the consultation a first session needs (clinicctl slots --consultation).\n"
               "A clinician's key may book past the protocol's soft rules with\n"
               "--override=RULE[,RULE] --justification=WHY.",
               {"patient", "at", "treatment", "practitioner", "room", "numbing", "series",
                "consultation", "override", "justification"},
               {"patient", "at"},
               Book},
              {"appointment show", "APPOINTMENT", "one appointment", "", {}, {}, Show},
              {"appointment reschedule",
               "APPOINTMENT",
               "move a booked appointment",
               "Moves it to --at, keeping its practitioner and room unless given. An override\n"
               "was decided for the old time: give --override and --justification again.",
               {"at", "practitioner", "room", "override", "justification"},
               {"at"},
               Reschedule},
              {"appointment cancel",
               "APPOINTMENT",
               "cancel a booked appointment",
               "",
               {"reason"},
               {"reason"},
               Cancel},
              {"appointment check-in",
               "APPOINTMENT",
               "record the patient's arrival",
               "clinicd checks consent and screening now; a refusal says what is missing.",
               {},
               {},
               CheckIn},
              {"appointment complete",
               "APPOINTMENT",
               "record the session (clinician key)",
               "",
               {"summary", "needle_depth", "notes"},
               {},
               Complete},
              {"consultation record",
               "APPOINTMENT",
               "record what the clinician found at a consultation (clinician key)",
               "The consultation must be checked in and have started. --suitable needs the\n"
               "--indication a course will treat (clinicctl series create plans from it).",
               {"suitable", "not_suitable", "indication", "needle_depth", "notes"},
               {},
               RecordOutcome},
              {"appointment no-show",
               "APPOINTMENT",
               "record that the patient did not come",
               "",
               {},
               {},
               NoShow},
          }};
}

}  // namespace clinicd::clinicctl
