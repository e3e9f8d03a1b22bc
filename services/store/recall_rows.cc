#include "services/store/recall_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/store/keyset_statement.h"
#include "services/store/stored_values.h"

namespace clinicd::store {
namespace {

// The recalls of clinic ?1 matching `where`, a fixed condition over the
// recalls table with ?2.. = `params`.
absl::StatusOr<std::vector<StoredRecall>> SelectRecalls(Transaction& tx, const char* where,
                                                        const std::vector<std::string>& params,
                                                        const std::string& clinic_id) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      absl::StrCat("SELECT id, revision, data FROM recalls WHERE clinic_id = ?1 AND ", where));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id);
  for (size_t i = 0; i < params.size(); ++i) stmt->BindText(2 + static_cast<int>(i), params[i]);
  std::vector<StoredRecall> found;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return found;
    StoredRecall& stored = found.emplace_back();
    stored.id = stmt->ColumnText(0);
    stored.revision = stmt->ColumnInt(1);
    if (!stored.recall.ParseFromString(stmt->ColumnBlob(2))) {
      return absl::InternalError(absl::StrCat("stored recall ", stored.id, " is corrupt"));
    }
  }
}

}  // namespace

std::vector<Column> RecallColumns(const clinic::v1::Recall& recall) {
  // Recall states are stored as their clinic.v1 numbers (stored_values.h).
  return {{"patient_id", LastIdOf(recall.patient())},
          {"series_id", LastIdOf(recall.series())},
          {"treatment_type", recall.treatment_type()},
          {"state", static_cast<int64_t>(recall.state())},
          {"due_time", ProtoTimeMicros(recall.due_time())},
          {"lapse_time", ProtoTimeMicros(recall.lapse_time())}};
}

absl::StatusOr<std::vector<StoredRecall>> OpenRecallsOf(Transaction& tx,
                                                        const std::string& clinic_id,
                                                        const std::string& patient_id,
                                                        const std::string& type) {
  return SelectRecalls(tx,
                       "patient_id = ?2 AND treatment_type = ?3 "
                       "AND state IN " CLINICD_SQL_OPEN_RECALL_STATES,
                       {patient_id, type}, clinic_id);
}

absl::StatusOr<std::vector<StoredRecall>> SatisfiedRecallsOf(Transaction& tx,
                                                             const std::string& clinic_id,
                                                             const std::string& patient_id,
                                                             const std::string& type) {
  return SelectRecalls(tx,
                       "patient_id = ?2 AND treatment_type = ?3 "
                       "AND state = " CLINICD_SQL_RECALL_SATISFIED,
                       {patient_id, type}, clinic_id);
}

absl::StatusOr<StoredRecall> LoadStoredRecall(Transaction& tx, const std::string& clinic_id,
                                              const std::string& id) {
  absl::StatusOr<std::vector<StoredRecall>> found = SelectRecalls(tx, "id = ?2", {id}, clinic_id);
  if (!found.ok()) return found.status();
  if (found->empty()) return absl::InternalError(absl::StrCat("recall ", id, " is not stored"));
  return std::move(found->front());
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RecallsToAdvance(
    Transaction& tx, absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT clinic_id, id FROM recalls WHERE (state = " CLINICD_SQL_RECALL_UPCOMING
      " AND due_time <= ?1) OR (state IN " CLINICD_SQL_OPEN_RECALL_STATES " AND lapse_time <= ?1)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, now);
  std::vector<std::pair<std::string, std::string>> ids;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.emplace_back(stmt->ColumnText(0), stmt->ColumnText(1));
  }
}

absl::StatusOr<KeysetPage<ResourceRow>> ListRecallRows(Transaction& tx,
                                                       const RecallListFilter& filter,
                                                       const std::vector<std::string>& after,
                                                       int limit) {
  // The view's condition over the time, ?6. Listing every recall needs
  // none and leaves ?6 out: PostgreSQL cannot infer the type of a parameter
  // that nothing compares with.
  const char* view = nullptr;
  bool view_uses_now = true;
  switch (filter.view) {
    case clinic::v1::RECALL_VIEW_UNSPECIFIED:
      view = "TRUE";
      view_uses_now = false;
      break;
    case clinic::v1::RECALL_VIEW_DUE:
      view = "state IN " CLINICD_SQL_OPEN_RECALL_STATES " AND due_time <= ?6 AND lapse_time > ?6";
      break;
    case clinic::v1::RECALL_VIEW_UPCOMING:
      view = "state IN " CLINICD_SQL_OPEN_RECALL_STATES " AND due_time > ?6";
      break;
    case clinic::v1::RECALL_VIEW_LAPSED:
      view = "(state = " CLINICD_SQL_RECALL_LAPSED " OR (state IN " CLINICD_SQL_OPEN_RECALL_STATES
             " AND lapse_time <= ?6))";
      break;
    default:
      return absl::InvalidArgumentError("not a RecallView value");
  }
  absl::StatusOr<Statement> stmt =
      tx.Prepare(absl::StrCat("SELECT id, revision, data, due_time FROM recalls WHERE clinic_id = ?1 "
                              "AND (CAST(?5 AS TEXT) IS NULL OR patient_id = ?5) "
                              "AND " CLINICD_SQL_AFTER_INTEGER_KEY("due_time") " AND ",
                              view, " ORDER BY due_time, id LIMIT ?2"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, filter.clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
  BindIntegerPageKey(*stmt, 3, after);
  stmt->BindOptionalText(5, filter.patient_id);
  if (view_uses_now) stmt->Bind(6, filter.now);
  return ReadResourceRowPage(*stmt, limit);
}

}  // namespace clinicd::store
