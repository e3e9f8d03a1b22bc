#pragma once

// How appointments read on the terminal, shared by the day book, the
// appointment commands, patients and series: local times, display names,
// and the flags the front desk must notice.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/clinicctl/session.h"

namespace clinicd::clinicctl {

// "consent withdrawn, numbing, series": what to notice, most urgent first.
std::string AppointmentFlags(const v1::Appointment& appointment);

// "Mon 2027-03-15 10:00-11:15 CET".
std::string AppointmentWhen(const v1::Appointment& appointment, const absl::TimeZone& zone);

// One line: when, treatment, patient, practitioner, room and state.
std::string AppointmentLine(Session& session, const v1::Appointment& appointment,
                            const absl::TimeZone& zone);

// "consultation" or "treatment session".
std::string AppointmentKind(const v1::Appointment& appointment);

// What the clinician found at a consultation, e.g. "suitable; Acne scars;
// 1 mm planned; recorded Mon 2027-03-15 10:40 CET"; "" when not recorded.
std::string ConsultationOutcomeText(Session& session, const v1::Appointment& appointment,
                                    const absl::TimeZone& zone);

// The clinician's override of the protocol's rules, e.g. "SERIES_WINDOW_CLOSED:
// patient was ill (decided ...)"; "" when none.
std::string RuleOverrideText(const v1::Appointment& appointment, const absl::TimeZone& zone);

// The display name of `indication` of `treatment_type`, else the id.
std::string IndicationName(Session& session, const std::string& treatment_type,
                           const std::string& indication);

// Label/value pairs for RenderFields: every field the front desk reads.
std::vector<std::pair<std::string, std::string>> AppointmentFields(
    Session& session, const v1::Appointment& appointment, const absl::TimeZone& zone);

// Free slots as a table: date, local time, practitioner, room.
std::string SlotTable(Session& session, const google::protobuf::RepeatedPtrField<v1::Slot>& slots,
                      const absl::TimeZone& zone);

// Every page of `request` in `all` (its next_page_token left empty).
absl::Status ListAllAppointments(Session& session, v1::ListAppointmentsRequest request,
                                 v1::ListAppointmentsResponse* all);

}  // namespace clinicd::clinicctl
