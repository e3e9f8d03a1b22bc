#include "services/common/resource_name.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_details.h"

namespace clinicd {
namespace {

using ::clinicd::test_util::MessageOf;
using ::clinicd::test_util::ViolationFields;
using ::testing::ElementsAre;

constexpr absl::string_view kPatient[] = {"clinics", "patients"};
constexpr absl::string_view kTimeOff[] = {"clinics", "practitioners",
                                          "timeOff"};

// Asserts `name` is refused as a patient name naming field `name`.
void ExpectRefusedPatientName(absl::string_view name) {
  const absl::Status status =
      ParseResourceName("name", name, kPatient).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
  EXPECT_THAT(ViolationFields(status), ElementsAre("name")) << name;
  EXPECT_EQ(MessageOf(status),
            "name: must be a resource name of the form "
            "clinics/{clinic}/patients/{patient}")
      << name;
}

TEST(ParseResourceNameTest, ReturnsTheIdsInOrder) {
  const absl::StatusOr<std::vector<std::string>> ids =
      ParseResourceName("name", "clinics/c1/patients/p-2_x", kPatient);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_THAT(*ids, ElementsAre("c1", "p-2_x"));
}

TEST(ParseResourceNameTest, RefusesWrongCollection) {
  ExpectRefusedPatientName("clinics/c1/rooms/p1");
  ExpectRefusedPatientName("clinic/c1/patients/p1");
}

TEST(ParseResourceNameTest, RefusesExtraOrMissingSegments) {
  ExpectRefusedPatientName("clinics/c1/patients/p1/extra");
  ExpectRefusedPatientName("clinics/c1/patients/p1/");
  ExpectRefusedPatientName("/clinics/c1/patients/p1");
  ExpectRefusedPatientName("clinics/c1/patients");
  ExpectRefusedPatientName("clinics/c1");
  ExpectRefusedPatientName("");
}

TEST(ParseResourceNameTest, RefusesEmptyIds) {
  ExpectRefusedPatientName("clinics//patients/p1");
  ExpectRefusedPatientName("clinics/c1/patients/");
}

TEST(ParseResourceNameTest, RefusesUppercaseAndOtherCharacters) {
  ExpectRefusedPatientName("clinics/C1/patients/p1");
  ExpectRefusedPatientName("clinics/c1/patients/P1");
  ExpectRefusedPatientName("clinics/c1/patients/p.1");
  ExpectRefusedPatientName("clinics/c1/patients/p%201");
}

TEST(ParseResourceNameTest, ErrorNamesTheGivenFieldAndPattern) {
  const absl::Status status =
      ParseResourceName("parent", "clinics/c1", kTimeOff).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(status), ElementsAre("parent"));
  EXPECT_EQ(MessageOf(status),
            "parent: must be a resource name of the form "
            "clinics/{clinic}/practitioners/{practitioner}/timeOff/{timeOff}");
}

TEST(FormatResourceNameTest, JoinsCollectionsAndIds) {
  EXPECT_EQ(
      FormatResourceName(kTimeOff, std::vector<std::string>{"c1", "p1", "t1"}),
      "clinics/c1/practitioners/p1/timeOff/t1");
  EXPECT_EQ(FormatResourceName(kPatient, std::vector<std::string>{"c1", "p1"}),
            "clinics/c1/patients/p1");
}

TEST(FormatResourceNameTest, RoundTripsThroughParse) {
  const std::string name =
      FormatResourceName(kPatient, std::vector<std::string>{"c1", "p1"});
  const absl::StatusOr<std::vector<std::string>> ids =
      ParseResourceName("name", name, kPatient);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_THAT(*ids, ElementsAre("c1", "p1"));
}

TEST(IsValidResourceIdTest, AcceptsOneTo63LowercaseCharacters) {
  EXPECT_TRUE(IsValidResourceId("a"));
  EXPECT_TRUE(IsValidResourceId("01hk153x00abcdefghjkmnpqrs"));
  EXPECT_TRUE(IsValidResourceId(std::string(63, 'z')));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'z')));
  EXPECT_FALSE(IsValidResourceId("Abc"));
  EXPECT_FALSE(IsValidResourceId("a b"));
  EXPECT_FALSE(IsValidResourceId("a/b"));
}

}  // namespace
}  // namespace clinicd
