#include "clients/clinicctl/connection.h"

#include <utility>

namespace clinicd::clinicctl {

Connection::Connection(const std::shared_ptr<grpc::Channel>& channel, std::string api_key,
                       absl::Duration timeout)
    : api_key_(std::move(api_key)),
      timeout_(timeout),
      stubs_(v1::PracticeService::NewStub(channel), v1::PatientService::NewStub(channel),
             v1::TreatmentCatalogService::NewStub(channel), v1::BookingService::NewStub(channel),
             v1::ConsentService::NewStub(channel), v1::FollowUpService::NewStub(channel),
             v1::NotificationService::NewStub(channel)) {}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + api_key_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  return context;
}

}  // namespace clinicd::clinicctl
