#include "services/resources/resource_fields.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd::resources {
namespace {

using ::clinic::v1::Clinic;
using ::clinicd::test_util::ErrorInfoOf;
using ::clinicd::test_util::MessageOf;
using ::clinicd::test_util::ViolationFields;
using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<absl::string_view> kMutable = {
    "display_name", "time_zone", "address_lines", "email", "policy"};

FieldMask Mask(std::vector<std::string> paths) {
  FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

std::vector<std::string> Paths(const FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

// The effective paths, or the status text so a failure shows why.
std::vector<std::string> Effective(const Clinic& patch, const FieldMask& mask) {
  absl::StatusOr<FieldMask> effective =
      EffectiveUpdateMask(patch, mask, kMutable);
  if (!effective.ok()) return {"error: " + effective.status().ToString()};
  return Paths(*effective);
}

// Asserts the mask is refused naming update_mask and `path`.
void ExpectMaskRefused(const std::vector<std::string>& paths,
                       const std::string& path) {
  const absl::Status status =
      EffectiveUpdateMask(Clinic(), Mask(paths), kMutable).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
  EXPECT_THAT(ViolationFields(status), ElementsAre("update_mask")) << path;
  EXPECT_THAT(MessageOf(status), HasSubstr("`" + path + "`"));
  EXPECT_THAT(MessageOf(status),
              HasSubstr("updatable: display_name, time_zone, address_lines, "
                        "email, policy"));
}

TEST(EffectiveUpdateMaskTest, StarMeansEveryMutableField) {
  EXPECT_THAT(Effective(Clinic(), Mask({"*"})),
              ElementsAre("display_name", "time_zone", "address_lines", "email",
                          "policy"));
}

TEST(EffectiveUpdateMaskTest, EmptyMaskMeansTheMutableFieldsSetInThePatch) {
  Clinic patch;
  patch.set_name("clinics/c1");  // set, but not mutable: ignored
  patch.set_etag("3");
  patch.set_email("info@example.com");
  patch.set_display_name("Hautzentrum");
  EXPECT_THAT(Effective(patch, Mask({})), ElementsAre("display_name", "email"));
  EXPECT_THAT(Effective(Clinic(), Mask({})), ElementsAre());
}

TEST(EffectiveUpdateMaskTest, ExplicitPathsAreKept) {
  EXPECT_THAT(Effective(Clinic(), Mask({"email", "display_name"})),
              ElementsAre("email", "display_name"));
}

TEST(EffectiveUpdateMaskTest, NestedPathOfMutableMessageIsAllowed) {
  EXPECT_THAT(Effective(Clinic(), Mask({"policy.require_consent_at_booking"})),
              ElementsAre("policy.require_consent_at_booking"));
}

TEST(EffectiveUpdateMaskTest, UnknownPathIsRefused) {
  ExpectMaskRefused({"colour"}, "colour");
  ExpectMaskRefused({"email", "policy.no_such_field"}, "policy.no_such_field");
  ExpectMaskRefused({"display_name_x"}, "display_name_x");
}

TEST(EffectiveUpdateMaskTest, ImmutablePathIsRefused) {
  ExpectMaskRefused({"name"}, "name");
  ExpectMaskRefused({"etag"}, "etag");
  ExpectMaskRefused({"display_name", "create_time"}, "create_time");
  ExpectMaskRefused({"region_code"}, "region_code");
  ExpectMaskRefused({"*", "email"}, "*");
}

TEST(ApplyUpdateMaskTest, CopiesOnlyMaskedFields) {
  Clinic target;
  target.set_display_name("Old");
  target.set_email("old@example.com");
  Clinic patch;
  patch.set_display_name("New");
  patch.set_email("new@example.com");
  ApplyUpdateMask(patch, Mask({"display_name"}), target);
  EXPECT_EQ(target.display_name(), "New");
  EXPECT_EQ(target.email(), "old@example.com");
}

TEST(ApplyUpdateMaskTest, MaskedEmptyFieldClearsIt) {
  Clinic target;
  target.set_email("old@example.com");
  ApplyUpdateMask(Clinic(), Mask({"email"}), target);
  EXPECT_EQ(target.email(), "");
}

TEST(ApplyUpdateMaskTest, ReplacesRepeatedFieldsRatherThanAppending) {
  Clinic target;
  target.add_address_lines("Hauptstr. 1");
  target.add_address_lines("10115 Berlin");
  Clinic patch;
  patch.add_address_lines("Ring 2");
  ApplyUpdateMask(patch, Mask({"address_lines"}), target);
  EXPECT_THAT(target.address_lines(), ElementsAre("Ring 2"));
}

TEST(ApplyUpdateMaskTest, ReplacesMessageFieldsAsAWhole) {
  Clinic target;
  target.mutable_policy()->mutable_quiet_hours_start()->set_hours(21);
  target.mutable_policy()->mutable_quiet_hours_end()->set_hours(8);
  Clinic patch;
  patch.mutable_policy()->set_require_consent_at_booking(true);
  ApplyUpdateMask(patch, Mask({"policy"}), target);
  EXPECT_TRUE(target.policy().require_consent_at_booking());
  EXPECT_FALSE(target.policy().has_quiet_hours_start());
  EXPECT_FALSE(target.policy().has_quiet_hours_end());
}

TEST(ApplyUpdateMaskTest, NestedPathChangesOnlyThatSubfield) {
  Clinic target;
  target.mutable_policy()->mutable_quiet_hours_start()->set_hours(21);
  Clinic patch;
  patch.mutable_policy()->set_require_consent_at_booking(true);
  ApplyUpdateMask(patch, Mask({"policy.require_consent_at_booking"}), target);
  EXPECT_TRUE(target.policy().require_consent_at_booking());
  EXPECT_EQ(target.policy().quiet_hours_start().hours(), 21);
}

TEST(CheckEtagTest, EmptyOrCurrentEtagPasses) {
  EXPECT_EQ(CheckEtag("", 3, "clinics/c1"), absl::OkStatus());
  EXPECT_EQ(CheckEtag("3", 3, "clinics/c1"), absl::OkStatus());
}

TEST(CheckEtagTest, MismatchIsAbortedWithEtagMismatch) {
  const absl::Status status = CheckEtag("2", 3, "clinics/c1");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  const google::rpc::ErrorInfo info = ErrorInfoOf(status);
  EXPECT_EQ(info.reason(), "ETAG_MISMATCH");
  EXPECT_EQ(info.metadata().at("current_etag"), "3");
  EXPECT_THAT(MessageOf(status), HasSubstr("clinics/c1"));
  EXPECT_EQ(CheckEtag("03", 3, "clinics/c1").code(),
            absl::StatusCode::kAborted);
}

TEST(EtagTest, SetAndGetUseTheEtagField) {
  Clinic clinic;
  SetEtag(clinic, 7);
  EXPECT_EQ(clinic.etag(), "7");
  EXPECT_EQ(GetEtag(clinic), "7");
  EXPECT_EQ(EtagOf(12), "12");
  // A message without an etag field is left alone.
  clinic::v1::TimeOff period;
  SetEtag(period, 7);
  EXPECT_EQ(GetEtag(period), "");
}

TEST(StampTest, CreatedSetsNameAndTimesAndClearsEtag) {
  Clinic clinic;
  clinic.set_name("clinics/chosen-by-caller");
  clinic.set_etag("9");
  const absl::Time now = absl::FromUnixMicros(1704067200123456);
  StampCreated(clinic, "clinics/c1", now);
  EXPECT_EQ(GetName(clinic), "clinics/c1");
  EXPECT_EQ(clinic.etag(), "");
  EXPECT_EQ(clinic.create_time().seconds(), 1704067200);
  EXPECT_EQ(clinic.create_time().nanos(), 123456000);
  EXPECT_TRUE(
      MessageDifferencer::Equals(clinic.create_time(), clinic.update_time()));
  StampUpdated(clinic, now + absl::Seconds(5));
  EXPECT_EQ(clinic.update_time().seconds(), 1704067205);
  EXPECT_EQ(clinic.create_time().seconds(), 1704067200);
}

TEST(StoredBytesTest, ExcludesTheEtag) {
  Clinic clinic;
  clinic.set_name("clinics/c1");
  clinic.set_display_name("Hautzentrum");
  Clinic with_etag = clinic;
  with_etag.set_etag("42");
  EXPECT_EQ(StoredBytes(with_etag), StoredBytes(clinic));
  Clinic parsed;
  ASSERT_TRUE(parsed.ParseFromString(StoredBytes(with_etag)));
  EXPECT_EQ(parsed.etag(), "");
  EXPECT_EQ(parsed.display_name(), "Hautzentrum");
  EXPECT_EQ(with_etag.etag(), "42");  // the input is not changed
}

TEST(StoredBytesTest, IsDeterministicForMaps) {
  // Map order depends on insertion history unless serialization is
  // deterministic; ErrorInfo has a map field.
  google::rpc::ErrorInfo forward;
  google::rpc::ErrorInfo backward;
  for (int i = 0; i < 64; ++i) {
    (*forward.mutable_metadata())["key" + std::to_string(i)] = "v";
    (*backward.mutable_metadata())["key" + std::to_string(63 - i)] = "v";
  }
  EXPECT_EQ(StoredBytes(forward), StoredBytes(backward));
  EXPECT_EQ(RequestDigest(forward), RequestDigest(backward));
  EXPECT_EQ(StoredBytes(forward), StoredBytes(forward));
}

TEST(RequestDigestTest, DiffersWhenTheRequestDiffers) {
  clinic::v1::CreateClinicRequest a;
  a.set_request_id("r1");
  clinic::v1::CreateClinicRequest b = a;
  EXPECT_EQ(RequestDigest(a), RequestDigest(b));
  EXPECT_EQ(RequestDigest(a).size(), 32u);
  b.mutable_clinic()->set_display_name("x");
  EXPECT_NE(RequestDigest(a), RequestDigest(b));
}

}  // namespace
}  // namespace clinicd::resources
