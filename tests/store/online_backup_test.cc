// CopyLiveDatabase: a copy taken in many small steps while another
// connection keeps committing is one snapshot (every row up to the start, in
// order, and nothing half-written), the writer is never held up, and the
// copy is a self-contained file; a missing source is refused, never created;
// a corrupt source gives a copy that fails its integrity check.

#include "services/store/online_backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

class OnlineBackupTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(ExecWrite(*db_,
                        "CREATE TABLE rows (i INTEGER PRIMARY KEY, pad BLOB NOT NULL);"
                        "CREATE INDEX rows_by_pad ON rows(pad);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 3000) INSERT INTO rows SELECT i, randomblob(1000) FROM n"));
  }

  // The byte at `offset` of `path`.
  static int ByteAt(const std::string& path, std::streamoff offset) {
    std::ifstream file(path, std::ios::binary);
    file.seekg(offset);
    return file.get();
  }

  // Opens `path` (a copy) as a database and reads one integer.
  int64_t ReadCopy(const std::string& path, absl::string_view sql) {
    DatabaseOptions options = OptionsFor("unused");
    options.path = path;
    absl::StatusOr<std::unique_ptr<Database>> copy = Database::Open(options);
    EXPECT_OK(copy);
    return copy.ok() ? ReadInt(**copy, sql) : -1;
  }
};

TEST_F(OnlineBackupTest, ACopyInSmallStepsIsOneSnapshotAndTheWriterGoesOn) {
  std::atomic<bool> stop{false};
  std::atomic<int> commits_during_copy{0};
  std::atomic<bool> copying{false};
  std::thread writer([&] {
    for (int64_t i = 3001; !stop; ++i) {
      absl::Status written = db_->Write([&](Transaction& tx) -> absl::Status {
        absl::StatusOr<Statement> insert =
            tx.Prepare("INSERT INTO rows (i, pad) VALUES (?1, randomblob(1000))");
        if (!insert.ok()) return insert.status();
        insert->Bind(1, i);
        return insert->Run();
      });
      ASSERT_OK(written);
      if (copying) ++commits_during_copy;
    }
  });
  OnlineBackupOptions options;
  options.pages_per_step = 8;
  options.pause_between_steps = absl::Milliseconds(1);
  const std::string copy_path = PathFor("copy.db");
  copying = true;
  absl::StatusOr<BackupCopy> copied = CopyLiveDatabase(db_->path(), copy_path, options);
  copying = false;
  stop = true;
  writer.join();
  ASSERT_OK(copied);
  EXPECT_GT(copied->pages, 8 * 50) << "the copy took many steps";
  EXPECT_EQ(copied->page_size, 4096);
  EXPECT_GT(commits_during_copy, 0) << "the writer was held up by the copy";

  EXPECT_EQ(ByteAt(copy_path, 18), 1) << "the copy is in rollback-journal mode, not WAL";
  EXPECT_FALSE(std::filesystem::exists(copy_path + "-wal"));
  const int64_t rows = ReadCopy(copy_path, "SELECT count(*) FROM rows");
  EXPECT_GE(rows, 3000);
  EXPECT_EQ(ReadCopy(copy_path, "SELECT max(i) FROM rows"), rows) << "no row missing in between";
  EXPECT_LT(rows, 3000 + commits_during_copy) << "commits made during the copy are not in it";
}

TEST_F(OnlineBackupTest, AMissingSourceIsRefusedAndNeverCreated) {
  const std::string absent = PathFor("absent.db");
  absl::StatusOr<BackupCopy> copied =
      CopyLiveDatabase(absent, PathFor("copy.db"), OnlineBackupOptions());
  EXPECT_FALSE(copied.ok());
  EXPECT_THAT(Message(copied.status()), ::testing::HasSubstr(absent));
  EXPECT_FALSE(std::filesystem::exists(absent));
}

TEST_F(OnlineBackupTest, AFileThatIsNoDatabaseIsRefused) {
  const std::string garbage = PathFor("garbage.db");
  std::ofstream(garbage) << std::string(8192, 'x');
  absl::StatusOr<BackupCopy> copied =
      CopyLiveDatabase(garbage, PathFor("copy.db"), OnlineBackupOptions());
  EXPECT_FALSE(copied.ok());
  EXPECT_THAT(Message(copied.status()), ::testing::HasSubstr("not a database"));
}

TEST_F(OnlineBackupTest, ACorruptSourceGivesACopyThatFailsItsIntegrityCheck) {
  db_.reset();  // Checkpoints the WAL into the file, which is then damaged.
  const std::string path = PathFor("clinic.db");
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path));
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(size - 4096 + 200);  // Inside the last page, past its header.
    file << std::string(3000, '\x7f');
  }
  absl::StatusOr<BackupCopy> copied =
      CopyLiveDatabase(path, PathFor("copy.db"), OnlineBackupOptions());
  EXPECT_EQ(copied.status().code(), absl::StatusCode::kDataLoss) << copied.status();
  EXPECT_THAT(Message(copied.status()), ::testing::HasSubstr("failed its integrity check"));
}

}  // namespace
}  // namespace clinicd::store
