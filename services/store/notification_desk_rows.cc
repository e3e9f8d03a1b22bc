#include "services/store/notification_desk_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/keyset_statement.h"
#include "services/store/stored_values.h"

namespace clinicd::store {
namespace {

// The columns ReadNotification reads, in its order.
#define CLINICD_SELECT_NOTIFICATION                                                       \
  "SELECT id, kind, channel, recipient, subject, body, dedupe_key, due_time, attempts, " \
  "lease_expire_time, resource, patient_id, state, last_detail FROM notifications "

StoredNotification ReadNotification(const Statement& stmt, const std::string& clinic_id) {
  StoredNotification n;
  n.id = stmt.ColumnText(0);
  n.clinic_id = clinic_id;
  n.kind = static_cast<clinic::v1::NotificationKind>(stmt.ColumnInt(1));
  n.channel = static_cast<clinic::v1::NotificationChannel>(stmt.ColumnInt(2));
  n.recipient = stmt.ColumnText(3);
  n.subject = stmt.ColumnText(4);
  n.body = stmt.ColumnText(5);
  n.dedupe_key = stmt.ColumnText(6);
  n.due = stmt.ColumnTime(7);
  n.attempts = static_cast<int>(stmt.ColumnInt(8));
  if (!stmt.ColumnIsNull(9)) n.lease_expire_time = stmt.ColumnTime(9);
  n.resource = stmt.ColumnText(10);
  n.patient_id = stmt.ColumnText(11);
  n.state = NotificationStateFromStored(stmt.ColumnText(12));
  n.last_detail = stmt.ColumnText(13);
  return n;
}

}  // namespace

absl::StatusOr<KeysetPage<StoredNotification>> ListNotificationRows(
    Transaction& tx, const NotificationFilter& filter, const std::vector<std::string>& after,
    int limit) {
  std::string sql = CLINICD_SELECT_NOTIFICATION
      "WHERE clinic_id = ?1 AND " CLINICD_SQL_AFTER_INTEGER_KEY("due_time") " "
      "AND (CAST(?5 AS TEXT) IS NULL OR patient_id = ?5) AND (CAST(?6 AS TEXT) IS NULL OR resource = ?6)";
  // The stored words of valid states, spliced in so each set of states is one
  // cached statement that can use the partial indexes.
  std::vector<std::string> states;
  for (clinic::v1::NotificationState state : filter.states) {
    states.push_back(absl::StrCat("'", StoredNotificationState(state), "'"));
  }
  if (!states.empty()) absl::StrAppend(&sql, " AND state IN (", absl::StrJoin(states, ", "), ")");
  sql += " ORDER BY due_time, id LIMIT ?2";
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, filter.clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
  BindIntegerPageKey(*stmt, 3, after);
  stmt->BindOptionalText(5, filter.patient_id).BindOptionalText(6, filter.resource);
  KeysetPage<StoredNotification> page;
  absl::Status status = ReadKeysetPage(
      *stmt, limit,
      [&]() -> absl::StatusOr<std::vector<std::string>> {
        page.items.push_back(ReadNotification(*stmt, filter.clinic_id));
        return std::vector<std::string>{absl::StrCat(stmt->ColumnInt(7)), stmt->ColumnText(0)};
      },
      page.next_after);
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<std::optional<StoredNotification>> FindNotification(Transaction& tx,
                                                                   const std::string& clinic_id,
                                                                   const std::string& id) {
  absl::StatusOr<Statement> select =
      tx.Prepare(CLINICD_SELECT_NOTIFICATION "WHERE id = ?1 AND clinic_id = ?2");
  if (!select.ok()) return select.status();
  select->BindText(1, id).BindText(2, clinic_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredNotification>();
  return std::optional<StoredNotification>(ReadNotification(*select, clinic_id));
}

absl::Status SetNotificationDue(Transaction& tx, const std::string& id, absl::Time due,
                                absl::Time now) {
  absl::StatusOr<Statement> update =
      tx.Prepare("UPDATE notifications SET due_time = ?2, update_time = ?3 WHERE id = ?1");
  if (!update.ok()) return update.status();
  update->BindText(1, id).Bind(2, due).Bind(3, now);
  return update->Run();
}

#undef CLINICD_SELECT_NOTIFICATION

}  // namespace clinicd::store
