#include "services/patient/patient_search.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/domain/contact_validation.h"
#include "services/domain/name_search.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/list_query.h"
#include "services/resources/resource_fields.h"
#include "services/store/patient_search_rows.h"

namespace clinicd::patient {
namespace {

constexpr size_t kMaxQueryChars = 200;
constexpr size_t kMaxQueryWords = 8;

// True when `query` is written like a phone number: digits and separators.
bool LooksLikePhone(absl::string_view query) {
  bool digit = false;
  for (char c : query) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (absl::string_view(" +-()./").find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return digit;
}

}  // namespace

absl::StatusOr<resources::Page<clinic::v1::Patient>> SearchPatients(
    const store::Database& db, const auth::Principal& principal,
    absl::string_view parent, absl::string_view query, int32_t page_size,
    absl::string_view page_token) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourceName("parent", parent, {"clinics"});
  if (!ids.ok()) return ids.status();
  if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) return s;
  if (query.size() > kMaxQueryChars) {
    return InvalidField("query", absl::StrCat("must be at most ", kMaxQueryChars,
                                              " characters"));
  }
  absl::StatusOr<int> limit = EffectivePageSize(page_size);
  if (!limit.ok()) return limit.status();
  const std::string fingerprint = absl::StrCat("patients?", parent, "&", query);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(page_token, fingerprint);
  if (!after.ok()) return after.status();

  absl::StatusOr<store::KeysetPage<store::ResourceRow>> rows;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<clinic::v1::Clinic> clinic = practice::LoadClinic(tx, ids->front());
    if (!clinic.ok()) return clinic.status();
    store::PatientMatch match;
    absl::StatusOr<std::string> phone =
        LooksLikePhone(query) ? domain::NormalizePhoneNumber(query, clinic->region_code())
                              : absl::InvalidArgumentError("not a phone number");
    if (phone.ok()) {
      match.phone_e164 = *phone;
    } else {
      match.name_prefixes = domain::SearchWords(query);
      if (match.name_prefixes.empty()) {
        return InvalidField("query", "must contain a name or a phone number");
      }
      if (match.name_prefixes.size() > kMaxQueryWords) {
        return InvalidField("query", absl::StrCat("must have at most ", kMaxQueryWords,
                                                  " words"));
      }
    }
    rows = store::SearchPatientRows(tx, ids->front(), match, *after, *limit);
    return rows.status();
  });
  if (!status.ok()) return status;
  resources::Page<clinic::v1::Patient> page;
  for (const store::ResourceRow& row : rows->items) {
    clinic::v1::Patient& patient = page.items.emplace_back();
    if (!patient.ParseFromString(row.data)) {
      return absl::InternalError("a stored patient is corrupt");
    }
    resources::SetEtag(patient, row.revision);
  }
  page.next_page_token = resources::NextPageToken(rows->next_after, fingerprint);
  return page;
}

}  // namespace clinicd::patient
