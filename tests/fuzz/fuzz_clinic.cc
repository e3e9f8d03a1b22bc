#include "tests/fuzz/fuzz_clinic.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/auth/api_keys.h"
#include "services/common/clock.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/server/clinic_server.h"
#include "services/server/open_database.h"
#include "tests/fuzz/fuzz_seed_data.h"

namespace clinicd::fuzz {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz harness: %s\n", what.c_str());
  std::abort();
}

template <typename T>
T Must(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) Die(std::string(what) + ": " + std::string(value.status().message()));
  return *std::move(value);
}

// A fresh directory for this process's database, removed at exit.
std::string MakeDataDir() {
  char pattern[] = "/tmp/clinicd-fuzz-XXXXXX";
  if (mkdtemp(pattern) == nullptr) Die("cannot create a temp dir");
  static std::string dir = pattern;
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  });
  return dir;
}

// Everything the server holds on to; never destroyed (the fuzzer exits
// without tearing the server down, as a crashed server would).
struct Process {
  std::unique_ptr<Clock> clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<plugin_host::TreatmentRegistry> registry;
  std::unique_ptr<server::ClinicServer> server;
  FuzzClinic clinic;
};

Process* Start() {
  // One log line per call would drown the fuzzer's own output.
  spdlog::set_level(spdlog::level::off);
  auto process = new Process();
  process->clock = Clock::StandingAt(
      absl::FromCivil(absl::CivilMinute(2027, 1, 4, 8, 0), absl::UTCTimeZone()));
  clinicd::config::v1::ServerConfig config;
  config.set_db(MakeDataDir() + "/clinicd.db");
  config.set_read_connections(4);
  process->db = Must(server::OpenAndMigrate(config), "open database");
  process->registry =
      plugin_host::TreatmentRegistry::LoadDirectory(CLINICD_FUZZ_PLUGIN_DIR, *process->clock);
  if (process->registry->TreatmentTypes().empty()) {
    Die("no treatment types loaded from " CLINICD_FUZZ_PLUGIN_DIR);
  }
  process->server = Must(server::ClinicServer::Start(*process->db, *process->registry,
                                                     *process->clock, server::Listener{"", nullptr}),
                         "start server");
  FuzzClinic& clinic = process->clinic;
  clinic.channel = process->server->InProcessChannel();
  clinic.admin_key =
      Must(auth::CreateApiKey(*process->db, auth::Role::kAdmin, {}, "fuzz admin"), "admin key")
          .secret;
  clinic.ids = SeedClinic(clinic.channel, clinic.admin_key);
  clinic.front_desk_key = Must(auth::CreateApiKey(*process->db, auth::Role::kFrontDesk,
                                                  {clinic.ids.clinic}, "fuzz desk"),
                               "front desk key")
                              .secret;
  return process;
}

}  // namespace

const FuzzClinic& TheFuzzClinic() {
  static Process* process = Start();
  return process->clinic;
}

}  // namespace clinicd::fuzz
