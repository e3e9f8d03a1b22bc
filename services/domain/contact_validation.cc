#include "services/domain/contact_validation.h"

#include <cstddef>
#include <set>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace clinicd::domain {
namespace {

using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;

// Longer inputs cannot be a formatted E.164 number (at most 15 digits), and
// capping early keeps the parser's work bounded.
constexpr size_t kMaxPhoneInputLength = 64;

// RFC 5321 limits: the whole forward path, and the local part alone.
constexpr size_t kMaxEmailLength = 254;
constexpr size_t kMaxEmailLocalLength = 64;

// RFC 1035 limit on one DNS label.
constexpr size_t kMaxDnsLabelLength = 63;

// The phone rule, naming the national form only when a region makes it usable.
std::string PhoneRule(absl::string_view default_region) {
  std::string rule =
      "must be a valid phone number in E.164 form such as +14155550123";
  if (!default_region.empty()) {
    absl::StrAppend(&rule, " (or national form for region ", default_region,
                    ")");
  }
  return rule;
}

// True if `c` may appear in a written phone number after the leading "+".
// Anything else (letters, "#", ";", ",") would make libphonenumber guess at
// vanity numbers, extensions or surrounding text instead of refusing.
bool IsPhoneChar(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == ' ' ||
         c == '-' || c == '(' || c == ')' || c == '.' || c == '/';
}

// True if `input` uses only the characters of a plainly written number.
bool HasOnlyPhoneChars(absl::string_view input) {
  if (!input.empty() && input.front() == '+') input.remove_prefix(1);
  for (char c : input) {
    if (!IsPhoneChar(c)) return false;
  }
  return true;
}

// The library's region codes, computed once; leaked on purpose so no
// destructor runs during exit while another thread may still validate.
const std::set<std::string>& SupportedRegions() {
  static const std::set<std::string>* const kRegions = [] {
    auto* regions = new std::set<std::string>();
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(regions);
    return regions;
  }();
  return *kRegions;
}

// True if `c` is RFC 5322 "atext": allowed unquoted in a local part.
bool IsAtext(char c) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  static constexpr absl::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != absl::string_view::npos;
}

// An email error: the shared rule, then the specific part that was broken.
absl::Status EmailError(absl::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat(
      "must be an email address of the form name@example.com (", detail, ")"));
}

// Checks the part before "@" as an RFC 5322 dot-atom.
absl::Status CheckLocalPart(absl::string_view local) {
  if (local.size() > kMaxEmailLocalLength) {
    return EmailError("the part before @ is at most 64 characters");
  }
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) {
      return EmailError(
          "the part before @ uses only letters, digits, dots and "
          "!#$%&'*+-/=?^_`{|}~");
    }
  }
  if (local.front() == '.' || local.back() == '.' ||
      local.find("..") != absl::string_view::npos) {
    return EmailError("dots before @ are not first, last or doubled");
  }
  return absl::OkStatus();
}

// True if `label` is a DNS letter-digit-hyphen label of legal length.
bool IsLdhLabel(absl::string_view label) {
  if (label.empty() || label.size() > kMaxDnsLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (c != '-' && !absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// True if `tld` can be a top-level domain: letters only, or an IDN label
// ("xn--p1ai" is .рф), since real ccTLDs are written that way in ASCII.
bool IsTopLevelDomain(absl::string_view tld) {
  if (absl::StartsWithIgnoreCase(tld, "xn--")) return tld.size() > 4;
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Checks the part after "@" as a dotted host name with a real-looking TLD.
absl::Status CheckDomain(absl::string_view domain) {
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) {
    return EmailError("the domain after @ contains a dot, as in example.com");
  }
  for (absl::string_view label : labels) {
    if (!IsLdhLabel(label)) {
      return EmailError(
          "each dot-separated part of the domain is 1 to 63 letters, digits "
          "or hyphens, not starting or ending with a hyphen");
    }
  }
  if (!IsTopLevelDomain(labels.back())) {
    return EmailError("the domain ends in a top-level domain of letters");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> NormalizePhoneNumber(
    absl::string_view input, absl::string_view default_region) {
  if (!default_region.empty()) {
    if (!CheckRegionCode(default_region).ok()) {
      // The caller's region, not the number, is at fault; say so rather than
      // send the user to fix a number that may be fine.
      return absl::InvalidArgumentError(
          "cannot be checked because the default region is not a supported "
          "two-letter uppercase region code such as DE or US");
    }
  }
  const absl::string_view trimmed = absl::StripAsciiWhitespace(input);
  if (trimmed.empty() || trimmed.size() > kMaxPhoneInputLength ||
      !HasOnlyPhoneChars(trimmed)) {
    return absl::InvalidArgumentError(PhoneRule(default_region));
  }

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  // "ZZ" is libphonenumber's "unknown region": only "+" numbers then parse.
  const std::string region =
      default_region.empty() ? "ZZ" : std::string(default_region);
  PhoneNumber number;
  if (util.Parse(std::string(trimmed), region, &number) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(number)) {
    return absl::InvalidArgumentError(PhoneRule(default_region));
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

absl::Status CheckEmailAddress(absl::string_view address) {
  const absl::string_view text = address;
  if (text.size() > kMaxEmailLength) {
    return EmailError("at most 254 characters");
  }
  const size_t at = text.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 == text.size() ||
      text.find('@', at + 1) != absl::string_view::npos) {
    return EmailError("exactly one @ with text on both sides");
  }
  if (absl::Status local = CheckLocalPart(text.substr(0, at)); !local.ok()) {
    return local;
  }
  return CheckDomain(text.substr(at + 1));
}

absl::Status CheckRegionCode(absl::string_view region) {
  // Shape first, so the set lookup only ever sees two uppercase letters.
  const bool two_upper =
      region.size() == 2 &&
      absl::ascii_isupper(static_cast<unsigned char>(region[0])) &&
      absl::ascii_isupper(static_cast<unsigned char>(region[1]));
  if (!two_upper || SupportedRegions().count(std::string(region)) == 0) {
    return absl::InvalidArgumentError(
        "must be a supported two-letter uppercase region code such as DE or "
        "US");
  }
  return absl::OkStatus();
}

}  // namespace clinicd::domain
