#include "services/practice/practice_service.h"

#include "services/practice/practice_kinds.h"
#include "services/resources/reply.h"

namespace clinicd::practice {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;
using resources::ReplyPage;

PracticeServiceImpl::PracticeServiceImpl(store::Database& db,
                                         const plugin_host::TreatmentRegistry& registry, const Clock& clock)
    : guard_(db, clock, v1::PracticeService::service_full_name()),
      clinics_(db, ClinicKind()),
      practitioners_(db, PractitionerKind(&registry)),
      rooms_(db, RoomKind()),
      time_off_(db, TimeOffKind()),
      closures_(db, ClosureKind()) {}

// Clinics.

grpc::Status PracticeServiceImpl::CreateClinic(ServerContext* context, const v1::CreateClinicRequest* request, v1::Clinic* response) {
  return guard_.Run(context, "CreateClinic", *request, [&](const Principal& principal) {
    return Reply(clinics_.Create(principal, "", request->clinic(), *request, request->request_id()), response);
  });
}

grpc::Status PracticeServiceImpl::GetClinic(ServerContext* context, const v1::GetClinicRequest* request, v1::Clinic* response) {
  return guard_.Run(context, "GetClinic", *request, [&](const Principal& principal) {
    return Reply(clinics_.Get(principal, request->name()), response);
  });
}

grpc::Status PracticeServiceImpl::ListClinics(ServerContext* context, const v1::ListClinicsRequest* request, v1::ListClinicsResponse* response) {
  return guard_.Run(context, "ListClinics", *request, [&](const Principal& principal) {
    return ReplyPage(clinics_.List(principal, "", request->page_size(), request->page_token()),
                     response->mutable_clinics(), response->mutable_next_page_token());
  });
}

grpc::Status PracticeServiceImpl::UpdateClinic(ServerContext* context, const v1::UpdateClinicRequest* request, v1::Clinic* response) {
  return guard_.Run(context, "UpdateClinic", *request, [&](const Principal& principal) {
    return Reply(clinics_.Update(principal, request->clinic(), request->update_mask()), response);
  });
}

grpc::Status PracticeServiceImpl::DeleteClinic(ServerContext* context, const v1::DeleteClinicRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeleteClinic", *request, [&](const Principal& principal) {
    return clinics_.Delete(principal, request->name(), request->etag());
  });
}

// Practitioners.

grpc::Status PracticeServiceImpl::CreatePractitioner(ServerContext* context, const v1::CreatePractitionerRequest* request, v1::Practitioner* response) {
  return guard_.Run(context, "CreatePractitioner", *request, [&](const Principal& principal) {
    return Reply(practitioners_.Create(principal, request->parent(), request->practitioner(), *request, request->request_id()), response);
  });
}

grpc::Status PracticeServiceImpl::GetPractitioner(ServerContext* context, const v1::GetPractitionerRequest* request, v1::Practitioner* response) {
  return guard_.Run(context, "GetPractitioner", *request, [&](const Principal& principal) {
    return Reply(practitioners_.Get(principal, request->name()), response);
  });
}

grpc::Status PracticeServiceImpl::ListPractitioners(ServerContext* context, const v1::ListPractitionersRequest* request, v1::ListPractitionersResponse* response) {
  return guard_.Run(context, "ListPractitioners", *request, [&](const Principal& principal) {
    return ReplyPage(practitioners_.List(principal, request->parent(), request->page_size(), request->page_token()),
                     response->mutable_practitioners(), response->mutable_next_page_token());
  });
}

grpc::Status PracticeServiceImpl::UpdatePractitioner(ServerContext* context, const v1::UpdatePractitionerRequest* request, v1::Practitioner* response) {
  return guard_.Run(context, "UpdatePractitioner", *request, [&](const Principal& principal) {
    return Reply(practitioners_.Update(principal, request->practitioner(), request->update_mask()), response);
  });
}

