#include "services/outbox/event_log.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/store/retention.h"

namespace clinicd::outbox {
namespace {

constexpr absl::string_view kCursorPrefix = "ev1-";

}  // namespace

absl::StatusOr<std::vector<clinic::v1::Event>> ReadEvents(
    store::Transaction& tx, int64_t after, bool all_clinics,
    const std::vector<std::string>& clinic_ids, int limit) {
  absl::StatusOr<std::vector<store::SequencedEvent>> rows =
      store::ReadEventRows(tx, after, all_clinics, clinic_ids, limit);
  if (!rows.ok()) return rows.status();
  std::vector<clinic::v1::Event> events;
  events.reserve(rows->size());
  for (store::SequencedEvent& row : *rows) {
    row.event.set_cursor(EncodeCursor(row.seq));
    events.push_back(std::move(row.event));
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
