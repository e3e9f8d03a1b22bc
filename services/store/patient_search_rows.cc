#include "services/store/patient_search_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/keyset_statement.h"

namespace clinicd::store {

absl::StatusOr<KeysetPage<ResourceRow>> SearchPatientRows(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const PatientMatch& match,
                                                          const std::vector<std::string>& after,
                                                          int limit) {
  // ?1 clinic, ?2 limit, ?3/?4 keyset position, ?5 the phone or name query.
  std::string sql =
      "SELECT id, revision, data, sort_key FROM patients WHERE clinic_id = ?1 "
      "AND " CLINICD_SQL_AFTER_TEXT_KEY("sort_key");
  std::string term;
  if (!match.phone_e164.empty()) {
    sql += " AND phone_e164 = ?5";
    term = match.phone_e164;
  } else {
    // Every word must start one of the names: an FTS5 prefix query. Words
    // are letters and digits only, so quoting them is enough.
    std::vector<std::string> prefixes;
    for (const std::string& word : match.name_prefixes) {
      prefixes.push_back(absl::StrCat("\"", word, "\"*"));
    }
    sql += " AND rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?5)";
    term = absl::StrJoin(prefixes, " AND ");
  }
  sql += " ORDER BY sort_key, id LIMIT ?2";
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
  // The sort key is text: the page key binds as it came.
  if (after.size() == 2) {
    stmt->BindText(3, after[0]).BindText(4, after[1]);
  } else {
    stmt->BindNull(3).BindNull(4);
  }
  stmt->BindText(5, term);
  return ReadResourceRowPage(*stmt, limit);
}

}  // namespace clinicd::store
