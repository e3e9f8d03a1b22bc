#pragma once

#include "clinic/v1/booking_service.grpc.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_crud.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::booking {

namespace v1 = ::clinic::v1;

// clinic.v1.BookingService: availability and the appointment lifecycle
// (BOOKED → CHECKED_IN → COMPLETED; BOOKED → CANCELLED or NO_SHOW;
// CHECKED_IN → CANCELLED). Every rule is checked inside the write
// transaction that stores the change.
class BookingServiceImpl final : public v1::BookingService::Service {
 public:
  BookingServiceImpl(store::Database& db, const plugin_host::TreatmentRegistry& registry, const Clock& clock);

  grpc::Status SearchAvailability(grpc::ServerContext* context, const v1::SearchAvailabilityRequest* request, v1::SearchAvailabilityResponse* response) override;
  grpc::Status CreateAppointment(grpc::ServerContext* context, const v1::CreateAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status GetAppointment(grpc::ServerContext* context, const v1::GetAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status ListAppointments(grpc::ServerContext* context, const v1::ListAppointmentsRequest* request, v1::ListAppointmentsResponse* response) override;
  grpc::Status RescheduleAppointment(grpc::ServerContext* context, const v1::RescheduleAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status CancelAppointment(grpc::ServerContext* context, const v1::CancelAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status RecordConsultationOutcome(grpc::ServerContext* context, const v1::RecordConsultationOutcomeRequest* request, v1::Appointment* response) override;
  grpc::Status CheckInAppointment(grpc::ServerContext* context, const v1::CheckInAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status CompleteAppointment(grpc::ServerContext* context, const v1::CompleteAppointmentRequest* request, v1::Appointment* response) override;
  grpc::Status MarkNoShowAppointment(grpc::ServerContext* context, const v1::MarkNoShowAppointmentRequest* request, v1::Appointment* response) override;

 private:
  // BOOKED → CHECKED_IN when the patient is cleared for treatment now.
  absl::Status CheckIn(store::Transaction& tx, absl::Time now, v1::Appointment& appointment) const;

  const store::Database& db_;
  const plugin_host::TreatmentRegistry& registry_;
  rpc::RpcGuard guard_;
  resources::ResourceCrud<v1::Appointment> appointments_;
};

}  // namespace clinicd::booking
