#include "services/domain/contact_validation.h"

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Asserts `status` is InvalidArgument and its message does not repeat `input`,
// since messages reach logs and callers and inputs are patient data.
void ExpectRefusedWithoutEcho(const absl::Status& status,
                              absl::string_view input) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << input;
  if (!input.empty()) {
    EXPECT_THAT(std::string(status.message()),
                Not(HasSubstr(std::string(input))));
  }
}

// --- NormalizePhoneNumber --------------------------------------------------

// Returns the normalized number, or the status text so a failure shows why.
std::string Normalized(absl::string_view input, absl::string_view region) {
  const absl::StatusOr<std::string> result =
      NormalizePhoneNumber(input, region);
  return result.ok() ? *result : "error: " + result.status().ToString();
}

TEST(NormalizePhoneNumberTest, AcceptsE164WithoutRegion) {
  EXPECT_EQ(Normalized("+4930123456", ""), "+4930123456");
}

TEST(NormalizePhoneNumberTest, AcceptsFormattedInternationalForm) {
  EXPECT_EQ(Normalized("+49 (30) 123-456", ""), "+4930123456");
  EXPECT_EQ(Normalized("  +44 20 7946 0018  ", "DE"), "+442079460018");
}

TEST(NormalizePhoneNumberTest, AcceptsNationalFormInDefaultRegion) {
  EXPECT_EQ(Normalized("030 123456", "DE"), "+4930123456");
  EXPECT_EQ(Normalized("07400 123456", "GB"), "+447400123456");
  EXPECT_EQ(Normalized("(415) 555-0123", "US"), "+14155550123");
}

TEST(NormalizePhoneNumberTest, AcceptsInternationalDialingPrefixOfRegion) {
  EXPECT_EQ(Normalized("00 49 30 123456", "DE"), "+4930123456");
}

TEST(NormalizePhoneNumberTest, InternationalFormIgnoresDefaultRegion) {
  EXPECT_EQ(Normalized("+4930123456", "US"), "+4930123456");
}

TEST(NormalizePhoneNumberTest, RefusesNationalFormWithoutRegion) {
  const absl::StatusOr<std::string> result =
      NormalizePhoneNumber("030 123456", "");
  ExpectRefusedWithoutEcho(result.status(), "030 123456");
  EXPECT_EQ(result.status().message(),
            "must be a valid phone number in E.164 form such as "
            "+14155550123");
}

TEST(NormalizePhoneNumberTest, MessageNamesRegionWhenGiven) {
  const absl::StatusOr<std::string> result =
      NormalizePhoneNumber("020 79", "GB");
  ExpectRefusedWithoutEcho(result.status(), "020 79");
  EXPECT_EQ(result.status().message(),
            "must be a valid phone number in E.164 form such as "
            "+14155550123 (or national form for region GB)");
}

TEST(NormalizePhoneNumberTest, RefusesTooShort) {
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("+123", "").status(), "+123");
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("+49 30 12", "").status(),
                           "+49 30 12");
}

TEST(NormalizePhoneNumberTest, RefusesTooLong) {
  const std::string input = "+49" + std::string(70, '1');
  ExpectRefusedWithoutEcho(NormalizePhoneNumber(input, "DE").status(), input);
}

TEST(NormalizePhoneNumberTest, RefusesEmptyAndBlank) {
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("", "DE").status(), "");
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("   ", "DE").status(), "");
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("+", "").status(), "");
}

TEST(NormalizePhoneNumberTest, RefusesLettersThatLibphonenumberWouldMap) {
  // libphonenumber maps vanity letters to digits; a clinic form should not.
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("+1 415 555 CALL", "").status(),
                           "CALL");
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("030 12345a", "DE").status(),
                           "12345a");
}

TEST(NormalizePhoneNumberTest, RefusesSurroundingTextAndExtensions) {
  // These parse in libphonenumber, which would drop the text or extension.
  ExpectRefusedWithoutEcho(
      NormalizePhoneNumber("Tel: +49 30 123456", "").status(), "Tel");
  ExpectRefusedWithoutEcho(
      NormalizePhoneNumber("+49 30 123456 ext. 12", "").status(), "ext");
  ExpectRefusedWithoutEcho(
      NormalizePhoneNumber("+49 30 123456#12", "").status(), "#12");
  ExpectRefusedWithoutEcho(
      NormalizePhoneNumber("tel:+49-30-123456", "").status(), "tel:");
}

TEST(NormalizePhoneNumberTest, RefusesPlusAfterStart) {
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("49+30123456", "DE").status(),
                           "49+30123456");
}

TEST(NormalizePhoneNumberTest, NorthAmerican555NumbersFollowTheNumberingPlan) {
  // 555-01xx in a real area code is the fictional range and is still a
  // well-formed NANP number, so it is accepted (and is the message's example).
  EXPECT_EQ(Normalized("+1 415 555 0123", ""), "+14155550123");
  EXPECT_EQ(Normalized("+1 212 555 1234", ""), "+12125551234");
  // 555 is not an assigned area code, so +1 555 ... is invalid.
  ExpectRefusedWithoutEcho(NormalizePhoneNumber("+1 555 555 5555", "").status(),
                           "555 555 5555");
}

