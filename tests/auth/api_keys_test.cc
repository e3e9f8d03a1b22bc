#include "services/auth/api_keys.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/digest.h"
#include "tests/testing/migrated_store_test.h"
#include "tests/testing/status_details.h"

namespace clinicd::auth {
namespace {

using ::clinicd::test_util::ReasonOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ApiKeysTest : public test_util::MigratedStoreTest {
 protected:
  // The stored secret_sha256 of `key_id`, or "<missing>".
  std::string StoredHash(const std::string& key_id) {
    std::string hash = "<missing>";
    EXPECT_OK(db_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Statement> stmt =
          tx.Prepare("SELECT secret_sha256 FROM api_keys WHERE key_id = ?1");
      if (!stmt.ok()) return stmt.status();
      stmt->BindText(1, key_id);
      absl::StatusOr<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (*row) hash = stmt->ColumnBlob(0);
      return absl::OkStatus();
    }));
    return hash;
  }

  // Creates a key and fails the test when that fails.
  NewApiKey MustCreate(Role role,
                       const std::vector<std::string>& clinic_ids = {}) {
    absl::StatusOr<NewApiKey> key =
        CreateApiKey(*db_, role, clinic_ids, "test key");
    EXPECT_OK(key);
    return key.ok() ? *key : NewApiKey{};
  }
};

// Asserts `principal` is the UNAUTHENTICATED INVALID_API_KEY refusal.
void ExpectUnauthenticated(const absl::StatusOr<Principal>& principal) {
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReasonOf(principal.status()), "INVALID_API_KEY");
}

TEST_F(ApiKeysTest, CreateReturnsAPrefixedSecret) {
  const NewApiKey key = MustCreate(Role::kFrontDesk);
  EXPECT_TRUE(absl::StartsWith(key.secret, "clinicd_")) << key.secret;
  EXPECT_GE(key.secret.size(), 8u + 43u);  // prefix + base64 of 32 bytes
  EXPECT_TRUE(absl::StartsWith(key.key_id, "key_")) << key.key_id;
  EXPECT_EQ(key.key_id.size(), 4u + 26u);
}

TEST_F(ApiKeysTest, StoresOnlyTheHashOfTheSecret) {
  const NewApiKey key = MustCreate(Role::kFrontDesk);
  const std::string stored = StoredHash(key.key_id);
  EXPECT_NE(stored, key.secret);
  EXPECT_EQ(stored, Sha256(key.secret));
  EXPECT_EQ(stored.size(), 32u);
  EXPECT_EQ(CountRows("api_keys"), 1);
}

TEST_F(ApiKeysTest, TwoKeysGetDifferentSecretsAndIds) {
  const NewApiKey first = MustCreate(Role::kAdmin);
  const NewApiKey second = MustCreate(Role::kAdmin);
  EXPECT_NE(first.secret, second.secret);
  EXPECT_NE(first.key_id, second.key_id);
}

TEST_F(ApiKeysTest, AuthenticatesWithRoleAndAllClinics) {
  const NewApiKey key = MustCreate(Role::kClinician);
  const absl::StatusOr<Principal> principal =
      AuthenticateSecret(*db_, key.secret);
  ASSERT_OK(principal);
  EXPECT_EQ(principal->key_id, key.key_id);
  EXPECT_EQ(principal->role, Role::kClinician);
  EXPECT_TRUE(principal->all_clinics);
  EXPECT_THAT(principal->clinic_ids, IsEmpty());
  EXPECT_TRUE(principal->CanAccessClinic("any"));
}

TEST_F(ApiKeysTest, WrongSecretIsUnauthenticated) {
  const NewApiKey key = MustCreate(Role::kAdmin);
  ExpectUnauthenticated(AuthenticateSecret(*db_, key.secret + "x"));
  ExpectUnauthenticated(AuthenticateSecret(*db_, "clinicd_wrong"));
  ExpectUnauthenticated(AuthenticateSecret(*db_, key.secret.substr(8)));
  ExpectUnauthenticated(AuthenticateSecret(*db_, ""));
}

TEST_F(ApiKeysTest, RevokedKeyIsUnauthenticated) {
  const NewApiKey key = MustCreate(Role::kAdmin);
  ASSERT_OK(AuthenticateSecret(*db_, key.secret));
  ASSERT_OK(RevokeApiKey(*db_, key.key_id));
  ExpectUnauthenticated(AuthenticateSecret(*db_, key.secret));
}

