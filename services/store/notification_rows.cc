#include "services/store/notification_rows.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/ids.h"
#include "services/store/stored_values.h"

namespace clinicd::store {
namespace {

// The lower-case channel name used in dedupe keys, e.g. `email`.
std::string ChannelKey(clinic::v1::NotificationChannel channel) {
  std::string name = clinic::v1::NotificationChannel_Name(channel);
  absl::string_view key = name;
  absl::ConsumePrefix(&key, "NOTIFICATION_CHANNEL_");
  return absl::AsciiStrToLower(key);
}

// The part of a dedupe key every channel of one message shares.
std::string MessageKeyPrefix(absl::string_view resource, absl::string_view message_id) {
  return absl::StrCat(resource, "/", message_id, "/");
}

}  // namespace

std::string NotificationDedupeKey(absl::string_view resource, absl::string_view message_id,
                                  clinic::v1::NotificationChannel channel) {
  return absl::StrCat(MessageKeyPrefix(resource, message_id), ChannelKey(channel));
}

absl::Status QueueNotification(Transaction& tx, const OutgoingNotification& message,
                               absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "INSERT INTO notifications (id, clinic_id, patient_id, resource, kind, channel, recipient, "
      "subject, body, dedupe_key, due_time, state, create_time, update_time) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, " CLINICD_SQL_PENDING ", ?12, ?12) "
      "ON CONFLICT (dedupe_key) DO UPDATE SET state = " CLINICD_SQL_PENDING
      ", recipient = excluded.recipient, "
      "subject = excluded.subject, body = excluded.body, due_time = excluded.due_time, "
      "update_time = excluded.update_time WHERE notifications.state = " CLINICD_SQL_CANCELLED);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, NewResourceId(now))
      .BindText(2, message.clinic_id)
      .BindOptionalText(3, message.patient_id)
      .BindText(4, message.resource)
      .Bind(5, static_cast<int64_t>(message.kind))
      .Bind(6, static_cast<int64_t>(message.channel))
      .BindText(7, message.recipient)
      .BindText(8, message.subject)
      .BindText(9, message.body)
      .BindText(10, NotificationDedupeKey(message.resource, message.message_id, message.channel))
      .Bind(11, message.due)
      .Bind(12, now);
  return stmt->Run();
}

absl::Status CancelUndelivered(Transaction& tx, absl::string_view resource,
                               clinic::v1::NotificationKind kind, absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = " CLINICD_SQL_CANCELLED ", update_time = ?3 "
      "WHERE resource = ?1 AND state IN (" CLINICD_SQL_PENDING ", " CLINICD_SQL_LEASED
      ") AND (?2 = 0 OR kind = ?2)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, static_cast<int64_t>(kind)).Bind(3, now);
  return stmt->Run();
}

absl::Status ReviveCancelled(Transaction& tx, absl::string_view resource,
                             clinic::v1::NotificationKind kind, absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = " CLINICD_SQL_PENDING ", update_time = ?3 "
      "WHERE resource = ?1 AND state = " CLINICD_SQL_CANCELLED " AND kind = ?2 AND due_time > ?3");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, static_cast<int64_t>(kind)).Bind(3, now);
  return stmt->Run();
}

absl::Status HoldUntil(Transaction& tx, absl::string_view resource, absl::Time until,
                       absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET due_time = ?2, update_time = ?3 "
      "WHERE resource = ?1 AND state = " CLINICD_SQL_PENDING " AND due_time < ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, until).Bind(3, now);
  return stmt->Run();
}

absl::Status MovePendingNotification(Transaction& tx, absl::string_view resource,
                                     absl::string_view message_id, absl::Time due,
                                     absl::Time now) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE notifications SET due_time = ?1, update_time = ?2 WHERE resource = ?3 "
      "AND state = " CLINICD_SQL_PENDING " AND substr(dedupe_key, 1, length(?4)) = ?4");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, due).Bind(2, now).BindText(3, resource).BindText(4,
                                                                 MessageKeyPrefix(resource, message_id));
  return stmt->Run();
}

}  // namespace clinicd::store
