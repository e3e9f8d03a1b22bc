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
#include "services/store/recall_rows.h"
#include "services/store/series_rows.h"

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

// Reads `scope`'s page with `list` (a store list function bound to the
// filter) into `items`, each passed to `finish`, and sets the next token.
template <typename M, typename List, typename Finish>
absl::Status ReadResourcePage(const store::Database& db, const ListScope& scope, List list,
                              Finish finish, google::protobuf::RepeatedPtrField<M>* items,
                              std::string* next_page_token) {
  absl::StatusOr<store::KeysetPage<store::ResourceRow>> page;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    page = list(tx, scope.after, scope.limit);
    return page.status();
  });
  if (!status.ok()) return status;
  for (const store::ResourceRow& row : page->items) {
    M* item = items->Add();
    if (!item->ParseFromString(row.data)) {
      return absl::InternalError(absl::StrCat("stored row ", row.id, " is corrupt"));
    }
    resources::SetEtag(*item, row.revision);
    finish(*item);
  }
  *next_page_token = resources::NextPageToken(page->next_after, scope.fingerprint);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<clinic::v1::ListSeriesResponse> ListSeries(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListSeriesRequest& request) {
  absl::StatusOr<ListScope> scope = ParseListScope(principal, request);
  if (!scope.ok()) return scope.status();
  clinic::v1::ListSeriesResponse response;
  absl::Status status = ReadResourcePage(
      db, *scope,
      [&](store::Transaction& tx, const std::vector<std::string>& after, int limit) {
        return store::ListSeriesRows(tx, scope->clinic_id, scope->patient_id, after, limit);
      },
      [](clinic::v1::Series&) {}, response.mutable_series(), response.mutable_next_page_token());
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<clinic::v1::ListRecallsResponse> ListRecalls(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListRecallsRequest& request, absl::Time now) {
  // Which recalls a view holds follows from their times at `now` (the
  // store's ListRecallRows), so the recall clock's lag never shows.
  if (!clinic::v1::RecallView_IsValid(request.view())) {
    return InvalidField("view", "must be a RecallView value");
  }
  absl::StatusOr<ListScope> scope = ParseListScope(principal, request);
  if (!scope.ok()) return scope.status();
  const store::RecallListFilter filter{scope->clinic_id, scope->patient_id, request.view(), now};
  clinic::v1::ListRecallsResponse response;
  absl::Status status = ReadResourcePage(
      db, *scope,
      [&](store::Transaction& tx, const std::vector<std::string>& after, int limit) {
        return store::ListRecallRows(tx, filter, after, limit);
      },
      [now](clinic::v1::Recall& recall) { recall.set_state(EffectiveRecallState(recall, now)); },
      response.mutable_recalls(), response.mutable_next_page_token());
  if (!status.ok()) return status;
  return response;
}

}  // namespace clinicd::follow_up
