#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "services/booking/booking_service.h"
#include "services/catalog/catalog_service.h"
#include "services/common/proto_time.h"
#include "services/consent/consent_service.h"
#include "services/follow_up/follow_up_service.h"
#include "services/follow_up/recall_clock.h"
#include "services/notification/notification_service.h"
#include "services/patient/patient_service.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/practice/practice_service.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/server/open_database.h"
#include "services/server/test_clock_service.h"
#include "services/store/idempotency.h"

namespace clinicd::server {
namespace {

using clinicd::config::v1::ServerConfig;

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerConfig& config) {
  if (config.tls().cert_file().empty()) return grpc::InsecureServerCredentials();
  auto read = [](const std::string& path) -> absl::StatusOr<std::string> {
    std::ifstream file(path);
    if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  };
  absl::StatusOr<std::string> cert = read(config.tls().cert_file());
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = read(config.tls().key_file());
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

// Blocks SIGTERM and SIGINT in every thread (gRPC's threads inherit the
// mask) so the main thread alone receives them through sigwait.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The server's one clock: the system's, or with --test_clock a clock tests
// move (loopback only, and said loudly).
absl::StatusOr<std::unique_ptr<Clock>> MakeClock(const ServerConfig& config) {
  const std::string flag = absl::GetFlag(FLAGS_test_clock);
  if (flag.empty()) return std::make_unique<Clock>();
  if (absl::Status s = RequireLoopback(config.listen()); !s.ok()) return s;
  absl::StatusOr<absl::Time> start = ParseTestClockStart(flag);
  if (!start.ok()) return start.status();
  spdlog::warn("TEST CLOCK: this server's time stands at {} and moves only through "
               "TestClockService; never use it for a clinic",
               absl::FormatTime(absl::RFC3339_full, *start, absl::UTCTimeZone()));
  return Clock::StandingAt(*start);
}

}  // namespace

int ServeCommand(const ServerConfig& config) {
  const sigset_t signals = BlockShutdownSignals();
  absl::StatusOr<std::unique_ptr<Clock>> clock = MakeClock(config);
  if (!clock.ok()) {
    spdlog::critical("{}", std::string(clock.status().message()));
    return 2;
  }
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenAndMigrate(config);
  if (!db.ok()) {
    spdlog::critical("cannot open database {}: {}", config.db(),
                     std::string(db.status().message()));
    return 1;
  }
  // Request ids are honoured for a week; older records are dropped at start.
  if (absl::StatusOr<int> pruned =
          store::PruneIdempotencyRecords(**db, (*clock)->Now() - absl::Hours(24 * 7));
      !pruned.ok()) {
    spdlog::warn("could not prune idempotency records: {}",
                 std::string(pruned.status().message()));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      Credentials(config);
  if (!credentials.ok()) {
    spdlog::critical("TLS: {}", std::string(credentials.status().message()));
    return 1;
  }

  // Plugins load before serving; a refused one is logged and listed by
  // ListPlugins, and the server serves with the rest.
  std::unique_ptr<plugin_host::TreatmentRegistry> registry =
      plugin_host::TreatmentRegistry::LoadDirectory(config.plugin_dir(), **clock,
                                                    plugin_host::ProbeOptions());

  practice::PracticeServiceImpl practice_service(**db, *registry, **clock);
  patient::PatientServiceImpl patient_service(**db, **clock);
  catalog::CatalogServiceImpl catalog_service(**db, *registry, **clock);
  booking::BookingServiceImpl booking_service(**db, *registry, **clock);
  consent::ConsentServiceImpl consent_service(**db, *registry, **clock);
  follow_up::FollowUpServiceImpl follow_up_service(**db, *registry, **clock);
  notification::NotificationServiceImpl notification_service(**db, **clock);
  std::unique_ptr<TestClockServiceImpl> test_clock_service;
  if ((*clock)->is_test()) test_clock_service = std::make_unique<TestClockServiceImpl>(**db, **clock);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen(), *credentials, &port);
  for (grpc::Service* service : std::initializer_list<grpc::Service*>{
           &practice_service, &patient_service, &catalog_service, &booking_service,
           &consent_service, &follow_up_service, &notification_service}) {
    builder.RegisterService(service);
  }
  if (test_clock_service) builder.RegisterService(test_clock_service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    spdlog::critical("cannot listen on {}", config.listen());
    return 1;
  }
  const std::string host = config.listen().substr(0, config.listen().rfind(':'));
  spdlog::info("clinicd listening on {}:{} (database {}, schema ready{})", host, port,
               config.db(), (*clock)->is_test() ? ", TEST CLOCK" : "");
  // Health tells monitoring which clock serves: a check of the test clock
  // service answers SERVING only on a test server.
  if ((*clock)->is_test()) {
    server->GetHealthCheckService()->SetServingStatus(
        clinicd::test_clock::v1::TestClockService::service_full_name(), true);
  }
  auto recall_clock = std::make_unique<follow_up::RecallClock>(
      **db, **clock, FromProtoDuration(config.recall_clock_interval()));
  // A moved test clock brings recalls up to date before the call returns.
  // No RPC runs once the server has stopped, so none reaches a destroyed clock.
  if ((*clock)->is_test()) (*clock)->OnChange([&recall_clock] { recall_clock->Tick(); });

  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}; draining for up to {}s", strsignal(signal),
               config.shutdown_grace().seconds());
  server->GetHealthCheckService()->SetServingStatus(false);
  notification_service.StopStreams();
  const absl::Time deadline =
      absl::Now() + absl::Seconds(config.shutdown_grace().seconds());
  server->Shutdown(absl::ToChronoTime(deadline));
  server->Wait();
  recall_clock.reset();
  db->reset();  // Closes every connection; SQLite checkpoints the WAL.
  registry.reset();  // Shuts the plugins down and closes their libraries.
  spdlog::info("clinicd stopped cleanly");
  return 0;
}

}  // namespace clinicd::server