grpc::Status PracticeServiceImpl::DeletePractitioner(ServerContext* context, const v1::DeletePractitionerRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeletePractitioner", *request, [&](const Principal& principal) {
    return practitioners_.Delete(principal, request->name(), request->etag());
  });
}

// Rooms.

grpc::Status PracticeServiceImpl::CreateRoom(ServerContext* context, const v1::CreateRoomRequest* request, v1::Room* response) {
  return guard_.Run(context, "CreateRoom", *request, [&](const Principal& principal) {
    return Reply(rooms_.Create(principal, request->parent(), request->room(), *request, request->request_id()), response);
  });
}

grpc::Status PracticeServiceImpl::GetRoom(ServerContext* context, const v1::GetRoomRequest* request, v1::Room* response) {
  return guard_.Run(context, "GetRoom", *request, [&](const Principal& principal) {
    return Reply(rooms_.Get(principal, request->name()), response);
  });
}

grpc::Status PracticeServiceImpl::ListRooms(ServerContext* context, const v1::ListRoomsRequest* request, v1::ListRoomsResponse* response) {
  return guard_.Run(context, "ListRooms", *request, [&](const Principal& principal) {
    return ReplyPage(rooms_.List(principal, request->parent(), request->page_size(), request->page_token()),
                     response->mutable_rooms(), response->mutable_next_page_token());
  });
}

grpc::Status PracticeServiceImpl::UpdateRoom(ServerContext* context, const v1::UpdateRoomRequest* request, v1::Room* response) {
  return guard_.Run(context, "UpdateRoom", *request, [&](const Principal& principal) {
    return Reply(rooms_.Update(principal, request->room(), request->update_mask()), response);
  });
}

grpc::Status PracticeServiceImpl::DeleteRoom(ServerContext* context, const v1::DeleteRoomRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeleteRoom", *request, [&](const Principal& principal) {
    return rooms_.Delete(principal, request->name(), request->etag());
  });
}

// Time off.

grpc::Status PracticeServiceImpl::CreateTimeOff(ServerContext* context, const v1::CreateTimeOffRequest* request, v1::TimeOff* response) {
  return guard_.Run(context, "CreateTimeOff", *request, [&](const Principal& principal) {
    return Reply(time_off_.Create(principal, request->parent(), request->time_off(), *request, request->request_id()), response);
  });
}

grpc::Status PracticeServiceImpl::ListTimeOff(ServerContext* context, const v1::ListTimeOffRequest* request, v1::ListTimeOffResponse* response) {
  return guard_.Run(context, "ListTimeOff", *request, [&](const Principal& principal) {
    return ReplyPage(time_off_.List(principal, request->parent(), request->page_size(), request->page_token()),
                     response->mutable_time_off(), response->mutable_next_page_token());
  });
}

grpc::Status PracticeServiceImpl::DeleteTimeOff(ServerContext* context, const v1::DeleteTimeOffRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeleteTimeOff", *request, [&](const Principal& principal) {
    return time_off_.Delete(principal, request->name(), "");
  });
}

// Closures.

grpc::Status PracticeServiceImpl::CreateClosure(ServerContext* context, const v1::CreateClosureRequest* request, v1::Closure* response) {
  return guard_.Run(context, "CreateClosure", *request, [&](const Principal& principal) {
    return Reply(closures_.Create(principal, request->parent(), request->closure(), *request, request->request_id()), response);
  });
}

grpc::Status PracticeServiceImpl::ListClosures(ServerContext* context, const v1::ListClosuresRequest* request, v1::ListClosuresResponse* response) {
  return guard_.Run(context, "ListClosures", *request, [&](const Principal& principal) {
    return ReplyPage(closures_.List(principal, request->parent(), request->page_size(), request->page_token()),
                     response->mutable_closures(), response->mutable_next_page_token());
  });
}

grpc::Status PracticeServiceImpl::DeleteClosure(ServerContext* context, const v1::DeleteClosureRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "DeleteClosure", *request, [&](const Principal& principal) {
    return closures_.Delete(principal, request->name(), "");
  });
}

}  // namespace clinicd::practice
