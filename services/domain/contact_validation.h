#pragma once

// Checks for the contact details a clinic stores about patients and itself.
// Error messages state the rule and never echo the value, so they can be
// returned to callers and logged without leaking patient data. Each message
// reads as the continuation of a field name: "phone_number " + message.

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clinicd::domain {

// Parses `input` as a phone number and returns it in E.164 form ("+4930...").
// `input` may be international ("+49 30 1234567") or, when `default_region`
// is a supported region code such as "DE", national ("030 1234567"); an empty
// `default_region` accepts only the international form. Only digits, spaces,
// a leading "+" and the separators - ( ) . / are allowed, so extensions,
// vanity letters and surrounding text are refused rather than silently
// dropped. Returns InvalidArgument if the number is not valid, or if
// `default_region` is neither empty nor a supported region code.
absl::StatusOr<std::string> NormalizePhoneNumber(
    absl::string_view input, absl::string_view default_region);

// Returns OK if `address` is a practical, deliverable-looking email address:
// a dot-atom local part of at most 64 characters, "@", and a domain of at
// least two LDH labels with an alphabetic top-level domain, at most 254
// characters in all. Quoted local parts, address literals and non-ASCII
// addresses are refused; returns InvalidArgument stating the broken rule.
absl::Status CheckEmailAddress(absl::string_view address);

// Returns OK if `region` is an uppercase two-letter region code that the phone
// number library has metadata for (e.g. "DE", "US", "GB"); InvalidArgument
// otherwise.
absl::Status CheckRegionCode(absl::string_view region);

}  // namespace clinicd::domain
