#include "services/store/notification_lease_rows.h"

#include <cstdint>

#include "services/store/stored_values.h"

namespace clinicd::store {

absl::StatusOr<std::vector<StoredNotification>> ClaimableNotifications(Transaction& tx,
                                                                       absl::Time now,
                                                                       const ClaimFilter& filter,
                                                                       int limit) {
  // ?2 is 1 for every clinic; ?3 the clinics and ?4 the channels (none:
  // every channel) are JSON arrays on SQLite, arrays on PostgreSQL. On
  // SQLite the one writer keeps two claims apart. PostgreSQL's writers run
  // concurrently, so the claim locks the rows it picks (FOR UPDATE) and
  // passes over rows another claim has locked (SKIP LOCKED): two workers,
  // even on two servers, never lease one message, and neither waits for the
  // other.
  absl::StatusOr<Statement> select = tx.Prepare(DialectSql{
      "SELECT id, clinic_id, patient_id, channel, attempts, kind, resource, recipient, "
      "subject, body, dedupe_key, due_time FROM notifications "
      "WHERE ((state = " CLINICD_SQL_PENDING " AND due_time <= ?1) "
      "OR (state = " CLINICD_SQL_LEASED " AND lease_expire_time <= ?1)) "
      "AND (?2 OR clinic_id IN (SELECT value FROM json_each(?3))) "
      "AND (?4 = '[]' OR channel IN (SELECT value FROM json_each(?4))) "
      "ORDER BY due_time, id LIMIT ?5",
      "SELECT id, clinic_id, patient_id, channel, attempts, kind, resource, recipient, "
      "subject, body, dedupe_key, due_time FROM notifications "
      "WHERE ((state = " CLINICD_SQL_PENDING " AND due_time <= $1) "
      "OR (state = " CLINICD_SQL_LEASED " AND lease_expire_time <= $1)) "
      "AND ($2 <> 0 OR clinic_id = ANY($3::text[])) "
      "AND (cardinality($4::bigint[]) = 0 OR channel = ANY($4::bigint[])) "
      "ORDER BY due_time, id LIMIT $5 FOR UPDATE SKIP LOCKED"});
  if (!select.ok()) return select.status();
  // Channels and kinds are stored as their clinic.v1 numbers.
  std::vector<int64_t> channels(filter.channels.begin(), filter.channels.end());
  select->Bind(1, now)
      .Bind(2, static_cast<int64_t>(filter.all_clinics ? 1 : 0))
      .BindTextList(3, filter.clinic_ids)
      .BindIntList(4, channels)
      .Bind(5, static_cast<int64_t>(limit));
  std::vector<StoredNotification> found;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return found;
    StoredNotification& n = found.emplace_back();
    n.id = select->ColumnText(0);
    n.clinic_id = select->ColumnText(1);
    n.patient_id = select->ColumnText(2);
    n.channel = static_cast<clinic::v1::NotificationChannel>(select->ColumnInt(3));
    n.attempts = static_cast<int>(select->ColumnInt(4));
    n.kind = static_cast<clinic::v1::NotificationKind>(select->ColumnInt(5));
    n.resource = select->ColumnText(6);
    n.recipient = select->ColumnText(7);
    n.subject = select->ColumnText(8);
    n.body = select->ColumnText(9);
    n.dedupe_key = select->ColumnText(10);
    n.due = select->ColumnTime(11);
  }
}

absl::Status LeaseNotification(Transaction& tx, const std::string& id,
                               const NotificationLease& lease, absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = " CLINICD_SQL_LEASED ", attempts = ?2, lease_id = ?3, "
      "lease_owner = ?4, lease_expire_time = ?5, recipient = ?6, update_time = ?7 "
      "WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id)
      .Bind(2, static_cast<int64_t>(lease.attempts))
      .BindText(3, lease.lease_id)
      .BindText(4, lease.owner)
      .Bind(5, lease.expire_time)
      .BindText(6, lease.recipient)
      .Bind(7, now);
  return stmt->Run();
}

absl::Status EndNotification(Transaction& tx, const std::string& id,
                             clinic::v1::NotificationState state, absl::string_view detail,
                             absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = ?2, last_detail = ?3, lease_expire_time = NULL, "
      "update_time = ?4 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id).BindText(2, StoredNotificationState(state)).BindText(3, detail).Bind(4, now);
  return stmt->Run();
}

absl::StatusOr<std::optional<StoredNotification>> FindLeasedState(Transaction& tx,
                                                                  const std::string& clinic_id,
                                                                  const std::string& id) {
  absl::StatusOr<Statement> select = tx.Prepare(
      "SELECT state, lease_id, attempts, patient_id, due_time FROM notifications "
      "WHERE id = ?1 AND clinic_id = ?2");
  if (!select.ok()) return select.status();
  select->BindText(1, id).BindText(2, clinic_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredNotification>();
  StoredNotification n;
  n.id = id;
  n.clinic_id = clinic_id;
  n.state = NotificationStateFromStored(select->ColumnText(0));
  n.lease_id = select->ColumnText(1);
  n.attempts = static_cast<int>(select->ColumnInt(2));
  n.patient_id = select->ColumnText(3);
  n.due = select->ColumnTime(4);
  return std::optional<StoredNotification>(std::move(n));
}

absl::Status RecordAcknowledgement(Transaction& tx, const std::string& id,
                                   clinic::v1::NotificationState state, absl::string_view detail,
                                   absl::Time due, int attempts, absl::Time now) {
  absl::StatusOr<Statement> update = tx.Prepare(
      "UPDATE notifications SET state = ?2, last_detail = ?3, due_time = ?4, attempts = ?5, "
      "lease_expire_time = NULL, update_time = ?6 WHERE id = ?1");
  if (!update.ok()) return update.status();
  update->BindText(1, id)
      .BindText(2, StoredNotificationState(state))
      .BindText(3, detail)
      .Bind(4, due)
      .Bind(5, static_cast<int64_t>(attempts))
      .Bind(6, now);
  return update->Run();
}

}  // namespace clinicd::store
