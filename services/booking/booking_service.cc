#include "services/booking/booking_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/booking/appointment_kind.h"
#include "services/booking/appointment_list.h"
#include "services/booking/availability_query.h"
#include "services/common/errors.h"
#include "services/consent/clearance_query.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/resources/reply.h"

namespace clinicd::booking {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;
using v1::Appointment;

BookingServiceImpl::BookingServiceImpl(store::Database& db,
                                       const plugin_host::TreatmentRegistry& registry)
    : db_(db),
      registry_(registry),
      guard_(db, v1::BookingService::service_full_name()),
      appointments_(db, AppointmentKind(registry)) {}

grpc::Status BookingServiceImpl::SearchAvailability(ServerContext* context, const v1::SearchAvailabilityRequest* request, v1::SearchAvailabilityResponse* response) {
  return guard_.Run(context, "SearchAvailability", [&](const Principal& principal) {
    return Reply(booking::SearchAvailability(db_, registry_, principal, *request, absl::Now()), response);
  });
}

grpc::Status BookingServiceImpl::CreateAppointment(ServerContext* context, const v1::CreateAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CreateAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Create(principal, request->parent(), request->appointment(), *request, request->request_id()), response);
  });
}

grpc::Status BookingServiceImpl::GetAppointment(ServerContext* context, const v1::GetAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "GetAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Get(principal, request->name()), response);
  });
}

grpc::Status BookingServiceImpl::ListAppointments(ServerContext* context, const v1::ListAppointmentsRequest* request, v1::ListAppointmentsResponse* response) {
  return guard_.Run(context, "ListAppointments", [&](const Principal& principal) {
    return Reply(booking::ListAppointments(db_, principal, *request), response);
  });
}

grpc::Status BookingServiceImpl::RescheduleAppointment(ServerContext* context, const v1::RescheduleAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "RescheduleAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Update(principal, request->appointment(), request->update_mask()), response);
  });
}

grpc::Status BookingServiceImpl::CancelAppointment(ServerContext* context, const v1::CancelAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CancelAppointment", [&](const Principal& principal) -> absl::Status {
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
  return guard_.Run(context, "CheckInAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Modify(principal, request->name(), request->etag(),
                                      [&](store::Transaction& tx, Appointment& appointment) {
                                        return CheckIn(tx, appointment);
                                      }),
                 response);
  });
}

absl::Status BookingServiceImpl::CheckIn(store::Transaction& tx, Appointment& appointment) const {
  if (absl::Status s = Transition(appointment, {v1::APPOINTMENT_STATE_BOOKED},
                                  v1::APPOINTMENT_STATE_CHECKED_IN);
      !s.ok()) {
    return s;
  }
  // Treatment needs a current consent and a clearing screening right now.
  const v1::TreatmentType* type = registry_.FindTreatmentType(appointment.treatment_type());
  if (type == nullptr) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "TREATMENT_TYPE_UNAVAILABLE",
                           absl::StrCat(appointment.treatment_type(),
                                        " is not provided by any loaded plugin"));
  }
  const std::string& patient = appointment.patient();
  const std::string clinic_id = ClinicIdOf(patient);
  const std::string patient_id = LastIdOf(patient);
  absl::StatusOr<v1::Clearance> clearance =
      consent::ClearanceFor(tx, *type, clinic_id, patient_id, absl::Now());
  if (!clearance.ok()) return clearance.status();
  if (!clearance->treatable()) return consent::ClearanceRefusal(*clearance, "check in");
  return absl::OkStatus();
}

grpc::Status BookingServiceImpl::CompleteAppointment(ServerContext* context, const v1::CompleteAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "CompleteAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Modify(principal, request->name(), request->etag(),
                                      [&](store::Transaction&, Appointment& appointment) {
                                        *appointment.mutable_session_record() = request->session_record();
                                        return Transition(appointment, {v1::APPOINTMENT_STATE_CHECKED_IN},
                                                          v1::APPOINTMENT_STATE_COMPLETED);
                                      }),
                 response);
  });
}

grpc::Status BookingServiceImpl::MarkNoShowAppointment(ServerContext* context, const v1::MarkNoShowAppointmentRequest* request, Appointment* response) {
  return guard_.Run(context, "MarkNoShowAppointment", [&](const Principal& principal) {
    return Reply(appointments_.Modify(
                     principal, request->name(), request->etag(),
                     [&](store::Transaction&, Appointment& appointment) -> absl::Status {
                       const absl::Time start = FromProtoTime(appointment.start_time());
                       if (absl::Now() < start) {
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
