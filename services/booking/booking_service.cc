#include "services/booking/booking_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/booking/appointment_kind.h"
#include "services/booking/appointment_list.h"
#include "services/booking/availability_query.h"
#include "services/booking/booking_rules.h"
#include "services/common/errors.h"
#include "services/consent/clearance_query.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/appointment_change.h"
#include "services/domain/care_window.h"
#include "services/domain/consultation_first.h"
#include "services/resources/reply.h"
#include "services/store/booking_queries.h"

namespace clinicd::booking {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;
using v1::Appointment;

BookingServiceImpl::BookingServiceImpl(store::Database& db,
                                       const plugin_host::TreatmentRegistry& registry, const Clock& clock)
    : db_(db),
      registry_(registry),
      guard_(db, clock, v1::BookingService::service_full_name()),
      appointments_(db, AppointmentKind(registry)) {}

grpc::Status BookingServiceImpl::SearchAvailability(ServerContext* context, const v1::SearchAvailabilityRequest* request, v1::SearchAvailabilityResponse* response) {
  return guard_.Run(context, "SearchAvailability", *request, [&](const Principal& principal) {
    return Reply(booking::SearchAvailability(db_, registry_, principal, *request, principal.now), response);
  });
}

namespace {

// Checks a clinician's override given with a booking or a move and records
// who decided it and when; an override from any other role is refused.
absl::Status StampOverride(const Principal& principal, Appointment& appointment) {
  if (!appointment.has_rule_override()) return absl::OkStatus();
  v1::RuleOverride& decision = *appointment.mutable_rule_override();
  FieldViolations violations;
  if (decision.reasons().empty()) {
    violations.Add("appointment.rule_override.reasons", "must name at least one rule");
  }
  for (int i = 0; i < decision.reasons_size(); ++i) {
    const auto& known = domain::kOverridableRules;
    if (std::find(std::begin(known), std::end(known), decision.reasons(i)) == std::end(known)) {
      violations.Add(absl::StrCat("appointment.rule_override.reasons[", i, "]"),
                     absl::StrCat("`", decision.reasons(i), "` cannot be overridden; one of ",
                                  absl::StrJoin(known, ", "),
                                  " (screening restrictions are lifted only by a clinician's "
                                  "review of the screening)"));
    }
  }
  if (decision.justification().find_first_not_of(" \t\n") == std::string::npos) {
    violations.Add("appointment.rule_override.justification",
                   "is required: record why the clinician books past the rule");
  }
  if (!violations.empty()) return violations.ToStatus();
  if (principal.role != auth::Role::kClinician && principal.role != auth::Role::kAdmin) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied, "OVERRIDE_NEEDS_CLINICIAN",
                           "only a clinician (or admin) key may override the protocol's rules",
                           {{"role", std::string(auth::RoleName(principal.role))}});
  }
  decision.set_decided_by(principal.key_id);
  *decision.mutable_decide_time() = ToProtoTime(principal.now);
  return absl::OkStatus();
}

// Consultation first (domain/consultation_first.h) at check-in: the
// consultation before a first session must have found the patient suitable.
absl::Status CheckConsultationFirstAtCheckIn(store::Transaction& tx,
                                             const v1::TreatmentType& type,
                                             const std::string& clinic_id,
                                             const Appointment& appointment,
                                             const absl::TimeZone& zone) {
  if (!type.consultation_visit().required()) return absl::OkStatus();
  const std::string patient_id = LastIdOf(appointment.patient());
  const absl::Time start = FromProtoTime(appointment.start_time());
  absl::StatusOr<std::optional<absl::Time>> first = store::FirstSessionTime(
      tx, clinic_id, patient_id, type.name(), LastIdOf(appointment.name()),
      /*completed_only=*/true);
  if (!first.ok()) return first.status();
  absl::StatusOr<std::vector<Appointment>> consultations =
      store::ConsultationsNear(tx, clinic_id, patient_id, type.name(), {start, start, ""});
  if (!consultations.ok()) return consultations.status();
  std::optional<domain::ConsultationFact> latest;
  if (!consultations->empty()) {
    const Appointment& c = consultations->back();
    latest = domain::ConsultationFact{c.name(), FromProtoTime(c.start_time()),
                                      c.state() == v1::APPOINTMENT_STATE_COMPLETED,
                                      c.consultation_outcome().suitable()};
  }
  const domain::ConsultationFact* found = latest.has_value() ? &*latest : nullptr;
  return domain::ConsultationRefusal(
      domain::FindConsultationGap(type, first->has_value() && **first < start, found,
                                  /*at_check_in=*/true),
      type, found, zone);
}

// Completes checked-in `appointment` at `now`, which must be at or after its start.
absl::Status CompleteAt(store::Transaction& tx, absl::Time now, Appointment& appointment) {
  if (absl::Status s = Transition(appointment, {v1::APPOINTMENT_STATE_CHECKED_IN},
                                  v1::APPOINTMENT_STATE_COMPLETED);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<ClinicSettings> clinic = LoadClinicSettings(tx, ClinicIdOf(appointment.name()));
  if (!clinic.ok()) return clinic.status();
  return domain::CompletionWindow(clinic->zone, FromProtoTime(appointment.start_time()), now);
}

}  // namespace

