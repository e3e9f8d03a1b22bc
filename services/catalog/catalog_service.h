#pragma once

#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::catalog {

namespace v1 = ::clinic::v1;

// clinic.v1.TreatmentCatalogService: the treatment types and recall policies
// the plugins provide, and the plugins found at start-up.
class CatalogServiceImpl final : public v1::TreatmentCatalogService::Service {
 public:
  CatalogServiceImpl(const store::Database& db, const plugin_host::TreatmentRegistry& registry, const Clock& clock);

  grpc::Status ListTreatmentTypes(grpc::ServerContext* context, const v1::ListTreatmentTypesRequest* request, v1::ListTreatmentTypesResponse* response) override;
  grpc::Status GetTreatmentType(grpc::ServerContext* context, const v1::GetTreatmentTypeRequest* request, v1::TreatmentType* response) override;
  grpc::Status ListRecallPolicies(grpc::ServerContext* context, const v1::ListRecallPoliciesRequest* request, v1::ListRecallPoliciesResponse* response) override;
  grpc::Status ListPlugins(grpc::ServerContext* context, const v1::ListPluginsRequest* request, v1::ListPluginsResponse* response) override;

 private:
  rpc::RpcGuard guard_;
  const plugin_host::TreatmentRegistry& registry_;
};

}  // namespace clinicd::catalog
