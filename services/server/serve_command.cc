#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/proto_time.h"
#include "services/follow_up/recall_clock.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/server/clinic_server.h"
#include "services/server/commands.h"
#include "services/server/test_clock_service.h"
#include "services/server/flags.h"
#include "services/server/open_database.h"
#include "services/server/retention_config.h"

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
  if (!config.tls().client_ca_file().empty()) {
    absl::StatusOr<std::string> client_ca = read(config.tls().client_ca_file());
    if (!client_ca.ok()) return client_ca.status();
    options.pem_root_certs = *client_ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
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
  // At a file size limit (ulimit -f) a write fails with EFBIG, which SQLite
  // reports and the server answers; the default SIGXFSZ would kill it.
  std::signal(SIGXFSZ, SIG_IGN);
  // Debian's abseil is built with Mutex deadlock detection on: every lock
  // taken updates a global lock graph (~1% of a booking's CPU in a profile).
  // The in-process tests keep it; the served binary does not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<std::unique_ptr<Clock>> clock = MakeClock(config);
  if (!clock.ok()) {
    spdlog::critical("{}", std::string(clock.status().message()));
    return 2;
  }
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenAndMigrate(config);
  if (!db.ok()) {
    spdlog::critical("cannot open database {}: {}", store::AddressForLogs(config.db()),
                     std::string(db.status().message()));
    return 1;
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

  absl::StatusOr<std::unique_ptr<ClinicServer>> server = ClinicServer::Start(
      **db, *registry, **clock, Listener{config.listen(), *credentials});
  if (!server.ok()) {
    spdlog::critical("{}", std::string(server.status().message()));
    return 1;
  }
  const std::string host = config.listen().substr(0, config.listen().rfind(':'));
  spdlog::info("clinicd listening on {}:{} (database {}, schema ready{})", host,
               (*server)->port(), (*db)->path(), (*clock)->is_test() ? ", TEST CLOCK" : "");
  auto recall_clock = std::make_unique<follow_up::RecallClock>(
      **db, **clock, FromProtoDuration(config.recall_clock_interval()));
  // A moved test clock brings recalls up to date before the call returns.
  // No RPC runs once the server has stopped, so none reaches a destroyed clock.
  if ((*clock)->is_test()) (*clock)->OnChange([&recall_clock] { recall_clock->Tick(); });
  // Expired records are deleted while serving, in small batches; a moved
  // test clock prunes to the new time before the call returns.
  std::unique_ptr<retention::RetentionJob> retention_job =
      StartRetentionJob(**db, **clock, config.retention());
  if ((*clock)->is_test()) (*clock)->OnChange([&retention_job] { retention_job->RunNow(); });

  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}; draining for up to {}s", strsignal(signal),
               config.shutdown_grace().seconds());
  (*server)->Drain(absl::Now() + absl::Seconds(config.shutdown_grace().seconds()));
  server->reset();
  recall_clock.reset();
  retention_job.reset();
  db->reset();  // Closes every connection; SQLite checkpoints the WAL.
  registry.reset();  // Shuts the plugins down and closes their libraries.
  spdlog::info("clinicd stopped cleanly");
  return 0;
}

}  // namespace clinicd::server
