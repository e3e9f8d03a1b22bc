#include "services/auth/verified_keys.h"

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/auth/api_keys.h"
#include "tests/testing/migrated_store_test.h"
#include "tests/testing/status_details.h"

namespace clinicd::auth {
namespace {

using ::clinicd::test_util::ReasonOf;

class VerifiedKeysTest : public test_util::MigratedStoreTest {
 protected:
  NewApiKey MustCreate() {
    absl::StatusOr<NewApiKey> key = CreateApiKey(*db_, Role::kFrontDesk, {}, "test key");
    EXPECT_OK(key);
    return key.ok() ? *key : NewApiKey{};
  }
};

TEST_F(VerifiedKeysTest, GivesThePrincipalTheDatabaseGives) {
  const NewApiKey key = MustCreate();
  VerifiedKeys keys;
  for (int i = 0; i < 3; ++i) {  // From the database, then from memory.
    absl::StatusOr<Principal> principal = keys.Authenticate(*db_, key.secret);
    ASSERT_OK(principal);
    EXPECT_EQ(principal->key_id, key.key_id);
    EXPECT_EQ(principal->role, Role::kFrontDesk);
    EXPECT_TRUE(principal->all_clinics);
  }
}

TEST_F(VerifiedKeysTest, AWrongSecretIsRefusedEveryTime) {
  const NewApiKey key = MustCreate();
  VerifiedKeys keys;
  ASSERT_OK(keys.Authenticate(*db_, key.secret));
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<Principal> principal = keys.Authenticate(*db_, key.secret + "x");
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ReasonOf(principal.status()), "INVALID_API_KEY");
  }
}

TEST_F(VerifiedKeysTest, ARevokedKeyStopsWorkingOnceItsEntryExpires) {
  const NewApiKey key = MustCreate();
  VerifiedKeys keys(absl::Milliseconds(200));
  ASSERT_OK(keys.Authenticate(*db_, key.secret));
  // Revoked behind the memory's back, as another process would.
  ASSERT_OK(RevokeApiKey(*db_, key.key_id));
  absl::SleepFor(absl::Milliseconds(250));
  EXPECT_EQ(keys.Authenticate(*db_, key.secret).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(VerifiedKeysTest, WithinItsLifetimeAnEntrySparesTheDatabase) {
  const NewApiKey key = MustCreate();
  VerifiedKeys keys(absl::Hours(1));
  ASSERT_OK(keys.Authenticate(*db_, key.secret));
  ASSERT_OK(RevokeApiKey(*db_, key.key_id));
  // Still remembered: this is what the half-second default bounds.
  EXPECT_OK(keys.Authenticate(*db_, key.secret));
}

TEST_F(VerifiedKeysTest, AFullMemoryStartsOver) {
  const NewApiKey first = MustCreate();
  const NewApiKey second = MustCreate();
  VerifiedKeys keys(absl::Hours(1), /*capacity=*/1);
  ASSERT_OK(keys.Authenticate(*db_, first.secret));
  ASSERT_OK(keys.Authenticate(*db_, second.secret));  // Drops `first`.
  ASSERT_OK(RevokeApiKey(*db_, first.key_id));
  EXPECT_EQ(keys.Authenticate(*db_, first.secret).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace clinicd::auth
