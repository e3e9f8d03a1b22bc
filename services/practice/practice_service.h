#pragma once

#include "clinic/v1/practice_service.grpc.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_crud.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::practice {

namespace v1 = ::clinic::v1;

// clinic.v1.PracticeService: a thin adapter from gRPC to the standard
// methods over clinics, practitioners, rooms, time off and closures.
class PracticeServiceImpl final : public v1::PracticeService::Service {
 public:
  PracticeServiceImpl(store::Database& db, const plugin_host::TreatmentRegistry& registry, const Clock& clock);

  grpc::Status CreateClinic(grpc::ServerContext* context, const v1::CreateClinicRequest* request, v1::Clinic* response) override;
  grpc::Status GetClinic(grpc::ServerContext* context, const v1::GetClinicRequest* request, v1::Clinic* response) override;
  grpc::Status ListClinics(grpc::ServerContext* context, const v1::ListClinicsRequest* request, v1::ListClinicsResponse* response) override;
  grpc::Status UpdateClinic(grpc::ServerContext* context, const v1::UpdateClinicRequest* request, v1::Clinic* response) override;
  grpc::Status DeleteClinic(grpc::ServerContext* context, const v1::DeleteClinicRequest* request, google::protobuf::Empty* response) override;

  grpc::Status CreatePractitioner(grpc::ServerContext* context, const v1::CreatePractitionerRequest* request, v1::Practitioner* response) override;
  grpc::Status GetPractitioner(grpc::ServerContext* context, const v1::GetPractitionerRequest* request, v1::Practitioner* response) override;
  grpc::Status ListPractitioners(grpc::ServerContext* context, const v1::ListPractitionersRequest* request, v1::ListPractitionersResponse* response) override;
  grpc::Status UpdatePractitioner(grpc::ServerContext* context, const v1::UpdatePractitionerRequest* request, v1::Practitioner* response) override;
  grpc::Status DeletePractitioner(grpc::ServerContext* context, const v1::DeletePractitionerRequest* request, google::protobuf::Empty* response) override;

  grpc::Status CreateRoom(grpc::ServerContext* context, const v1::CreateRoomRequest* request, v1::Room* response) override;
  grpc::Status GetRoom(grpc::ServerContext* context, const v1::GetRoomRequest* request, v1::Room* response) override;
  grpc::Status ListRooms(grpc::ServerContext* context, const v1::ListRoomsRequest* request, v1::ListRoomsResponse* response) override;
  grpc::Status UpdateRoom(grpc::ServerContext* context, const v1::UpdateRoomRequest* request, v1::Room* response) override;
  grpc::Status DeleteRoom(grpc::ServerContext* context, const v1::DeleteRoomRequest* request, google::protobuf::Empty* response) override;

  grpc::Status CreateTimeOff(grpc::ServerContext* context, const v1::CreateTimeOffRequest* request, v1::TimeOff* response) override;
  grpc::Status ListTimeOff(grpc::ServerContext* context, const v1::ListTimeOffRequest* request, v1::ListTimeOffResponse* response) override;
  grpc::Status DeleteTimeOff(grpc::ServerContext* context, const v1::DeleteTimeOffRequest* request, google::protobuf::Empty* response) override;

  grpc::Status CreateClosure(grpc::ServerContext* context, const v1::CreateClosureRequest* request, v1::Closure* response) override;
  grpc::Status ListClosures(grpc::ServerContext* context, const v1::ListClosuresRequest* request, v1::ListClosuresResponse* response) override;
  grpc::Status DeleteClosure(grpc::ServerContext* context, const v1::DeleteClosureRequest* request, google::protobuf::Empty* response) override;

 private:
  rpc::RpcGuard guard_;
  resources::ResourceCrud<v1::Clinic> clinics_;
  resources::ResourceCrud<v1::Practitioner> practitioners_;
  resources::ResourceCrud<v1::Room> rooms_;
  resources::ResourceCrud<v1::TimeOff> time_off_;
  resources::ResourceCrud<v1::Closure> closures_;
};

}  // namespace clinicd::practice
