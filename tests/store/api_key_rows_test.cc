// The API key rows: a key is stored with its clinics (an unknown clinic is
// NOT_FOUND, naming it), found by its secret's hash while live, and revoked
// once.

#include "services/store/api_key_rows.h"

#include <gtest/gtest.h>

#include "tests/testing/migrated_store_test.h"

namespace clinicd::store {
namespace {

class ApiKeyRowsTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c2");
    InsertBareClinic("c1");
  }

  ApiKeyRow Key(const std::string& id, std::vector<std::string> clinics) const {
    ApiKeyRow key;
    key.key_id = id;
    key.role = "front_desk";
    key.all_clinics = clinics.empty();
    key.clinic_ids = std::move(clinics);
    key.description = "desk " + id;
    key.create_time = absl::FromUnixSeconds(1'800'000'000);
    return key;
  }
};

TEST_F(ApiKeyRowsTest, AKeyIsFoundByItsHashWithItsClinicsUntilRevoked) {
  ASSERT_OK(db_->Write([&](Transaction& tx) {
    return InsertApiKey(tx, Key("k1", {"c2", "c1"}), "hash-1");
  }));
  ASSERT_OK(db_->Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<ApiKeyRow>> found = FindLiveApiKey(tx, "hash-1");
    if (!found.ok()) return found.status();
    EXPECT_TRUE(found->has_value());
    if (found->has_value()) {
      EXPECT_EQ((*found)->key_id, "k1");
      EXPECT_EQ((*found)->role, "front_desk");
      EXPECT_FALSE((*found)->all_clinics);
      EXPECT_EQ((*found)->clinic_ids, (std::vector<std::string>{"c1", "c2"}));
    }
    EXPECT_EQ(*RevokeApiKeyRow(tx, "k1", absl::FromUnixSeconds(1'800'000'100)), true);
    EXPECT_EQ(*RevokeApiKeyRow(tx, "k1", absl::FromUnixSeconds(1'800'000'200)), false)
        << "a key is revoked once";
    EXPECT_FALSE(*IsApiKeyLive(tx, "k1"));
    EXPECT_FALSE(FindLiveApiKey(tx, "hash-1")->has_value());
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<ApiKeyRow>> keys = ListApiKeyRows(tx);
    if (!keys.ok()) return keys.status();
    EXPECT_EQ(keys->size(), 1u);
    EXPECT_TRUE(keys->front().revoked) << "listed with revoked keys";
    EXPECT_EQ(keys->front().description, "desk k1");
    EXPECT_EQ(keys->front().create_time, absl::FromUnixSeconds(1'800'000'000));
    return absl::OkStatus();
  }));
}

TEST_F(ApiKeyRowsTest, AnUnknownClinicIsNotFoundAndNothingIsStored) {
  absl::Status status = db_->Write([&](Transaction& tx) {
    return InsertApiKey(tx, Key("k1", {"c1", "nowhere"}), "hash-1");
  });
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_EQ(status.message(), "clinic `nowhere` does not exist");
  EXPECT_EQ(CountRows("api_keys"), 0);
}

}  // namespace
}  // namespace clinicd::store
