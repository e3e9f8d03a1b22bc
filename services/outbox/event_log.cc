#include "services/outbox/event_log.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/store/retention.h"

namespace clinicd::outbox {
namespace {

constexpr absl::string_view kCursorPrefix = "ev1-";

}  // namespace

absl::Status AppendEvent(store::Transaction& tx, const std::string& clinic_id,
                         clinic::v1::EventKind kind, const std::string& resource,
                         const std::string& patient, absl::Time time,
                         const clinic::v1::RuleOverride* decision) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "INSERT INTO events (clinic_id, kind, resource, patient, event_time, rule_override) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
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

absl::StatusOr<std::vector<clinic::v1::Event>> ReadEvents(
    store::Transaction& tx, int64_t after, bool all_clinics,
    const std::vector<std::string>& clinic_ids, int limit) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT seq, kind, resource, patient, event_time, rule_override FROM events WHERE seq > ?1 "
      "AND (?2 OR clinic_id IN (SELECT value FROM json_each(?3))) ORDER BY seq LIMIT ?4");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after)
      .Bind(2, static_cast<int64_t>(all_clinics ? 1 : 0))
      .BindTextList(3, clinic_ids)
      .Bind(4, static_cast<int64_t>(limit));
  std::vector<clinic::v1::Event> events;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    clinic::v1::Event& event = events.emplace_back();
    event.set_cursor(EncodeCursor(stmt->ColumnInt(0)));
    event.set_kind(static_cast<clinic::v1::EventKind>(stmt->ColumnInt(1)));
    event.set_resource(stmt->ColumnText(2));
    event.set_patient(stmt->ColumnText(3));
    *event.mutable_event_time() = ToProtoTime(stmt->ColumnTime(4));
    if (!stmt->ColumnIsNull(5) &&
        !event.mutable_rule_override()->ParseFromString(stmt->ColumnBlob(5))) {
      return absl::InternalError("a stored event's override is corrupt");
    }
  }
  return events;
}

absl::StatusOr<int64_t> ResumePoint(store::Transaction& tx, std::optional<int64_t> after) {
  absl::StatusOr<store::FeedRange> range = store::ReadFeedRange(tx);
  if (!range.ok()) return range.status();
  if (!after.has_value()) return range->pruned_through;
  if (*after > range->last) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "CURSOR_AHEAD_OF_FEED",
        "after_cursor is past the newest event of this feed (was the database restored "
        "from a backup?); resume from an earlier cursor, or from the beginning with an "
        "empty after_cursor",
        {{"last_cursor", EncodeCursor(range->last)}});
  }
  if (*after < range->pruned_through) {
    return ErrorWithReason(
        absl::StatusCode::kOutOfRange, "CURSOR_EXPIRED",
        "after_cursor is older than the oldest event this feed still keeps (events are "
        "kept for the server's event retention); the events after it are gone, so bring "
        "your copy up to date from the resources themselves, then resume from "
        "earliest_cursor",
        {{"earliest_cursor", EncodeCursor(range->pruned_through)}});
  }
  return *after;
}

absl::StatusOr<int64_t> NewestSequence(store::Transaction& tx) {
  absl::StatusOr<store::FeedRange> range = store::ReadFeedRange(tx);
  if (!range.ok()) return range.status();
  return range->last;
}

std::string EncodeCursor(int64_t seq) { return absl::StrCat(kCursorPrefix, seq); }

absl::StatusOr<int64_t> DecodeCursor(const std::string& cursor) {
  absl::string_view digits = cursor;
  int64_t seq = 0;
  // Exactly what EncodeCursor writes: the prefix and a decimal number
  // without sign, spaces or leading zeros.
  const bool canonical = absl::ConsumePrefix(&digits, kCursorPrefix) && !digits.empty() &&
                         digits.find_first_not_of("0123456789") == absl::string_view::npos &&
                         (digits.size() == 1 || digits[0] != '0');
  if (!canonical || !absl::SimpleAtoi(digits, &seq)) {
    return InvalidField("after_cursor",
                        "is not a cursor from this feed; send an Event.cursor you received, "
                        "or leave it empty to start from the beginning");
  }
  return seq;
}

}  // namespace clinicd::outbox
