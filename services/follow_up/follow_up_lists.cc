#include "services/follow_up/follow_up_lists.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/follow_up/recalls.h"
#include "services/resources/list_query.h"
#include "services/resources/resource_fields.h"

namespace clinicd::follow_up {
namespace {

// A list request's clinic, optional patient filter, page size and page key.
struct ListScope {
  std::string clinic_id;
  std::string patient_id;  // Empty: every patient.
  int limit = 0;
  std::string fingerprint;
  std::vector<std::string> after;
};

template <typename Request>
absl::StatusOr<ListScope> ParseListScope(const auth::Principal& principal,
                                         const Request& request) {
  ListScope scope;
  absl::StatusOr<std::string> clinic = resources::ParseClinicParent(principal, request.parent());
  if (!clinic.ok()) return clinic.status();
  scope.clinic_id = *clinic;
  if (!request.patient().empty()) {
    FieldViolations violations;
    scope.patient_id = IdInClinic(violations, "patient", request.patient(), *clinic, "patients");
    if (!violations.empty()) return violations.ToStatus();
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  scope.limit = *limit;
  scope.fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after =
      DecodePageToken(request.page_token(), scope.fingerprint);
  if (!after.ok()) return after.status();
  scope.after = *std::move(after);
  return scope;
}

// Runs `sql` — selecting id, revision, data, order value, with ?1 the
// clinic, ?2 the limit, ?3/?4 the page key, ?5 the patient or NULL — and
// reads a page of M into `items`, each passed to `finish`.
template <typename M, typename Finish>
absl::Status ReadResourcePage(const store::Database& db, const std::string& sql,
                              const ListScope& scope, Finish finish,
                              google::protobuf::RepeatedPtrField<M>* items,
                              std::string* next_page_token) {
  return db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, scope.clinic_id).Bind(2, static_cast<int64_t>(scope.limit + 1));
    resources::BindPageKey(*stmt, 3, scope.after);
    stmt->BindOptionalText(5, scope.patient_id);
    finish.Bind(*stmt);
    return resources::ReadPage(
        *stmt, scope.limit, scope.fingerprint,
        [&]() -> absl::StatusOr<std::vector<std::string>> {
          M* item = items->Add();
          if (!item->ParseFromString(stmt->ColumnBlob(2))) {
            return absl::InternalError(absl::StrCat("stored row ", stmt->ColumnText(0),
                                                    " is corrupt"));
          }
          resources::SetEtag(*item, stmt->ColumnInt(1));
          finish(*item);
          return std::vector<std::string>{absl::StrCat(stmt->ColumnInt(3)), stmt->ColumnText(0)};
        },
        next_page_token);
  });
}

// Series need nothing beyond their stored form.
struct AsStored {
  void Bind(store::Statement&) const {}
  void operator()(clinic::v1::Series&) const {}
};

// Recalls show their state at `now`, which the views' conditions read as ?6.
struct AtTime {
  absl::Time now;
  void Bind(store::Statement& stmt) const { stmt.Bind(6, now); }
  void operator()(clinic::v1::Recall& recall) const {
    recall.set_state(EffectiveRecallState(recall, now));
  }
};

}  // namespace

absl::StatusOr<clinic::v1::ListSeriesResponse> ListSeries(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListSeriesRequest& request) {
  absl::StatusOr<ListScope> scope = ParseListScope(principal, request);
  if (!scope.ok()) return scope.status();
  clinic::v1::ListSeriesResponse response;
  absl::Status status = ReadResourcePage(
      db,
      "SELECT id, revision, data, create_time FROM series WHERE clinic_id = ?1 "
      "AND (?5 IS NULL OR patient_id = ?5) AND (?3 IS NULL OR (create_time, id) > (?3, ?4)) "
      "ORDER BY create_time, id LIMIT ?2",
      *scope, AsStored(), response.mutable_series(), response.mutable_next_page_token());
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<clinic::v1::ListRecallsResponse> ListRecalls(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListRecallsRequest& request, absl::Time now) {
  // Open recalls are stored UPCOMING or DUE (1, 2); which view they belong
  // to follows from their times, so the recall clock's lag never shows.
  std::string view;
  switch (request.view()) {
    case clinic::v1::RECALL_VIEW_UNSPECIFIED:
      view = "?6 IS NOT NULL";  // Every state; binds ?6 like the other views.
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
  absl::StatusOr<ListScope> scope = ParseListScope(principal, request);
  if (!scope.ok()) return scope.status();
  clinic::v1::ListRecallsResponse response;
  absl::Status status = ReadResourcePage(
      db,
      absl::StrCat("SELECT id, revision, data, due_time FROM recalls WHERE clinic_id = ?1 "
                   "AND (?5 IS NULL OR patient_id = ?5) "
                   "AND (?3 IS NULL OR (due_time, id) > (?3, ?4)) AND ",
                   view, " ORDER BY due_time, id LIMIT ?2"),
      *scope, AtTime{now}, response.mutable_recalls(), response.mutable_next_page_token());
  if (!status.ok()) return status;
  return response;
}

}  // namespace clinicd::follow_up