grpc::Status BookingServiceImpl::CreateAppointment(ServerContext* context, const v1::CreateAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CreateAppointment", *request, [&](const Principal& principal) -> absl::Status {
    Appointment appointment = request->appointment();
    if (absl::Status s = StampOverride(principal, appointment); !s.ok()) return s;
    return Reply(appointments_.Create(principal, request->parent(), appointment, *request, request->request_id()), response);
  });
}

grpc::Status BookingServiceImpl::GetAppointment(ServerContext* context, const v1::GetAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "GetAppointment", *request, [&](const Principal& principal) {
    return Reply(appointments_.Get(principal, request->name()), response);
  });
}

grpc::Status BookingServiceImpl::ListAppointments(ServerContext* context, const v1::ListAppointmentsRequest* request, v1::ListAppointmentsResponse* response) {
  return guard_.Run(context, "ListAppointments", *request, [&](const Principal& principal) {
    return Reply(booking::ListAppointments(db_, principal, *request), response);
  });
}

grpc::Status BookingServiceImpl::RescheduleAppointment(ServerContext* context, const v1::RescheduleAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "RescheduleAppointment", *request, [&](const Principal& principal) -> absl::Status {
    Appointment patch = request->appointment();
    google::protobuf::FieldMask mask = request->update_mask();
    const auto& paths = mask.paths();
    const bool gives_override =
        paths.empty() ? patch.has_rule_override()
                      : std::find(paths.begin(), paths.end(), "rule_override") != paths.end();
    if (gives_override) {
      if (absl::Status s = StampOverride(principal, patch); !s.ok()) return s;
    } else {
      // An override was decided for the time it came with: a move without
      // one drops it (a move that changes nothing keeps it).
      if (paths.empty()) {
        if (patch.has_start_time()) mask.add_paths("start_time");
        if (!patch.practitioner().empty()) mask.add_paths("practitioner");
        if (!patch.room().empty()) mask.add_paths("room");
        if (patch.numbing()) mask.add_paths("numbing");
      }
      patch.clear_rule_override();
      mask.add_paths("rule_override");
    }
    return Reply(appointments_.Update(principal, patch, mask), response);
  });
}

grpc::Status BookingServiceImpl::CancelAppointment(ServerContext* context, const v1::CancelAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CancelAppointment", *request, [&](const Principal& principal) -> absl::Status {
    if (request->reason().find_first_not_of(" \t\n") == std::string::npos) {
      return InvalidField("reason", "is required: say why the appointment is cancelled");
    }
    return Reply(appointments_.Modify(principal, request->name(), request->etag(),
                                      [&](store::Transaction&, Appointment& appointment) {
                                        appointment.set_cancel_reason(request->reason());
                                        return Transition(appointment,
                                                          {v1::APPOINTMENT_STATE_BOOKED,
                                                           v1::APPOINTMENT_STATE_CHECKED_IN},
                                                          v1::APPOINTMENT_STATE_CANCELLED);
                                      }),
                 response);
  });
}

grpc::Status BookingServiceImpl::CheckInAppointment(ServerContext* context, const v1::CheckInAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CheckInAppointment", *request, [&](const Principal& principal) {
    return Reply(appointments_.Modify(principal, request->name(), request->etag(),
                                      [&](store::Transaction& tx, Appointment& appointment) {
                                        return CheckIn(tx, principal.now, appointment);
                                      }),
                 response);
  });
}

absl::Status BookingServiceImpl::CheckIn(store::Transaction& tx, absl::Time now,
                                         Appointment& appointment) const {
  if (absl::Status s = Transition(appointment, {v1::APPOINTMENT_STATE_BOOKED},
                                  v1::APPOINTMENT_STATE_CHECKED_IN);
      !s.ok()) {
    return s;
  }
  const std::string& patient = appointment.patient();
  const std::string clinic_id = ClinicIdOf(patient);
  const std::string patient_id = LastIdOf(patient);
  absl::StatusOr<ClinicSettings> clinic = LoadClinicSettings(tx, clinic_id);
  if (!clinic.ok()) return clinic.status();
  const absl::Time start = FromProtoTime(appointment.start_time());
  if (absl::Status s = domain::CheckInWindow(clinic->policy, clinic->zone, start,
                                             FromProtoTime(appointment.end_time()), now);
      !s.ok()) {
    return s;
  }
  const v1::TreatmentType* type = registry_.FindTreatmentType(appointment.treatment_type());
  if (type == nullptr) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "TREATMENT_TYPE_UNAVAILABLE",
                           absl::StrCat(appointment.treatment_type(),
                                        " is not provided by any loaded plugin"));
  }
  // A consultation treats nothing: it needs no treatment consent or screening.
  if (appointment.kind() == v1::VISIT_KIND_CONSULTATION) return absl::OkStatus();
  if (absl::Status s = CheckConsultationFirstAtCheckIn(tx, *type, clinic_id, appointment,
                                                       clinic->zone);
      !s.ok()) {
    return s;
  }
  // Treatment needs a current consent and clearing screening answers for the
  // time it begins: the session's start, or now when the patient is late.
  absl::StatusOr<v1::Clearance> clearance =
      consent::ClearanceFor(tx, registry_, *type, clinic_id, patient_id, std::max(start, now));
  if (!clearance.ok()) return clearance.status();
  if (!clearance->treatable()) return consent::ClearanceRefusal(*clearance, "check in");
  return absl::OkStatus();
}

