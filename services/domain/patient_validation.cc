#include "services/domain/patient_validation.h"

#include <google/protobuf/util/time_util.h>
#include <unicode/locid.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"
#include "services/domain/field_rules.h"

namespace clinicd::domain {
namespace {

void CheckBirthDate(FieldViolations& violations, const std::string& field,
                    const google::type::Date& date, absl::Time now) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  const bool real = date.year() >= 1900 && date.month() >= 1 && date.month() <= 12 &&
                    date.day() >= 1 && day.year() == date.year() &&
                    day.month() == date.month() && day.day() == date.day();
  if (!real) {
    violations.Add(field, "must be a real calendar date from 1900 on");
    return;
  }
  // A day ahead of UTC covers every time zone's "today".
  if (day > absl::ToCivilDay(now, absl::UTCTimeZone()) + 1) {
    violations.Add(field, "must not be in the future");
  }
}

void CheckLanguageTag(FieldViolations& violations, const std::string& field,
                      const std::string& tag) {
  if (tag.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || locale.getLanguage()[0] == '\0') {
    violations.Add(field, "must be a BCP 47 language tag such as `de` or `en-GB`");
  }
}

void StampChannelConsents(FieldViolations& violations, const std::string& prefix,
                          const clinic::v1::Patient* previous, absl::Time now,
                          clinic::v1::Patient& patient) {
  std::set<int> seen;
  for (int i = 0; i < patient.channel_consents_size(); ++i) {
    auto* consent = patient.mutable_channel_consents(i);
    const std::string field = absl::StrCat(prefix, ".channel_consents[", i, "]");
    if (consent->channel() == clinic::v1::NOTIFICATION_CHANNEL_UNSPECIFIED ||
        !clinic::v1::NotificationChannel_IsValid(consent->channel())) {
      violations.Add(field + ".channel", "must be EMAIL, SMS or WEBHOOK");
      continue;
    }
    if (!seen.insert(consent->channel()).second) {
      violations.Add(field + ".channel", "is listed twice");
      continue;
    }
    // record_time is output only: keep the earlier one if the choice stands.
    const clinic::v1::ChannelConsent* before = nullptr;
    if (previous != nullptr) {
      for (const auto& old : previous->channel_consents()) {
        if (old.channel() == consent->channel()) before = &old;
      }
    }
    if (before != nullptr && before->opted_in() == consent->opted_in()) {
      *consent->mutable_record_time() = before->record_time();
    } else {
      *consent->mutable_record_time() = ToProtoTime(now);
    }
  }
}

}  // namespace

absl::Status ValidatePatient(const std::string& prefix,
                             const clinic::v1::Clinic& clinic,
                             const clinic::v1::Patient* previous, absl::Time now,
                             clinic::v1::Patient& patient) {
  FieldViolations violations;
  RequireText(violations, prefix + ".given_name", patient.given_name(), 100);
  RequireText(violations, prefix + ".family_name", patient.family_name(), 100);
  if (patient.has_birth_date()) {
    CheckBirthDate(violations, prefix + ".birth_date", patient.birth_date(), now);
  }
  NormalizePhone(violations, prefix + ".phone_number", clinic.region_code(),
                 *patient.mutable_phone_number());
  CheckOptionalEmail(violations, prefix + ".email", patient.email());
  CheckLanguageTag(violations, prefix + ".preferred_language",
                   patient.preferred_language());
  StampChannelConsents(violations, prefix, previous, now, patient);
  return violations.ToStatus();
}

}  // namespace clinicd::domain
