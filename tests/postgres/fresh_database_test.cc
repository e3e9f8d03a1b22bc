// The harness that runs the suites on PostgreSQL, checked on the test
// cluster itself (registered only as pg.FreshDatabaseTest.*, with the
// `postgres` fixture): each FreshDatabase is a database of its own, created
// as clinicd expects (UTF-8, C collation) and gone once the object is, even
// with a session still open to it; ClinicdProcess runs on one.

#include <libpq-fe.h>

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/clinicd_process.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::test_util {
namespace {

using ::testing::StartsWith;

class FreshDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(UsingPostgres()) << "run through ctest (pg.FreshDatabaseTest.*), which "
                                    "starts the cluster and sets CLINICD_TEST_POSTGRES_FILE";
    absl::StatusOr<std::string> base = PostgresBaseUri();
    ASSERT_TRUE(base.ok()) << base.status();
    base_ = *base;
    char pattern[] = "/tmp/clinicd-fresh-db-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<FreshDatabase> Fresh() {
    absl::StatusOr<std::unique_ptr<FreshDatabase>> database = FreshDatabase::Create(dir_);
    EXPECT_TRUE(database.ok()) << database.status();
    return database.ok() ? *std::move(database) : nullptr;
  }

  // How many databases on the cluster are called `name`.
  int64_t Databases(const std::string& name, const std::string& condition = "true") {
    absl::StatusOr<int64_t> count = QueryInt(
        base_, absl::StrCat("SELECT COUNT(*) FROM pg_database WHERE datname = '", name,
                            "' AND ", condition));
    EXPECT_TRUE(count.ok()) << count.status();
    return count.value_or(-1);
  }

  std::string base_;
  std::string dir_;
};

TEST_F(FreshDatabaseTest, TwoAreDistinctExistAsClinicdNeedsAndAreGoneAfterwards) {
  std::unique_ptr<FreshDatabase> first = Fresh();
  std::unique_ptr<FreshDatabase> second = Fresh();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  const std::string first_name = first->name();
  const std::string second_name = second->name();
  EXPECT_THAT(first_name, StartsWith("clinicd_t_"));
  EXPECT_NE(first_name, second_name);
  EXPECT_NE(first->db(), second->db());
  for (const FreshDatabase* database : {first.get(), second.get()}) {
    EXPECT_THAT(database->db(), StartsWith("postgresql://"));
    EXPECT_EQ(Databases(database->name(),
                        "pg_encoding_to_char(encoding) = 'UTF8' AND datcollate = 'C' "
                        "AND datctype = 'C'"),
              1)
        << database->name();
    // Its URI reaches it.
    absl::StatusOr<int64_t> here = QueryInt(database->db(), "SELECT 1 FROM pg_database "
                                                            "WHERE datname = current_database()");
    EXPECT_TRUE(here.ok()) << here.status();
    EXPECT_EQ(here.value_or(0), 1);
  }

  first.reset();
  EXPECT_EQ(Databases(first_name), 0);
  EXPECT_EQ(Databases(second_name), 1);
  second.reset();
  EXPECT_EQ(Databases(second_name), 0);
}

TEST_F(FreshDatabaseTest, IsDroppedWhileASessionIsStillOpenToIt) {
  std::unique_ptr<FreshDatabase> database = Fresh();
  ASSERT_NE(database, nullptr);
  const std::string name = database->name();
  // As a clinicd killed a moment ago may still have sessions.
  std::unique_ptr<PGconn, decltype(&PQfinish)> session(PQconnectdb(database->db().c_str()),
                                                       PQfinish);
  ASSERT_EQ(PQstatus(session.get()), CONNECTION_OK) << PQerrorMessage(session.get());
  database.reset();
  EXPECT_EQ(Databases(name), 0);
}

TEST_F(FreshDatabaseTest, EveryClinicdProcessRunsOnADatabaseOfItsOwn) {
  std::string first_db;
  {
    clinicd::testing::ClinicdProcess first;
    clinicd::testing::ClinicdProcess second;
    first_db = first.db();
    EXPECT_THAT(first.db(), StartsWith("postgresql://"));
    EXPECT_NE(first.db(), second.db());
  }
  const std::string before_query = first_db.substr(0, first_db.find('?'));
  const std::string name = before_query.substr(before_query.rfind('/') + 1);
  EXPECT_THAT(name, StartsWith("clinicd_t_"));
  EXPECT_EQ(Databases(name), 0) << "left behind by ClinicdProcess";
}

TEST(WithDatabaseTest, ReplacesOrAddsTheDatabaseKeepingTheRest) {
  EXPECT_EQ(WithDatabase("postgresql:///postgres?host=/tmp/s&port=5432&user=postgres", "t1"),
            "postgresql:///t1?host=/tmp/s&port=5432&user=postgres");
  EXPECT_EQ(WithDatabase("postgresql://u:p@db.example:5433/postgres", "t1"),
            "postgresql://u:p@db.example:5433/t1");
  EXPECT_EQ(WithDatabase("postgresql://db.example", "t1"), "postgresql://db.example/t1");
  EXPECT_EQ(WithDatabase("postgres://db.example?sslmode=disable", "t1"),
            "postgres://db.example/t1?sslmode=disable");
}

}  // namespace
}  // namespace clinicd::test_util
