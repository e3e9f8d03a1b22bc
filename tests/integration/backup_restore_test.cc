// The README's restore procedure, done exactly as written: a backup taken
// with `clinicd backup` while a real clinicd serves a stream of writes, put
// in place of a crashed server's database (installed with mode 0600, the
// crashed database's -wal and -shm removed), and a server started on it has
// every write acknowledged before the backup began, and nothing of the
// crashed database's WAL. SQLite only: it is about the file and its WAL.

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "tests/integration/operator_test_util.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

class BackupRestoreTest : public RpcTest {
 protected:
  // Registers patients in `clinic` one after another until `stop_`, keeping
  // the name of each one clinicd acknowledged.
  void WritePatients(const std::string& clinic) {
    for (int i = 0; !stop_; ++i) {
      clinic::v1::CreatePatientRequest request;
      request.set_parent(clinic);
      request.mutable_patient()->set_given_name("Patient");
      request.mutable_patient()->set_family_name("Nr" + std::to_string(i));
      clinic::v1::Patient patient;
      const grpc::Status status =
          patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
      if (!status.ok()) {
        write_errors_ += status.error_message() + "\n";
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      acknowledged_.push_back(patient.name());
    }
  }

  std::vector<std::string> Acknowledged() {
    std::lock_guard<std::mutex> lock(mu_);
    return acknowledged_;
  }

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> acknowledged_;
  std::string write_errors_;
};

TEST_F(BackupRestoreTest, ABackupTakenWhileServingRestoresEveryAcknowledgedWrite) {
  if (test_util::UsingPostgres()) {
    GTEST_SKIP() << "restores a SQLite file over a crashed server's file and WAL; "
                    "PostgreSQL is backed up and restored with its own tools";
  }
  // The database to restore over: a server that crashed with writes in its WAL.
  ClinicdProcess crashed;
  std::string error;
  ASSERT_TRUE(crashed.Start(&error)) << error;
  const std::string crashed_key = crashed.CreateKey("admin");
  auto crashed_practice = clinic::v1::PracticeService::NewStub(crashed.channel());
  clinic::v1::CreateClinicRequest create;
  create.mutable_clinic()->set_display_name("Lost before the restore");
  create.mutable_clinic()->set_time_zone("Europe/Berlin");
  create.mutable_clinic()->set_region_code("DE");
  clinic::v1::Clinic lost;
  const grpc::Status created =
      crashed_practice->CreateClinic(AuthedContext(crashed_key).get(), create, &lost);
  ASSERT_TRUE(created.ok()) << created.error_message();
  crashed.Kill();
  const std::string db = crashed.db();
  ASSERT_TRUE(std::filesystem::exists(db + "-wal")) << "the crash left no WAL to be stale";

  const clinic::v1::Clinic clinic = MakeClinic();
  std::thread writer([&] { WritePatients(clinic.name()); });
  while (Acknowledged().size() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  const std::vector<std::string> before_backup = Acknowledged();
  const std::string backup = db + ".backup";
  const test_util::ProgramResult backed_up =
      RunClinicd({"backup", "--db=" + server_.db(), "--to=" + backup});
  const size_t after_backup = Acknowledged().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop_ = true;
  writer.join();
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  EXPECT_NE(backed_up.out.find("integrity ok"), std::string::npos) << backed_up.out;
  EXPECT_EQ(write_errors_, "") << "clinicd refused writes while being backed up";
  EXPECT_GT(Acknowledged().size(), after_backup) << "clinicd stopped writing after the backup";
  struct stat mode {};
  ASSERT_EQ(stat(backup.c_str(), &mode), 0);
  EXPECT_EQ(mode.st_mode & 0777, 0600u);

  // The procedure: clinicd is stopped (crashed, here); install the backup
  // with its mode, remove the old database's -wal and -shm, start.
  const test_util::ProgramResult installed = test_util::RunProgram(
      {"/bin/sh", "-c", "install -m 0600 \"$0\" \"$1\" && rm -f \"$1-wal\" \"$1-shm\"", backup,
       db});
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  ASSERT_TRUE(crashed.Start(&error)) << error;

  // The backup's keys are the source's: the source's admin key works.
  auto restored_patients = clinic::v1::PatientService::NewStub(crashed.channel());
  for (const std::string& name : before_backup) {
    clinic::v1::GetPatientRequest get;
    get.set_name(name);
    clinic::v1::Patient patient;
    const grpc::Status status =
        restored_patients->GetPatient(AuthedContext(admin_key_).get(), get, &patient);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
  }
  clinic::v1::GetClinicRequest get_lost;
  get_lost.set_name(lost.name());
  clinic::v1::Clinic found;
  const grpc::Status lost_status = clinic::v1::PracticeService::NewStub(crashed.channel())
                                       ->GetClinic(AuthedContext(admin_key_).get(), get_lost, &found);
  EXPECT_EQ(lost_status.error_code(), grpc::StatusCode::NOT_FOUND)
      << "the crashed database's WAL was replayed over the restored file";
  EXPECT_EQ(crashed.Stop(), 0) << crashed.Log();
}

}  // namespace
}  // namespace clinicd::testing
