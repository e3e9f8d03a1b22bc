#include "services/common/pagination.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd {
namespace {

using ::clinicd::test_util::MessageOf;
using ::clinicd::test_util::ReasonOf;
using ::clinicd::test_util::ViolationFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Asserts `status` is INVALID_ARGUMENT naming exactly `field`.
void ExpectInvalidField(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(ViolationFields(status), ElementsAre(field));
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
  EXPECT_THAT(MessageOf(status), HasSubstr(field + ": "));
}

TEST(EffectivePageSizeTest, ZeroIsTheDefault) {
  EXPECT_EQ(EffectivePageSize(0).value_or(-1), 50);
}

TEST(EffectivePageSizeTest, KeepsSizesInRange) {
  EXPECT_EQ(EffectivePageSize(1).value_or(-1), 1);
  EXPECT_EQ(EffectivePageSize(3).value_or(-1), 3);
  EXPECT_EQ(EffectivePageSize(500).value_or(-1), 500);
}

TEST(EffectivePageSizeTest, CapsAtTheMaximum) {
  EXPECT_EQ(EffectivePageSize(501).value_or(-1), 500);
  EXPECT_EQ(EffectivePageSize(2147483647).value_or(-1), 500);
}

TEST(EffectivePageSizeTest, NegativeIsInvalidNamingPageSize) {
  ExpectInvalidField(EffectivePageSize(-1).status(), "page_size");
  ExpectInvalidField(EffectivePageSize(-2147483647 - 1).status(), "page_size");
}

TEST(PageTokenTest, RoundTripsTheKey) {
  const std::vector<std::string> key = {
      "muller\x1f"
      "anna",
      "01hk153x00abc", ""};
  const std::string token = EncodePageToken(key, "patients:clinics/c1");
  EXPECT_FALSE(token.empty());
  const absl::StatusOr<std::vector<std::string>> decoded =
      DecodePageToken(token, "patients:clinics/c1");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, key);
}

TEST(PageTokenTest, TokenIsUrlSafe) {
  std::string key;
  for (int i = 0; i < 100; ++i) key += "\xc3\xbc?&/+=~";  // "ü?&/+=~"
  const std::string token = EncodePageToken({key}, "x");
  EXPECT_EQ(token.find_first_of("+/=&? "), std::string::npos) << token;
}

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  const absl::StatusOr<std::vector<std::string>> decoded =
      DecodePageToken("", "anything");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(*decoded, IsEmpty());
}

TEST(PageTokenTest, GarbageIsInvalidNamingPageToken) {
  ExpectInvalidField(DecodePageToken("not a token!", "fp").status(),
                     "page_token");
  // Valid base64 of bytes that are not a PageToken.
  ExpectInvalidField(
      DecodePageToken(absl::WebSafeBase64Escape("\xff\xff\xff"), "fp").status(),
      "page_token");
}

TEST(PageTokenTest, TokenOfAnotherQueryIsInvalidNamingPageToken) {
  const std::string token = EncodePageToken({"k"}, "rooms:clinics/c1");
  const absl::Status status =
      DecodePageToken(token, "rooms:clinics/c2").status();
  ExpectInvalidField(status, "page_token");
  EXPECT_THAT(MessageOf(status), HasSubstr("different parameters"));
}

TEST(PageTokenTest, ATokenHidesItsKeyAndCannotBeAltered) {
  const std::string token = EncodePageToken({"lovelace", "p1"}, "patients?clinics/c1");
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &bytes));
  EXPECT_EQ(bytes.find("lovelace"), std::string::npos);
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string altered = bytes;
    altered[i] = static_cast<char>(altered[i] ^ 1);
    ExpectInvalidField(
        DecodePageToken(absl::WebSafeBase64Escape(altered), "patients?clinics/c1").status(),
        "page_token");
  }
}

TEST(PageTokenTest, ATokenSealedWithAnotherKeyIsInvalid) {
  SetPageTokenKey(std::string(32, 'a'));
  const std::string token = EncodePageToken({"k"}, "fp");
  ASSERT_TRUE(DecodePageToken(token, "fp").ok());
  SetPageTokenKey(std::string(32, 'b'));
  ExpectInvalidField(DecodePageToken(token, "fp").status(), "page_token");
  SetPageTokenKey(std::string(32, 'a'));
  EXPECT_TRUE(DecodePageToken(token, "fp").ok()) << "the same key opens it again";
}

}  // namespace
}  // namespace clinicd