grpc::Status BookingServiceImpl::CompleteAppointment(ServerContext* context, const v1::CompleteAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CompleteAppointment", *request, [&](const Principal& principal) {
    return Reply(appointments_.Modify(principal, request->name(), request->etag(),
                                      [&](store::Transaction& tx, Appointment& appointment) -> absl::Status {
                                        if (appointment.kind() == v1::VISIT_KIND_CONSULTATION) {
                                          return ErrorWithReason(
                                              absl::StatusCode::kFailedPrecondition, "CONSULTATION_OUTCOME_REQUIRED",
                                              "a consultation is completed by recording its outcome "
                                              "(RecordConsultationOutcome)");
                                        }
                                        if (absl::Status s = CompleteAt(tx, principal.now, appointment); !s.ok()) {
                                          return s;
                                        }
                                        *appointment.mutable_session_record() = request->session_record();
                                        return absl::OkStatus();
                                      }),
                 response);
  });
}

grpc::Status BookingServiceImpl::RecordConsultationOutcome(ServerContext* context, const v1::RecordConsultationOutcomeRequest* request, Appointment* response) {
  return guard_.Run(context, "RecordConsultationOutcome", *request, [&](const Principal& principal) {
    return Reply(appointments_.Modify(
                     principal, request->name(), request->etag(),
                     [&](store::Transaction& tx, Appointment& appointment) -> absl::Status {
                       if (appointment.kind() != v1::VISIT_KIND_CONSULTATION) {
                         return InvalidField("name", "must name a consultation; a treatment "
                                                     "session is completed with CompleteAppointment");
                       }
                       const v1::ConsultationOutcome& outcome = request->outcome();
                       const v1::TreatmentType* type =
                           registry_.FindTreatmentType(appointment.treatment_type());
                       FieldViolations violations;
                       if (outcome.suitable() && outcome.indication().empty()) {
                         violations.Add("outcome.indication",
                                        "is required when the patient is suitable: what the course treats");
                       }
                       if (!outcome.indication().empty() && type != nullptr) {
                         const auto& known = type->indications();
                         if (std::none_of(known.begin(), known.end(), [&](const v1::Indication& i) {
                               return i.id() == outcome.indication();
                             })) {
                           std::vector<std::string> ids;
                           for (const auto& i : known) ids.push_back(i.id());
                           violations.Add("outcome.indication",
                                          absl::StrCat("must be an indication of ", type->name(),
                                                       ": one of ", absl::StrJoin(ids, ", ")));
                         }
                       }
                       if (outcome.planned_needle_depth_mm() < 0 || outcome.planned_needle_depth_mm() > 3) {
                         violations.Add("outcome.planned_needle_depth_mm", "must be from 0 to 3 millimetres");
                       }
                       if (outcome.notes().size() > 10000) {
                         violations.Add("outcome.notes", "must be at most 10000 bytes");
                       }
                       if (!violations.empty()) return violations.ToStatus();
                       if (absl::Status s = CompleteAt(tx, principal.now, appointment); !s.ok()) {
                         return s;
                       }
                       v1::ConsultationOutcome& recorded = *appointment.mutable_consultation_outcome();
                       recorded = outcome;
                       recorded.set_recorded_by(principal.key_id);
                       *recorded.mutable_record_time() = ToProtoTime(principal.now);
                       return absl::OkStatus();
                     }),
                 response);
  });
}

grpc::Status BookingServiceImpl::MarkNoShowAppointment(ServerContext* context, const v1::MarkNoShowAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "MarkNoShowAppointment", *request, [&](const Principal& principal) {
    return Reply(appointments_.Modify(
                     principal, request->name(), request->etag(),
                     [&](store::Transaction&, Appointment& appointment) -> absl::Status {
                       const absl::Time start = FromProtoTime(appointment.start_time());
                       if (principal.now < start) {
                         return ErrorWithReason(
                             absl::StatusCode::kFailedPrecondition, "TOO_EARLY",
                             "a patient can only be marked as a no-show once the appointment "
                             "has started");
                       }
                       return Transition(appointment, {v1::APPOINTMENT_STATE_BOOKED},
                                         v1::APPOINTMENT_STATE_NO_SHOW);
                     }),
                 response);
  });
}

}  // namespace clinicd::booking
