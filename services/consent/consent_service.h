#pragma once

#include "clinic/v1/consent_service.grpc.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_crud.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::consent {

namespace v1 = ::clinic::v1;

// clinic.v1.ConsentService: consent forms from the plugins, signed and
// withdrawn consents, screenings with their evaluation and review, and the
// clearance that gates treatment, and a signed consent as a PDF.
class ConsentServiceImpl final : public v1::ConsentService::Service {
 public:
  ConsentServiceImpl(store::Database& db, const plugin_host::TreatmentRegistry& registry, const Clock& clock);

  grpc::Status GetConsentForm(grpc::ServerContext* context, const v1::GetConsentFormRequest* request, v1::ConsentForm* response) override;
  grpc::Status SignConsent(grpc::ServerContext* context, const v1::SignConsentRequest* request, v1::Consent* response) override;
  grpc::Status GetConsent(grpc::ServerContext* context, const v1::GetConsentRequest* request, v1::Consent* response) override;
  grpc::Status ListConsents(grpc::ServerContext* context, const v1::ListConsentsRequest* request, v1::ListConsentsResponse* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context, const v1::WithdrawConsentRequest* request, v1::Consent* response) override;
  grpc::Status ExportConsentDocument(grpc::ServerContext* context, const v1::ExportConsentDocumentRequest* request, v1::ExportConsentDocumentResponse* response) override;
  grpc::Status SubmitScreening(grpc::ServerContext* context, const v1::SubmitScreeningRequest* request, v1::Screening* response) override;
  grpc::Status GetScreening(grpc::ServerContext* context, const v1::GetScreeningRequest* request, v1::Screening* response) override;
  grpc::Status ListScreenings(grpc::ServerContext* context, const v1::ListScreeningsRequest* request, v1::ListScreeningsResponse* response) override;
  grpc::Status ReviewScreening(grpc::ServerContext* context, const v1::ReviewScreeningRequest* request, v1::Screening* response) override;
  grpc::Status GetClearance(grpc::ServerContext* context, const v1::GetClearanceRequest* request, v1::Clearance* response) override;

 private:
  // Sets a consent's state as of now (expired or superseded ones change
  // without a write).
  void SetCurrentState(v1::Consent& consent, absl::Time now) const;

  const store::Database& db_;
  const plugin_host::TreatmentRegistry& registry_;
  rpc::RpcGuard guard_;
  resources::ResourceCrud<v1::Consent> consents_;
  resources::ResourceCrud<v1::Screening> screenings_;
};

}  // namespace clinicd::consent
