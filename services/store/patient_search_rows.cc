#include "services/store/patient_search_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/keyset_statement.h"

namespace clinicd::store {
namespace {

// Patients whose names match the query ?5: SQLite's FTS5 index of the name
// words, or PostgreSQL's text search over search_tsv (migration 1). The rest
// of the statement is shared, ?N parameters and all, hence a fragment.
constexpr DialectSql kNameMatch{
    " AND rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?5)",
    " AND search_tsv @@ to_tsquery('simple', ?5)"};

// The query for kNameMatch: every word must start one of the names. Words
// are letters and digits only, so quoting them is enough for FTS5, and
// PostgreSQL's tsquery needs no quoting (its operators are punctuation).
std::string NameQuery(Dialect dialect, const std::vector<std::string>& words) {
  std::vector<std::string> prefixes;
  for (const std::string& word : words) {
    prefixes.push_back(dialect == Dialect::kSqlite ? absl::StrCat("\"", word, "\"*")
                                                   : absl::StrCat(word, ":*"));
  }
  return absl::StrJoin(prefixes, dialect == Dialect::kSqlite ? " AND " : " & ");
}

}  // namespace

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
    absl::StrAppend(&sql, kNameMatch.For(tx.dialect()));
    term = NameQuery(tx.dialect(), match.name_prefixes);
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