TEST_F(ApiKeysTest, RevokingTwiceIsNotFound) {
  const NewApiKey key = MustCreate(Role::kAdmin);
  EXPECT_OK(RevokeApiKey(*db_, key.key_id));
  EXPECT_EQ(RevokeApiKey(*db_, key.key_id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RevokeApiKey(*db_, "key_nope").code(), absl::StatusCode::kNotFound);
}

TEST_F(ApiKeysTest, RevokingOneKeyLeavesOthersLive) {
  const NewApiKey revoked = MustCreate(Role::kAdmin);
  const NewApiKey live = MustCreate(Role::kAdmin);
  ASSERT_OK(RevokeApiKey(*db_, revoked.key_id));
  EXPECT_OK(AuthenticateSecret(*db_, live.secret));
}

TEST_F(ApiKeysTest, KeyForMissingClinicIsNotFoundAndWritesNothing) {
  InsertBareClinic("c1");
  const absl::StatusOr<NewApiKey> key =
      CreateApiKey(*db_, Role::kFrontDesk, {"c1", "nope"}, "front desk");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound) << key.status();
  EXPECT_EQ(CountRows("api_keys"), 0);
  EXPECT_EQ(CountRows("api_key_clinics"), 0);
}

TEST_F(ApiKeysTest, LimitedKeySeesOnlyItsClinics) {
  InsertBareClinic("c1");
  InsertBareClinic("c2");
  InsertBareClinic("c3");
  const NewApiKey key = MustCreate(Role::kFrontDesk, {"c3", "c1"});
  const absl::StatusOr<Principal> principal =
      AuthenticateSecret(*db_, key.secret);
  ASSERT_OK(principal);
  EXPECT_FALSE(principal->all_clinics);
  EXPECT_THAT(principal->clinic_ids, ElementsAre("c1", "c3"));
  EXPECT_TRUE(principal->CanAccessClinic("c1"));
  EXPECT_TRUE(principal->CanAccessClinic("c3"));
  EXPECT_FALSE(principal->CanAccessClinic("c2"));
  EXPECT_OK(CheckClinicAccess(*principal, "c1"));
  EXPECT_EQ(CheckClinicAccess(*principal, "c2").code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ApiKeysTest, DeletingTheClinicNarrowsTheKeyToNothing) {
  InsertBareClinic("c1");
  InsertBareClinic("c2");
  const NewApiKey key = MustCreate(Role::kFrontDesk, {"c1"});
  ASSERT_OK(store::ExecWrite(*db_, "DELETE FROM clinics WHERE id = 'c1'"));
  EXPECT_EQ(CountRows("api_key_clinics"), 0);
  const absl::StatusOr<Principal> principal =
      AuthenticateSecret(*db_, key.secret);
  ASSERT_OK(principal);
  EXPECT_FALSE(principal->all_clinics);
  EXPECT_THAT(principal->clinic_ids, IsEmpty());
  EXPECT_FALSE(principal->CanAccessClinic("c1"));
  EXPECT_FALSE(principal->CanAccessClinic("c2"));
}

TEST_F(ApiKeysTest, ListShowsKeysWithoutSecrets) {
  InsertBareClinic("c1");
  const NewApiKey admin = MustCreate(Role::kAdmin);
  const NewApiKey desk = MustCreate(Role::kFrontDesk, {"c1"});
  ASSERT_OK(RevokeApiKey(*db_, admin.key_id));
  const absl::StatusOr<std::vector<ApiKeyInfo>> keys = ListApiKeys(*db_);
  ASSERT_OK(keys);
  ASSERT_EQ(keys->size(), 2u);
  for (const ApiKeyInfo& info : *keys) {
    EXPECT_EQ(info.description, "test key");
    if (info.principal.key_id == admin.key_id) {
      EXPECT_EQ(info.principal.role, Role::kAdmin);
      EXPECT_TRUE(info.principal.all_clinics);
      EXPECT_TRUE(info.revoked);
    } else {
      EXPECT_EQ(info.principal.key_id, desk.key_id);
      EXPECT_EQ(info.principal.role, Role::kFrontDesk);
      EXPECT_FALSE(info.principal.all_clinics);
      EXPECT_THAT(info.principal.clinic_ids, ElementsAre("c1"));
      EXPECT_FALSE(info.revoked);
    }
  }
}

// api_keys.h: ListApiKeys returns "every key, oldest first".
TEST_F(ApiKeysTest, ListIsOldestFirst) {
  std::vector<std::string> created;
  for (int i = 0; i < 20; ++i)
    created.push_back(MustCreate(Role::kAdmin).key_id);
  const absl::StatusOr<std::vector<ApiKeyInfo>> keys = ListApiKeys(*db_);
  ASSERT_OK(keys);
  std::vector<std::string> listed;
  for (const ApiKeyInfo& info : *keys) listed.push_back(info.principal.key_id);
  EXPECT_EQ(listed, created);
}

}  // namespace
}  // namespace clinicd::auth
