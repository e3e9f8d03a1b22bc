#include "services/follow_up/follow_up_lists.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/follow_up/recalls.h"
#include "services/resources/resource_fields.h"

namespace clinicd::follow_up {
namespace {

// One keyset-paginated query over a resource table ordered by an INTEGER
// time column then id. `sql` selects id, revision, data, <order column> with
// ?1 clinic id, ?2 limit, ?3/?4 the previous page's key, ?5 the patient id
// or NULL, and ?6 now when `now` is given; it ends with ORDER BY and LIMIT ?2.
template <typename M>
absl::Status RunListQuery(const store::Database& db, const std::string& sql,
                          const std::string& clinic_id, const std::string& patient_id,
                          std::optional<absl::Time> now, int limit, const std::vector<std::string>& after,
                          const std::string& fingerprint,
                          const std::function<void(M&)>& finish, std::vector<M>& out,
                          std::string& next_page_token) {
  return db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
    int64_t after_time = 0;
    if (after.size() == 2 && absl::SimpleAtoi(after[0], &after_time)) {
      stmt->Bind(3, after_time).BindText(4, after[1]);
    } else {
      stmt->BindNull(3).BindNull(4);
    }
    stmt->BindOptionalText(5, patient_id);
    if (now.has_value()) stmt->Bind(6, *now);
    std::vector<std::string> last_key;
    while (true) {
      absl::StatusOr<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      if (static_cast<int>(out.size()) == limit) {
        next_page_token = EncodePageToken(last_key, fingerprint);
        return absl::OkStatus();
      }
      M& item = out.emplace_back();
      if (!item.ParseFromString(stmt->ColumnBlob(2))) {
        return absl::InternalError(absl::StrCat("stored row ", stmt->ColumnText(0), " is corrupt"));
      }
      resources::SetEtag(item, stmt->ColumnInt(1));
      finish(item);
      last_key = {absl::StrCat(stmt->ColumnInt(3)), stmt->ColumnText(0)};
    }
  });
}

// The clinic id of `parent` and the patient id of `patient` (empty when
// unset), checked for form and access.
absl::Status ParseScope(const auth::Principal& principal, const std::string& parent,
                        const std::string& patient, std::string& clinic_id,
                        std::string& patient_id) {
  std::vector<absl::string_view> clinic_pattern = {"clinics"};
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourceName("parent", parent, clinic_pattern);
  if (!ids.ok()) return ids.status();
  clinic_id = ids->front();
  if (absl::Status s = auth::CheckClinicAccess(principal, clinic_id); !s.ok()) return s;
  if (!patient.empty()) {
    FieldViolations violations;
    patient_id = IdInClinic(violations, "patient", patient, clinic_id, "patients");
    if (!violations.empty()) return violations.ToStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<clinic::v1::ListSeriesResponse> ListSeries(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListSeriesRequest& request) {
  std::string clinic_id;
  std::string patient_id;
  if (absl::Status s =
          ParseScope(principal, request.parent(), request.patient(), clinic_id, patient_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();
  clinic::v1::ListSeriesResponse response;
  std::vector<clinic::v1::Series> items;
  std::string next;
  absl::Status status = RunListQuery<clinic::v1::Series>(
      db,
      "SELECT id, revision, data, create_time FROM series WHERE clinic_id = ?1 "
      "AND (?5 IS NULL OR patient_id = ?5) AND (?3 IS NULL OR (create_time, id) > (?3, ?4)) "
      "ORDER BY create_time, id LIMIT ?2",
      clinic_id, patient_id, std::nullopt, *limit, *after, fingerprint, [](clinic::v1::Series&) {},
      items, next);
  if (!status.ok()) return status;
  for (clinic::v1::Series& series : items) *response.add_series() = std::move(series);
  response.set_next_page_token(next);
  return response;
}

absl::StatusOr<clinic::v1::ListRecallsResponse> ListRecalls(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListRecallsRequest& request, absl::Time now) {
  std::string clinic_id;
  std::string patient_id;
  if (absl::Status s =
          ParseScope(principal, request.parent(), request.patient(), clinic_id, patient_id);
      !s.ok()) {
    return s;
  }
  // Open recalls are stored UPCOMING or DUE (1, 2); which view they belong
  // to follows from their times, so the clock's lag never shows.
  std::string view;
  switch (request.view()) {
    case clinic::v1::RECALL_VIEW_UNSPECIFIED:
      view = "?6 IS NOT NULL";  // Every state (binds ?6 like the other views).
      break;
    case clinic::v1::RECALL_VIEW_DUE:
      view = "state IN (1, 2) AND due_time <= ?6 AND lapse_time > ?6";
      break;
    case clinic::v1::RECALL_VIEW_UPCOMING:
      view = "state IN (1, 2) AND due_time > ?6";
      break;
    case clinic::v1::RECALL_VIEW_LAPSED:
      view = "(state = 4 OR (state IN (1, 2) AND lapse_time <= ?6))";
      break;
    default:
      return InvalidField("view", "must be a RecallView value");
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();
  clinic::v1::ListRecallsResponse response;
  std::vector<clinic::v1::Recall> items;
  std::string next;
  absl::Status status = RunListQuery<clinic::v1::Recall>(
      db,
      absl::StrCat("SELECT id, revision, data, due_time FROM recalls WHERE clinic_id = ?1 "
                   "AND (?5 IS NULL OR patient_id = ?5) "
                   "AND (?3 IS NULL OR (due_time, id) > (?3, ?4)) AND ",
                   view, " ORDER BY due_time, id LIMIT ?2"),
      clinic_id, patient_id, now, *limit, *after, fingerprint,
      [now](clinic::v1::Recall& recall) { recall.set_state(EffectiveRecallState(recall, now)); },
      items, next);
  if (!status.ok()) return status;
  for (clinic::v1::Recall& recall : items) *response.add_recalls() = std::move(recall);
  response.set_next_page_token(next);
  return response;
}

}  // namespace clinicd::follow_up
