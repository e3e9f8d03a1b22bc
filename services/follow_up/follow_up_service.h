#pragma once

#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_crud.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::follow_up {

namespace v1 = ::clinic::v1;

// clinic.v1.FollowUpService: series planned by the treatment's plugin and
// re-planned as their appointments change (series_progress.h), and the
// maintenance recalls that follow a completed series (recalls.h).
class FollowUpServiceImpl final : public v1::FollowUpService::Service {
 public:
  FollowUpServiceImpl(store::Database& db, const plugin_host::TreatmentRegistry& registry, const Clock& clock);

  grpc::Status CreateSeries(grpc::ServerContext* context, const v1::CreateSeriesRequest* request, v1::Series* response) override;
  grpc::Status GetSeries(grpc::ServerContext* context, const v1::GetSeriesRequest* request, v1::Series* response) override;
  grpc::Status ListSeries(grpc::ServerContext* context, const v1::ListSeriesRequest* request, v1::ListSeriesResponse* response) override;
  grpc::Status CancelSeries(grpc::ServerContext* context, const v1::CancelSeriesRequest* request, v1::Series* response) override;
  grpc::Status PlanNextSession(grpc::ServerContext* context, const v1::PlanNextSessionRequest* request, v1::PlanNextSessionResponse* response) override;
  grpc::Status ListRecalls(grpc::ServerContext* context, const v1::ListRecallsRequest* request, v1::ListRecallsResponse* response) override;
  grpc::Status SnoozeRecall(grpc::ServerContext* context, const v1::SnoozeRecallRequest* request, v1::Recall* response) override;
  grpc::Status DismissRecall(grpc::ServerContext* context, const v1::DismissRecallRequest* request, v1::Recall* response) override;

 private:
  absl::StatusOr<v1::PlanNextSessionResponse> PlanNext(const auth::Principal& principal,
                                                      const v1::PlanNextSessionRequest& request);

  const store::Database& db_;
  const plugin_host::TreatmentRegistry& registry_;
  rpc::RpcGuard guard_;
  resources::ResourceCrud<v1::Series> series_;
  resources::ResourceCrud<v1::Recall> recalls_;
};

}  // namespace clinicd::follow_up
