#include "services/server/clinic_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>

#include "absl/strings/str_cat.h"
#include "services/booking/booking_service.h"
#include "services/catalog/catalog_service.h"
#include "services/common/pagination.h"
#include "services/consent/consent_service.h"
#include "services/follow_up/follow_up_service.h"
#include "services/notification/notification_service.h"
#include "services/patient/patient_service.h"
#include "services/practice/practice_service.h"
#include "services/rpc/undecodable_request.h"
#include "services/server/health_service.h"
#include "services/server/reflection_v1_service.h"
#include "services/server/test_clock_service.h"
#include "services/store/server_secrets.h"

namespace clinicd::server {

struct ClinicServer::Services {
  Services(store::Database& db, const plugin_host::TreatmentRegistry& registry, Clock& clock)
      : practice(db, registry, clock),
        patient(db, clock),
        catalog(db, registry, clock),
        booking(db, registry, clock),
        consent(db, registry, clock),
        follow_up(db, registry, clock),
        notification(db, clock) {
    if (clock.is_test()) test_clock = std::make_unique<TestClockServiceImpl>(db, clock);
    names = {clinic::v1::PracticeService::service_full_name(),
             clinic::v1::PatientService::service_full_name(),
             clinic::v1::TreatmentCatalogService::service_full_name(),
             clinic::v1::BookingService::service_full_name(),
             clinic::v1::ConsentService::service_full_name(),
             clinic::v1::FollowUpService::service_full_name(),
             clinic::v1::NotificationService::service_full_name()};
    // Health tells monitoring which clock serves: the test clock service is
    // known (and SERVING) only on a test server.
    if (test_clock) names.insert(clinicd::test_clock::v1::TestClockService::service_full_name());
    names.insert(grpc::health::v1::Health::service_full_name());
    names.insert(grpc::reflection::v1::ServerReflection::service_full_name());
    names.insert("grpc.reflection.v1alpha.ServerReflection");
    health = std::make_unique<HealthService>(db, names);
    reflection = std::make_unique<ReflectionV1Service>(names);
  }

  // The clinic's services (and the test clock's on a test server).
  std::vector<grpc::Service*> clinic() {
    std::vector<grpc::Service*> all = {&practice, &patient, &catalog, &booking,
                                       &consent,  &follow_up, &notification};
    if (test_clock) all.push_back(test_clock.get());
    return all;
  }

  practice::PracticeServiceImpl practice;
  patient::PatientServiceImpl patient;
  catalog::CatalogServiceImpl catalog;
  booking::BookingServiceImpl booking;
  consent::ConsentServiceImpl consent;
  follow_up::FollowUpServiceImpl follow_up;
  notification::NotificationServiceImpl notification;
  std::unique_ptr<TestClockServiceImpl> test_clock;
  std::set<std::string> names;
  std::unique_ptr<HealthService> health;
  std::unique_ptr<ReflectionV1Service> reflection;
};


absl::StatusOr<std::unique_ptr<ClinicServer>> ClinicServer::Start(
    store::Database& db, const plugin_host::TreatmentRegistry& registry, Clock& clock,
    const Listener& listener) {
  // Page tokens are sealed with the database's key, so any process on it,
  // now or after a restart, reads the others' tokens.
  absl::StatusOr<std::string> page_token_key = store::LoadOrCreateSecret(db, "page_tokens");
  if (!page_token_key.ok()) return page_token_key.status();
  SetPageTokenKey(*page_token_key);

  std::unique_ptr<ClinicServer> server(new ClinicServer());
  server->services_ = std::make_unique<Services>(db, registry, clock);
  Services& services = *server->services_;

  // Health is HealthService, which follows the database writer.
  grpc::EnableDefaultHealthCheckService(false);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this gRPC binds with SO_REUSEPORT, and a second clinicd on the
  // same port would start and have the kernel split connections between two
  // databases. Now the second one fails to bind and says so.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // The synchronous server runs each call on a polling thread and, by
  // default, lets threads beyond 2 pollers exit after their call: under
  // concurrent calls a thread is made and destroyed for many of them. Two
  // pollers kept and up to 16 idle ones allowed cut GetPatient's p99 at 8
  // clients from ~2.2 ms to ~1 ms and its CPU per call by ~10% here
  // (README "Benchmarks").
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 16);
  if (!listener.address.empty()) {
    builder.AddListeningPort(listener.address, listener.credentials, &server->port_);
  }
  for (grpc::Service* service : services.clinic()) builder.RegisterService(service);
  builder.RegisterService(services.health.get());
  builder.RegisterService(services.reflection.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(rpc::UndecodableRequestInterceptors());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server->server_ = builder.BuildAndStart();
  if (!server->server_ || (!listener.address.empty() && server->port_ == 0)) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listener.address,
        " (is another process, perhaps another clinicd, using that port?)"));
  }
  return server;
}

ClinicServer::~ClinicServer() {
  if (server_) Drain(absl::Now());
}

std::shared_ptr<grpc::Channel> ClinicServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ClinicServer::Drain(absl::Time deadline) {
  if (!server_) return;
  services_->health->StartDraining();
  services_->notification.StopStreams();
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  server_.reset();
}

}  // namespace clinicd::server
