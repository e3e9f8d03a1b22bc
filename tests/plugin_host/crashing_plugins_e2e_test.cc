// The real clinicd with plugins that crash, abort or exit while they load,
// beside the bundled ones: `clinicd plugins` names each and exits 1, and the
// server starts anyway, lists them REFUSED with their files, and books
// microneedling.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/plugin_host/plugin_directory.h"
#include "tests/plugins/berlin_time.h"
#include "tests/testing/run_program.h"

namespace clinicd::testing {
namespace {

using ::testing::HasSubstr;

struct Crashing {
  std::string file;
  std::string reason;
};

// Each fixture and the refusal it earns, in file-name order.
const std::vector<Crashing>& CrashingPlugins() {
  static const std::vector<Crashing> plugins = {
      {"abort_in_describe.so", "crashed with SIGABRT during describe"},
      {"exit_in_init.so", "exited with status 0 during init"},
      {"segfault_in_init.so", "crashed with SIGSEGV during init"},
  };
  return plugins;
}

TEST(PluginsCommandTest, NamesEachCrashingPluginAndExitsNonZero) {
  plugin_host::PluginDirectory dir;
  dir.AddBundled("microneedling");
  dir.AddBundled("maintenance_recall");
  for (const Crashing& crashing : CrashingPlugins()) dir.AddFixture(crashing.file, crashing.file);

  const test_util::ProgramResult result =
      test_util::RunProgram({plugin_host::BinaryDir() + "/services/server/clinicd", "plugins",
                             "--plugin_dir=" + dir.path()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  for (const Crashing& crashing : CrashingPlugins()) {
    EXPECT_THAT(result.out, HasSubstr("REFUSED  " + dir.path() + "/" + crashing.file + "  " +
                                      crashing.reason + "\n"));
  }
  EXPECT_THAT(result.out, HasSubstr("LOADED   " + dir.path() + "/microneedling.so"));
  EXPECT_THAT(result.out, HasSubstr("LOADED   " + dir.path() + "/maintenance_recall.so"));
  EXPECT_THAT(result.out, HasSubstr("5 plugin file(s) in " + dir.path()));
}

class CrashingPluginsServerTest : public RpcTest {
 protected:
  void SetUp() override {
    for (const Crashing& crashing : CrashingPlugins()) {
      server_.AddPlugin(ClinicdProcess::PluginFixture(crashing.file));
    }
    UseTestClock(absl::Now());
    RpcTest::SetUp();
  }
};

TEST_F(CrashingPluginsServerTest, ServesListsThemRefusedAndBooksMicroneedling) {
  auto catalog = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
  clinic::v1::ListPluginsResponse plugins;
  const grpc::Status listed = catalog->ListPlugins(AuthedContext(admin_key_).get(),
                                                   clinic::v1::ListPluginsRequest(), &plugins);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(plugins.plugins_size(), 5);
  std::map<std::string, clinic::v1::Plugin> by_file;
  for (const auto& plugin : plugins.plugins()) {
    by_file[plugin.file().substr(plugin.file().rfind('/') + 1)] = plugin;
  }
  EXPECT_EQ(by_file["microneedling.so"].state(), clinic::v1::PLUGIN_STATE_LOADED);
  EXPECT_EQ(by_file["maintenance_recall.so"].state(), clinic::v1::PLUGIN_STATE_LOADED);
  const std::string log = server_.Log();
  for (const Crashing& crashing : CrashingPlugins()) {
    const clinic::v1::Plugin& refused = by_file[crashing.file];
    EXPECT_EQ(refused.state(), clinic::v1::PLUGIN_STATE_REFUSED) << crashing.file;
    EXPECT_EQ(refused.refusal_reason(), crashing.reason);
    // The file is named before its code runs, then with what happened.
    const size_t loading = log.find(refused.file() + ": loading");
    const size_t verdict = log.find(refused.file() + " refused: " + crashing.reason);
    ASSERT_NE(loading, std::string::npos) << log;
    ASSERT_NE(verdict, std::string::npos) << log;
    EXPECT_LT(loading, verdict);
  }

  const clinic::v1::Clinic clinic = MakeClinic();
  const clinic::v1::Room room = MakeRoom(clinic.name(), "Room 1", {"microneedling_device", "sink"});
  const clinic::v1::Practitioner practitioner =
      MakePractitioner(clinic.name(), "Dr. Weber", {"treatmentTypes/microneedling"});
  const clinic::v1::Patient patient = MakePatient(clinic.name(), "Anna", "Schmidt");
  ClearForMicroneedling(patient.name());
  clinic::v1::CreateAppointmentRequest request;
  request.set_parent(clinic.name());
  clinic::v1::Appointment* draft = request.mutable_appointment();
  draft->set_patient(patient.name());
  draft->set_treatment_type("treatmentTypes/microneedling");
  draft->set_practitioner(practitioner.name());
  draft->set_room(room.name());
  *draft->mutable_start_time() = plugins::test_time::ToProto(
      plugins::test_time::At(plugins::test_time::MondayAtLeastDaysAhead(14), 10));
  clinic::v1::Appointment booked;
  auto booking = clinic::v1::BookingService::NewStub(server_.channel());
  const grpc::Status status =
      booking->CreateAppointment(AuthedContext(admin_key_).get(), request, &booked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(booked.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
}

}  // namespace
}  // namespace clinicd::testing
