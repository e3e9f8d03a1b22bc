#include "services/store/event_rows.h"

#include "services/common/proto_time.h"

namespace clinicd::store {

absl::Status AppendEvent(Transaction& tx, const std::string& clinic_id,
                         clinic::v1::EventKind kind, const std::string& resource,
                         const std::string& patient, absl::Time time,
                         const clinic::v1::RuleOverride* decision) {
  // Kinds are stored as their clinic.v1 numbers; an override as its bytes.
  // SQLite numbers the event itself (AUTOINCREMENT), in commit order because
  // it has one writer; PostgreSQL's writers run concurrently, so the number
  // comes from clinicd_next_event_seq(), which keeps commit order (migration
  // 4 says how). VALUES, not INSERT ... SELECT, lets PostgreSQL type each
  // parameter by its column.
  absl::StatusOr<Statement> stmt = tx.Prepare(DialectSql{
      "INSERT INTO events (clinic_id, kind, resource, patient, event_time, rule_override) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      "INSERT INTO events (seq, clinic_id, kind, resource, patient, event_time, rule_override) "
      "VALUES (clinicd_next_event_seq(), $1, $2, $3, $4, $5, $6)"});
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id)
      .Bind(2, static_cast<int64_t>(kind))
      .BindText(3, resource)
      .BindText(4, patient)
      .Bind(5, time);
  if (decision != nullptr) {
    stmt->BindBlob(6, decision->SerializeAsString());
  } else {
    stmt->BindNull(6);
  }
  return stmt->Run();
}

absl::StatusOr<std::vector<SequencedEvent>> ReadEventRows(
    Transaction& tx, int64_t after, bool all_clinics,
    const std::vector<std::string>& clinic_ids, int limit) {
  // ?2 is 1 for every clinic; the clinics are a JSON array on SQLite, an
  // array on PostgreSQL (whose OR takes a boolean, not an integer).
  absl::StatusOr<Statement> stmt = tx.Prepare(DialectSql{
      "SELECT seq, kind, resource, patient, event_time, rule_override FROM events WHERE seq > ?1 "
      "AND (?2 OR clinic_id IN (SELECT value FROM json_each(?3))) ORDER BY seq LIMIT ?4",
      "SELECT seq, kind, resource, patient, event_time, rule_override FROM events WHERE seq > $1 "
      "AND ($2 <> 0 OR clinic_id = ANY($3::text[])) ORDER BY seq LIMIT $4"});
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after)
      .Bind(2, static_cast<int64_t>(all_clinics ? 1 : 0))
      .BindTextList(3, clinic_ids)
      .Bind(4, static_cast<int64_t>(limit));
  std::vector<SequencedEvent> events;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    SequencedEvent& stored = events.emplace_back();
    stored.seq = stmt->ColumnInt(0);
    clinic::v1::Event& event = stored.event;
    event.set_kind(static_cast<clinic::v1::EventKind>(stmt->ColumnInt(1)));
    event.set_resource(stmt->ColumnText(2));
    event.set_patient(stmt->ColumnText(3));
    *event.mutable_event_time() = ToProtoTime(stmt->ColumnTime(4));
    if (!stmt->ColumnIsNull(5) &&
        !event.mutable_rule_override()->ParseFromString(stmt->ColumnBlob(5))) {
      return absl::InternalError("a stored event's override is corrupt");
    }
  }
}

}  // namespace clinicd::store