TEST(NormalizePhoneNumberTest, RefusesUnknownDefaultRegion) {
  for (absl::string_view region : {"XX", "de", "ZZ", "001", "DEU"}) {
    const absl::StatusOr<std::string> result =
        NormalizePhoneNumber("+4930123456", region);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << region;
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr("default region"));
  }
}

// --- CheckEmailAddress -----------------------------------------------------

TEST(CheckEmailAddressTest, AcceptsOrdinaryAddresses) {
  for (absl::string_view address :
       {"anna@example.com", "Anna.Schmidt@praxis-berlin.de", "a@b.co",
        "first.last@sub.domain.example.org", "o'brien@example.ie",
        "x_y-z@example.com", "user@xn--80ak6aa92e.xn--p1ai"}) {
    EXPECT_TRUE(CheckEmailAddress(address).ok()) << address;
  }
}

TEST(CheckEmailAddressTest, AcceptsPlusAddressingAndOtherAtext) {
  EXPECT_TRUE(CheckEmailAddress("anna+clinic@example.com").ok());
  EXPECT_TRUE(CheckEmailAddress("!#$%&'*+-/=?^_`{|}~@example.com").ok());
}

TEST(CheckEmailAddressTest, RefusesMissingOrRepeatedAt) {
  for (absl::string_view address :
       {"anna.example.com", "@praxis.de", "anna@", "anna@@example.com",
        "anna@x@example.com", ""}) {
    ExpectRefusedWithoutEcho(CheckEmailAddress(address), address);
  }
}

TEST(CheckEmailAddressTest, RefusesBadDotsInLocalPart) {
  for (absl::string_view address : {"anna..schmidt@example.com",
                                   ".anna@example.com", "anna.@example.com"}) {
    ExpectRefusedWithoutEcho(CheckEmailAddress(address), address);
  }
}

TEST(CheckEmailAddressTest, RefusesSpacesQuotesAndNonAscii) {
  for (absl::string_view address :
       {"anna schmidt@example.com", " anna@example.com", "anna@example.com ",
        "anna@exa mple.com", "\"anna\"@example.com", "anna(x)@example.com",
        "jörg@example.com", "anna@bücher.de"}) {
    ExpectRefusedWithoutEcho(CheckEmailAddress(address), address);
  }
}

TEST(CheckEmailAddressTest, LocalPartLengthBoundary) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(CheckEmailAddress(local64 + "@example.com").ok());
  const std::string local65(65, 'a');
  ExpectRefusedWithoutEcho(CheckEmailAddress(local65 + "@example.com"),
                           local65);
}

TEST(CheckEmailAddressTest, DomainLabelLengthBoundary) {
  const std::string label63(63, 'b');
  EXPECT_TRUE(CheckEmailAddress("anna@" + label63 + ".com").ok());
  const std::string label64(64, 'b');
  ExpectRefusedWithoutEcho(CheckEmailAddress("anna@" + label64 + ".com"),
                           label64);
}

TEST(CheckEmailAddressTest, TotalLengthBoundary) {
  // 64 + 1 + 189 = 254 characters, the most allowed.
  const std::string local(64, 'a');
  const std::string domain = std::string(63, 'b') + "." + std::string(63, 'c') +
                             "." + std::string(57, 'd') + ".com";
  ASSERT_EQ(local.size() + 1 + domain.size(), 254u);
  EXPECT_TRUE(CheckEmailAddress(local + "@" + domain).ok());
  ExpectRefusedWithoutEcho(CheckEmailAddress(local + "@e" + domain), domain);
}

TEST(CheckEmailAddressTest, RefusesBadDomains) {
  for (absl::string_view address :
       {"anna@example.com.", "anna@.example.com", "anna@example..com",
        "anna@localhost", "anna@-example.com", "anna@example-.com",
        "anna@exa_mple.com", "anna@example.c", "anna@example.c0m",
        "anna@192.168.0.1", "anna@[192.168.0.1]", "anna@example.xn--"}) {
    ExpectRefusedWithoutEcho(CheckEmailAddress(address), address);
  }
}

TEST(CheckEmailAddressTest, MessageStatesTheRule) {
  EXPECT_EQ(CheckEmailAddress("anna..schmidt@example.com").message(),
            "must be an email address of the form name@example.com (dots "
            "before @ are not first, last or doubled)");
}

// --- CheckRegionCode -------------------------------------------------------

TEST(CheckRegionCodeTest, AcceptsKnownRegions) {
  for (absl::string_view region : {"DE", "US", "GB", "AT", "CH", "FR"}) {
    EXPECT_TRUE(CheckRegionCode(region).ok()) << region;
  }
}

TEST(CheckRegionCodeTest, RefusesUnknownOrMisshapenCodes) {
  // Region codes are configuration, not patient data, and are too short for
  // an echo check to mean anything; only the code is asserted.
  for (absl::string_view region :
       {"", "D", "de", "De", "DEU", "XX", "ZZ", "001", "UK", " DE"}) {
    EXPECT_EQ(CheckRegionCode(region).code(),
              absl::StatusCode::kInvalidArgument)
        << region;
  }
  EXPECT_EQ(CheckRegionCode("XX").message(),
            "must be a supported two-letter uppercase region code such as DE "
            "or US");
}

}  // namespace
}  // namespace clinicd::domain
