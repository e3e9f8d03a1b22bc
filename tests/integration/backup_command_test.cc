// `clinicd backup` as an operator meets it: usage errors exit 2; a missing
// database, an existing target (unless --overwrite) or the database itself
// as target exit 1 with a message naming the file and leave nothing behind;
// a backup is a checked SQLite file with mode 0600. And the retention
// settings of the config file are range-checked with the field named.
// `clinicd backup` copies a SQLite file: on PostgreSQL only the usage and
// retention checks run.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>

#include "tests/integration/operator_test_util.h"
#include "tests/integration/clinicd_process.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kBackupCopiesSqlite[] =
    "clinicd backup copies the SQLite file; PostgreSQL is backed up with its own tools";

class BackupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // `keys create` creates and migrates the database; no server runs.
    ASSERT_FALSE(process_.CreateKey("admin").empty()) << process_.CommandErrors();
    dir_ = process_.dir();
  }

  test_util::ProgramResult Backup(const std::string& to, const std::string& extra = "") {
    std::vector<std::string> args = {"backup", "--db=" + process_.db(), "--to=" + to};
    if (!extra.empty()) args.push_back(extra);
    return RunClinicd(args);
  }

  // Files in the directory whose name contains `part`, e.g. leftover temp files.
  int FilesNamed(const std::string& part) const {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().filename().string().find(part) != std::string::npos) ++count;
    }
    return count;
  }

  static std::string Contents(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
  }

  ClinicdProcess process_;
  std::string dir_;
};

TEST_F(BackupCommandTest, WritesACheckedCopyOnlyTheOwnerCanRead) {
  if (test_util::UsingPostgres()) GTEST_SKIP() << kBackupCopiesSqlite;
  const std::string to = dir_ + "/copy.db";
  const test_util::ProgramResult run = Backup(to);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(to + ": backup of " + process_.db()));
  EXPECT_THAT(run.out, HasSubstr("integrity ok"));
  EXPECT_EQ(Contents(to).substr(0, 16), std::string("SQLite format 3\0", 16));
  struct stat mode {};
  ASSERT_EQ(stat(to.c_str(), &mode), 0);
  EXPECT_EQ(mode.st_mode & 0777, 0600u);
  EXPECT_EQ(FilesNamed(".tmp-"), 0);
  EXPECT_FALSE(std::filesystem::exists(to + "-wal"));
}

TEST_F(BackupCommandTest, AnExistingFileIsReplacedOnlyWithOverwrite) {
  if (test_util::UsingPostgres()) GTEST_SKIP() << kBackupCopiesSqlite;
  const std::string to = dir_ + "/copy.db";
  std::ofstream(to) << "yesterday's backup";
  test_util::ProgramResult run = Backup(to);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(to + " already exists; pass --overwrite to replace it"));
  EXPECT_EQ(Contents(to), "yesterday's backup");

  run = Backup(to, "--overwrite");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Contents(to).substr(0, 15), "SQLite format 3");
  EXPECT_EQ(FilesNamed(".tmp-"), 0);
}

TEST_F(BackupCommandTest, RefusesToWriteOverTheDatabaseItself) {
  if (test_util::UsingPostgres()) GTEST_SKIP() << kBackupCopiesSqlite;
  const std::string link = dir_ + "/same.db";
  std::filesystem::create_symlink(process_.db(), link);
  const std::string before = Contents(process_.db());
  for (const std::string& to : {process_.db(), link}) {
    const test_util::ProgramResult run = Backup(to, "--overwrite");
    EXPECT_EQ(run.exit_code, 1) << to;
    EXPECT_THAT(run.err, HasSubstr("is the database itself")) << to;
  }
  EXPECT_EQ(Contents(process_.db()), before);
}

TEST_F(BackupCommandTest, AMissingDatabaseIsNamedAndNothingIsWritten) {
  const std::string absent = dir_ + "/absent.db";
  const std::string to = dir_ + "/copy.db";
  const test_util::ProgramResult run =
      RunClinicd({"backup", "--db=" + absent, "--to=" + to});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(absent));
  EXPECT_FALSE(std::filesystem::exists(absent)) << "backup created the database it was to copy";
  EXPECT_FALSE(std::filesystem::exists(to));
  EXPECT_EQ(FilesNamed(".tmp-"), 0);
}

TEST_F(BackupCommandTest, UsageErrorsExitTwo) {
  test_util::ProgramResult run = RunClinicd({"backup", "--db=" + process_.db()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("usage: clinicd backup --db=PATH --to=FILE [--overwrite]"));
  run = Backup(dir_ + "/copy.db", "extra");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/copy.db"));
}

TEST_F(BackupCommandTest, RetentionSettingsAreRangeCheckedWithTheFieldNamed) {
  const std::string config = dir_ + "/clinicd.textproto";
  std::ofstream(config) << "retention { event_retention { seconds: 3600 } }\n";
  test_util::ProgramResult run =
      RunClinicd({"migrate", "--config=" + config, "--db=" + process_.db()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err,
              HasSubstr("retention.event_retention must be from 7 days to 10 years; got 1h"));

  std::ofstream(config) << "retention { batch_size: 5 }\n";
  run = RunClinicd({"migrate", "--config=" + config, "--db=" + process_.db()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("retention.batch_size must be from 10 to 10000; got 5"));

  std::ofstream(config) << "retention { finished_message_retention { seconds: 63072000 } "
                           "interval { seconds: 600 } }\n";
  run = RunClinicd({"migrate", "--config=" + config, "--db=" + process_.db()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

}  // namespace
}  // namespace clinicd::testing
