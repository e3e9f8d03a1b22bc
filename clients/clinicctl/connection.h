#pragma once

// One command's channel to clinicd: a stub per service, a fresh context per
// call with the API key and a deadline, and the result as an absl::Status
// that keeps clinicd's error details (refusal.h).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/clinicctl/refusal.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/consent_service.grpc.pb.h"
#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"

namespace clinicd::clinicctl {

namespace v1 = ::clinic::v1;

// The stubs of every clinic.v1 service over one channel.
class Connection final {
 public:
  // Calls go over `channel` with `authorization: Bearer <api_key>`, each
  // given `timeout` to answer.
  Connection(const std::shared_ptr<grpc::Channel>& channel, std::string api_key,
             absl::Duration timeout);

  // Calls `method` (e.g. &v1::PatientService::Stub::GetPatient) with
  // `request`; the answer in `response`, a failure as FromRpc makes it.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    const std::unique_ptr<grpc::ClientContext> context = NewContext();
    Stub& stub = *std::get<std::unique_ptr<Stub>>(stubs_);
    return FromRpc((stub.*method)(context.get(), request, response));
  }

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  std::string api_key_;
  absl::Duration timeout_;
  std::tuple<std::unique_ptr<v1::PracticeService::Stub>, std::unique_ptr<v1::PatientService::Stub>,
             std::unique_ptr<v1::TreatmentCatalogService::Stub>,
             std::unique_ptr<v1::BookingService::Stub>, std::unique_ptr<v1::ConsentService::Stub>,
             std::unique_ptr<v1::FollowUpService::Stub>,
             std::unique_ptr<v1::NotificationService::Stub>>
      stubs_;
};

}  // namespace clinicd::clinicctl
