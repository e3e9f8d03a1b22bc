#include "services/patient/patient_service.h"

#include "services/patient/patient_kind.h"
#include "services/patient/patient_search.h"
#include "services/resources/reply.h"

namespace clinicd::patient {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;
using resources::ReplyPage;

PatientServiceImpl::PatientServiceImpl(store::Database& db, const Clock& clock)
    : db_(db),
      guard_(db, clock, v1::PatientService::service_full_name()),
      patients_(db, PatientKind()) {}

grpc::Status PatientServiceImpl::CreatePatient(ServerContext* context, const v1::CreatePatientRequest* request, v1::Patient* response) {
  return guard_.Run(context, "CreatePatient", *request, [&](const Principal& principal) {
    return Reply(patients_.Create(principal, request->parent(), request->patient(), *request, request->request_id()), response);
  });
}

grpc::Status PatientServiceImpl::GetPatient(ServerContext* context, const v1::GetPatientRequest* request, v1::Patient* response) {
  return guard_.Run(context, "GetPatient", *request, [&](const Principal& principal) {
    return Reply(patients_.Get(principal, request->name()), response);
  });
}

grpc::Status PatientServiceImpl::ListPatients(ServerContext* context, const v1::ListPatientsRequest* request, v1::ListPatientsResponse* response) {
  return guard_.Run(context, "ListPatients", *request, [&](const Principal& principal) {
    return ReplyPage(patients_.List(principal, request->parent(), request->page_size(), request->page_token()),
                     response->mutable_patients(), response->mutable_next_page_token());
  });
}

grpc::Status PatientServiceImpl::SearchPatients(ServerContext* context, const v1::SearchPatientsRequest* request, v1::SearchPatientsResponse* response) {
  return guard_.Run(context, "SearchPatients", *request, [&](const Principal& principal) {
    return ReplyPage(patient::SearchPatients(db_, principal, request->parent(), request->query(),
                                             request->page_size(), request->page_token()),
                     response->mutable_patients(), response->mutable_next_page_token());
  });
}

grpc::Status PatientServiceImpl::UpdatePatient(ServerContext* context, const v1::UpdatePatientRequest* request, v1::Patient* response) {
  return guard_.Run(context, "UpdatePatient", *request, [&](const Principal& principal) {
    return Reply(patients_.Update(principal, request->patient(), request->update_mask()), response);
  });
}

grpc::Status PatientServiceImpl::DeletePatient(ServerContext* context, const v1::DeletePatientRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeletePatient", *request, [&](const Principal& principal) {
    return patients_.Delete(principal, request->name(), request->etag());
  });
}

}  // namespace clinicd::patient
