#include "services/store/series_rows.h"

#include <cstdint>

#include "services/store/keyset_statement.h"

namespace clinicd::store {

absl::StatusOr<KeysetPage<ResourceRow>> ListSeriesRows(Transaction& tx,
                                                       const std::string& clinic_id,
                                                       const std::string& patient_id,
                                                       const std::vector<std::string>& after,
                                                       int limit) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT id, revision, data, create_time FROM series WHERE clinic_id = ?1 "
      "AND (CAST(?5 AS TEXT) IS NULL OR patient_id = ?5) AND " CLINICD_SQL_AFTER_INTEGER_KEY("create_time") " "
      "ORDER BY create_time, id LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
  BindIntegerPageKey(*stmt, 3, after);
  stmt->BindOptionalText(5, patient_id);
  return ReadResourceRowPage(*stmt, limit);
}

}  // namespace clinicd::store
