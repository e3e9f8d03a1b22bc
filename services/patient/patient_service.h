#pragma once

#include "clinic/v1/patient_service.grpc.pb.h"
#include "services/resources/resource_crud.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::patient {

namespace v1 = ::clinic::v1;

// clinic.v1.PatientService: standard methods over patients plus search.
class PatientServiceImpl final : public v1::PatientService::Service {
 public:
  PatientServiceImpl(store::Database& db, const Clock& clock);

  grpc::Status CreatePatient(grpc::ServerContext* context, const v1::CreatePatientRequest* request, v1::Patient* response) override;
  grpc::Status GetPatient(grpc::ServerContext* context, const v1::GetPatientRequest* request, v1::Patient* response) override;
  grpc::Status ListPatients(grpc::ServerContext* context, const v1::ListPatientsRequest* request, v1::ListPatientsResponse* response) override;
  grpc::Status SearchPatients(grpc::ServerContext* context, const v1::SearchPatientsRequest* request, v1::SearchPatientsResponse* response) override;
  grpc::Status UpdatePatient(grpc::ServerContext* context, const v1::UpdatePatientRequest* request, v1::Patient* response) override;
  grpc::Status DeletePatient(grpc::ServerContext* context, const v1::DeletePatientRequest* request, google::protobuf::Empty* response) override;

 private:
  const store::Database& db_;
  rpc::RpcGuard guard_;
  resources::ResourceCrud<v1::Patient> patients_;
};

}  // namespace clinicd::patient
