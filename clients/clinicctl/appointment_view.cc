#include "clients/clinicctl/appointment_view.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {

std::string AppointmentFlags(const v1::Appointment& appointment) {
  std::vector<std::string> flags;
  if (appointment.consent_withdrawn()) flags.push_back("CONSENT WITHDRAWN");
  if (appointment.kind() == v1::VISIT_KIND_CONSULTATION) flags.push_back("consultation");
  if (appointment.has_rule_override()) flags.push_back("override");
  if (appointment.numbing()) flags.push_back("numbing");
  if (!appointment.series().empty()) flags.push_back("series");
  return absl::StrJoin(flags, ", ");
}

std::string AppointmentWhen(const v1::Appointment& appointment, const absl::TimeZone& zone) {
  const absl::Time start = FromProto(appointment.start_time());
  return absl::StrCat(FormatDate(start, zone), " ",
                      FormatSpan(start, FromProto(appointment.end_time()), zone, true));
}

std::string AppointmentLine(Session& session, const v1::Appointment& appointment,
                            const absl::TimeZone& zone) {
  return absl::StrCat(AppointmentWhen(appointment, zone), "  ",
                      session.TreatmentName(appointment.treatment_type()),
                      appointment.kind() == v1::VISIT_KIND_CONSULTATION ? " consultation" : "",
                      "  ", session.PatientName(appointment.patient()), " with ",
                      session.PractitionerName(appointment.practitioner()), " in ",
                      session.RoomName(appointment.room()), "  (", Word(appointment.state()), ")  ",
                      ShortId(appointment.name()));
}

std::string AppointmentKind(const v1::Appointment& appointment) {
  return appointment.kind() == v1::VISIT_KIND_CONSULTATION ? "consultation" : "treatment session";
}

std::string ConsultationOutcomeText(Session& session, const v1::Appointment& appointment,
                                    const absl::TimeZone& zone) {
  if (!appointment.has_consultation_outcome()) return "";
  const v1::ConsultationOutcome& outcome = appointment.consultation_outcome();
  std::vector<std::string> parts = {outcome.suitable() ? "suitable" : "NOT SUITABLE"};
  if (!outcome.indication().empty()) {
    parts.push_back(IndicationName(session, appointment.treatment_type(), outcome.indication()));
  }
  if (outcome.planned_needle_depth_mm() > 0) {
    parts.push_back(absl::StrFormat("%.2g mm planned", outcome.planned_needle_depth_mm()));
  }
  if (!outcome.notes().empty()) parts.push_back(outcome.notes());
  if (outcome.has_record_time()) {
    parts.push_back(
        absl::StrCat("recorded ", FormatDateTime(FromProto(outcome.record_time()), zone)));
  }
  return absl::StrJoin(parts, "; ");
}

std::string RuleOverrideText(const v1::Appointment& appointment, const absl::TimeZone& zone) {
  if (!appointment.has_rule_override()) return "";
  const v1::RuleOverride& decision = appointment.rule_override();
  std::string text =
      absl::StrCat(absl::StrJoin(decision.reasons(), ", "), ": ", decision.justification());
  if (decision.has_decide_time()) {
    absl::StrAppend(&text, " (decided ", FormatDateTime(FromProto(decision.decide_time()), zone),
                    ")");
  }
  return text;
}

std::string IndicationName(Session& session, const std::string& treatment_type,
                           const std::string& indication) {
  v1::GetTreatmentTypeRequest request;
  request.set_name(treatment_type);
  v1::TreatmentType type;
  if (session.rpc()
          .Call(&v1::TreatmentCatalogService::Stub::GetTreatmentType, request, &type)
          .ok()) {
    for (const v1::Indication& each : type.indications()) {
      if (each.id() == indication) return each.display_name();
    }
  }
  return indication;
}

std::vector<std::pair<std::string, std::string>> AppointmentFields(
    Session& session, const v1::Appointment& appointment, const absl::TimeZone& zone) {
  const v1::SessionRecord& record = appointment.session_record();
  std::vector<std::string> done;
  if (!record.summary().empty()) done.push_back(record.summary());
  if (record.needle_depth_mm() > 0)
    done.push_back(absl::StrFormat("%.2g mm", record.needle_depth_mm()));
  if (!record.notes().empty()) done.push_back(record.notes());
  return {
      {"Appointment", ShortId(appointment.name())},
      {"When", AppointmentWhen(appointment, zone)},
      {"Patient", absl::StrCat(session.PatientName(appointment.patient()), " (",
                               ShortId(appointment.patient()), ")")},
      {"Treatment", session.TreatmentName(appointment.treatment_type())},
      {"Kind", AppointmentKind(appointment)},
      {"Practitioner", session.PractitionerName(appointment.practitioner())},
      {"Room", session.RoomName(appointment.room())},
      {"State", Word(appointment.state())},
      {"Flags", AppointmentFlags(appointment)},
      {"Series", ShortId(appointment.series())},
      {"Cancelled", appointment.cancel_reason()},
      {"Session", absl::StrJoin(done, "; ")},
      {"Outcome", ConsultationOutcomeText(session, appointment, zone)},
      {"Override", RuleOverrideText(appointment, zone)},
      {"Name", appointment.name()},
  };
}

std::string SlotTable(Session& session, const google::protobuf::RepeatedPtrField<v1::Slot>& slots,
                      const absl::TimeZone& zone) {
  Table table({"DATE", "TIME", "PRACTITIONER", "ROOM"});
  for (const v1::Slot& slot : slots) {
    const absl::Time start = FromProto(slot.start_time());
    const bool clocks_change = ClocksChangeOn(absl::ToCivilDay(start, zone), zone);
    table.AddRow({FormatDate(start, zone),
                  FormatSpan(start, FromProto(slot.end_time()), zone, clocks_change),
                  session.PractitionerName(slot.practitioner()), session.RoomName(slot.room())});
  }
  return table.Render();
}

absl::Status ListAllAppointments(Session& session, v1::ListAppointmentsRequest request,
                                 v1::ListAppointmentsResponse* all) {
  request.set_page_size(500);
  do {
    v1::ListAppointmentsResponse page;
    if (absl::Status s =
            session.rpc().Call(&v1::BookingService::Stub::ListAppointments, request, &page);
        !s.ok()) {
      return s;
    }
    for (v1::Appointment& appointment : *page.mutable_appointments()) {
      *all->add_appointments() = std::move(appointment);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

}  // namespace clinicd::clinicctl
