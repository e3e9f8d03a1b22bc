#include "services/patient/patient_search.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/domain/contact_validation.h"
#include "services/domain/name_search.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/resource_fields.h"

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

  resources::Page<clinic::v1::Patient> page;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<clinic::v1::Clinic> clinic = practice::LoadClinic(tx, ids->front());
    if (!clinic.ok()) return clinic.status();
    // ?1 clinic, ?2 limit, ?3/?4 keyset position, ?5... the query terms.
    std::string sql =
        "SELECT id, revision, data, sort_key FROM patients WHERE clinic_id = ?1 "
        "AND (?3 IS NULL OR (sort_key, id) > (?3, ?4))";
    std::vector<std::string> terms;
    absl::StatusOr<std::string> phone =
        LooksLikePhone(query) ? domain::NormalizePhoneNumber(query, clinic->region_code())
                              : absl::InvalidArgumentError("not a phone number");
    if (phone.ok()) {
      sql += " AND phone_e164 = ?5";
      terms.push_back(*phone);
    } else {
      std::vector<std::string> words = domain::SearchWords(query);
      if (words.empty()) {
        return InvalidField("query", "must contain a name or a phone number");
      }
      if (words.size() > kMaxQueryWords) {
        return InvalidField("query", absl::StrCat("must have at most ", kMaxQueryWords,
                                                  " words"));
      }
      // Every word must start one of the names: an FTS5 prefix query. Words
      // are letters and digits only, so quoting them is enough.
      std::vector<std::string> prefixes;
      for (const std::string& word : words) prefixes.push_back(absl::StrCat("\"", word, "\"*"));
      sql += " AND rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?5)";
      terms.push_back(absl::StrJoin(prefixes, " AND "));
    }
    sql += " ORDER BY sort_key, id LIMIT ?2";
    absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, ids->front()).Bind(2, static_cast<int64_t>(*limit + 1));
    if (after->size() == 2) {
      stmt->BindText(3, (*after)[0]).BindText(4, (*after)[1]);
    } else {
      stmt->BindNull(3).BindNull(4);
    }
    for (size_t i = 0; i < terms.size(); ++i) stmt->BindText(5 + i, terms[i]);
    std::vector<std::string> last_key;
    while (true) {
      absl::StatusOr<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (static_cast<int>(page.items.size()) == *limit) {
        page.next_page_token = EncodePageToken(last_key, fingerprint);
        break;
      }
      clinic::v1::Patient patient;
      if (!patient.ParseFromString(stmt->ColumnBlob(2))) {
        return absl::InternalError("a stored patient is corrupt");
      }
      resources::SetEtag(patient, stmt->ColumnInt(1));
      last_key = {stmt->ColumnText(3), stmt->ColumnText(0)};
      page.items.push_back(std::move(patient));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

}  // namespace clinicd::patient
