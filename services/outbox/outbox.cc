#include "services/outbox/outbox.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/ids.h"

namespace clinicd::outbox {

absl::Status Enqueue(store::Transaction& tx, const OutgoingMessage& message, absl::Time now) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "INSERT INTO notifications (id, clinic_id, patient_id, resource, kind, channel, recipient, "
      "subject, body, dedupe_key, due_time, state, create_time, update_time) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?12) "
      "ON CONFLICT (dedupe_key) DO UPDATE SET state = 'pending', recipient = excluded.recipient, "
      "subject = excluded.subject, body = excluded.body, due_time = excluded.due_time, "
      "update_time = excluded.update_time WHERE state = 'cancelled'");
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
      .BindText(10, message.dedupe_key)
      .Bind(11, message.due)
      .Bind(12, now);
  return stmt->Run();
}

absl::Status CancelUndelivered(store::Transaction& tx, absl::string_view resource,
                           clinic::v1::NotificationKind kind, absl::Time now) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = 'cancelled', update_time = ?3 "
      "WHERE resource = ?1 AND state IN ('pending', 'leased') AND (?2 = 0 OR kind = ?2)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, static_cast<int64_t>(kind)).Bind(3, now);
  return stmt->Run();
}

absl::Status ReviveCancelled(store::Transaction& tx, absl::string_view resource,
                             clinic::v1::NotificationKind kind, absl::Time now) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = 'pending', update_time = ?3 "
      "WHERE resource = ?1 AND state = 'cancelled' AND kind = ?2 AND due_time > ?3");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, static_cast<int64_t>(kind)).Bind(3, now);
  return stmt->Run();
}

absl::Status HoldUntil(store::Transaction& tx, absl::string_view resource, absl::Time until,
                       absl::Time now) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "UPDATE notifications SET due_time = ?2, update_time = ?3 "
      "WHERE resource = ?1 AND state = 'pending' AND due_time < ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, resource).Bind(2, until).Bind(3, now);
  return stmt->Run();
}

std::string ChannelKey(clinic::v1::NotificationChannel channel) {
  std::string name = clinic::v1::NotificationChannel_Name(channel);
  absl::string_view key = name;
  absl::ConsumePrefix(&key, "NOTIFICATION_CHANNEL_");
  return absl::AsciiStrToLower(key);
}

}  // namespace clinicd::outbox
