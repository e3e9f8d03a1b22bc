#pragma once

// The standard methods (AIP-131..135) for any stored resource kind: create
// with request_id idempotency, get, list with keyset pagination, update with
// update_mask and etag, delete with etag. Each runs in one transaction, so a
// refused request writes nothing. Service classes stay thin adapters on top.

#include <google/protobuf/field_mask.pb.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/auth/principal.h"
#include "services/common/errors.h"
#include "services/common/ids.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/resources/resource_fields.h"
#include "services/resources/resource_kind.h"
#include "services/store/database.h"
#include "services/store/idempotency.h"

namespace clinicd::resources {

// One page of a list.
template <typename M>
struct Page {
  std::vector<M> items;
  std::string next_page_token;
};

// Standard methods over resources of kind M.
template <typename M>
class ResourceCrud final {
 public:
  ResourceCrud(store::Database& db, ResourceKind<M> kind)
      : db_(db), kind_(std::move(kind)) {}

  // Creates `resource` under `parent` (empty for top-level kinds). A retry
  // with the same `request_id` returns the first result; the same id with a
  // different `request` is INVALID_ARGUMENT.
  absl::StatusOr<M> Create(const auth::Principal& principal,
                           absl::string_view parent, const M& resource,
                           const google::protobuf::Message& request,
                           absl::string_view request_id) {
    absl::StatusOr<std::vector<std::string>> scope = ParseParent(principal, parent);
    if (!scope.ok()) return scope.status();
    if (scope->empty() && !principal.all_clinics) {
      return ErrorWithReason(absl::StatusCode::kPermissionDenied,
                             "CLINIC_LIMITED_KEY",
                             "a key limited to some clinics cannot create a "
                             "clinic; use a key for every clinic");
    }
    const std::string idempotency_scope = absl::StrCat(
        request.GetDescriptor()->full_name(), ":", parent);
    const std::string digest = RequestDigest(request);
    std::vector<std::string> ids = *scope;
    ids.push_back(NewResourceId());
    const std::string name = FormatResourceName(kind_.collections, ids);
    M result;
    if (kind_.precheck_on_snapshot) {
      bool replayed = false;
      absl::Status precheck = db_.Read([&](store::Transaction& tx) -> absl::Status {
        if (absl::Status s = FindReplay(tx, idempotency_scope, request_id, digest, result, replayed);
            !s.ok() || replayed) {
          return s;
        }
        M candidate = resource;
        return Admit(tx, principal, *scope, parent, name, candidate);
      });
      if (!precheck.ok()) return precheck;
      if (replayed) return result;
    }
    absl::Status status = db_.Write([&](store::Transaction& tx) -> absl::Status {
      bool replayed = false;
      if (absl::Status s = FindReplay(tx, idempotency_scope, request_id, digest, result, replayed);
          !s.ok() || replayed) {
        return s;
      }
      // fn may run again after a rollback: stamping and validation fill
      // fields from what they read (a series' indication from the
      // consultation), so each attempt starts from the request's resource.
      M candidate = resource;
      if (absl::Status s = Admit(tx, principal, *scope, parent, name, candidate); !s.ok()) return s;
      store::ResourceRow row{ids.back(), 1, StoredBytes(candidate)};
      if (absl::Status s = store::InsertRow(tx, kind_.table, *scope, row, Columns(candidate));
          !s.ok()) {
        return s;
      }
      if (kind_.after_write) {
        if (absl::Status s = kind_.after_write(tx, principal.now, *scope, nullptr, candidate);
            !s.ok()) {
          return s;
        }
      }
      SetEtag(candidate, 1);
      result = std::move(candidate);
      if (request_id.empty()) return absl::OkStatus();
      return store::RecordIdempotentResponse(tx, idempotency_scope, request_id,
                                             digest, result.SerializeAsString(), principal.now);
    });
    if (!status.ok()) return status;
    return result;
  }

  // The resource called `name`; NOT_FOUND when absent or not visible.
  absl::StatusOr<M> Get(const auth::Principal& principal,
                        absl::string_view name) const {
    absl::StatusOr<std::vector<std::string>> ids = ParseName(principal, name);
    if (!ids.ok()) return ids.status();
    M result;
    absl::Status status = db_.Read([&](store::Transaction& tx) {
      return Load(tx, *ids, name, result);
    });
    if (!status.ok()) return status;
    return result;
  }

  // A page of the resources under `parent`, in the kind's order.
  absl::StatusOr<Page<M>> List(const auth::Principal& principal,
                               absl::string_view parent, int32_t page_size,
                               absl::string_view page_token) const {
    absl::StatusOr<std::vector<std::string>> scope = ParseParent(principal, parent);
    if (!scope.ok()) return scope.status();
    absl::StatusOr<int> limit = EffectivePageSize(page_size);
    if (!limit.ok()) return limit.status();
    const std::string fingerprint = absl::StrCat(kind_.table.table, ":", parent);
    absl::StatusOr<std::vector<std::string>> after = DecodePageToken(page_token, fingerprint);
    if (!after.ok()) return after.status();
    Page<M> page;
    absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      std::vector<std::string> cursor = *after;
      const bool by_id = kind_.order.column == "id";
      std::vector<std::vector<std::string>> keys;
      bool more = true;
      // Top-level rows may be hidden from a key limited to some clinics, so
      // keep reading until the page is full or the table ends.
      while (more && static_cast<int>(page.items.size()) <= *limit) {
        absl::StatusOr<std::vector<store::ListedRow>> rows = store::ListRows(
            tx, kind_.table, *scope, kind_.order, cursor, *limit + 1);
        if (!rows.ok()) return rows.status();
        more = static_cast<int>(rows->size()) == *limit + 1;
        for (store::ListedRow& listed : *rows) {
          store::ResourceRow& row = listed.row;
          M item;
          if (!item.ParseFromString(row.data)) {
            return absl::InternalError(absl::StrCat("stored row ", row.id, " is corrupt"));
          }
          SetEtag(item, row.revision);
          // The stored order value, not recomputed (folding names is slow).
          cursor = by_id ? std::vector<std::string>{row.id}
                         : std::vector<std::string>{listed.order_value, row.id};
          if (scope->empty() && !principal.CanAccessClinic(row.id)) continue;
          page.items.push_back(std::move(item));
          keys.push_back(cursor);
        }
      }
      if (static_cast<int>(page.items.size()) > *limit) {
        page.items.resize(*limit);
        page.next_page_token = EncodePageToken(keys[*limit - 1], fingerprint);
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return page;
  }

  // Applies `patch` (which carries the name and optionally the etag) for the
  // fields in `mask`, validating the result as a whole.
  absl::StatusOr<M> Update(const auth::Principal& principal, const M& patch,
                           const google::protobuf::FieldMask& mask) {
    absl::StatusOr<google::protobuf::FieldMask> effective =
        EffectiveUpdateMask(patch, mask, kind_.mutable_fields);
    if (!effective.ok()) return effective.status();
    const std::function<absl::Status(store::Transaction&, M&)> apply =
        [&](store::Transaction&, M& current) {
          ApplyUpdateMask(patch, *effective, current);
          return absl::OkStatus();
        };
    const std::string name_field = absl::StrCat(kind_.field, ".name");
    if (kind_.precheck_on_snapshot) {
      absl::StatusOr<std::vector<std::string>> ids = ParseName(principal, GetName(patch), name_field);
      if (!ids.ok()) return ids.status();
      absl::Status precheck = db_.Read([&](store::Transaction& tx) {
        M current;
        M previous;
        int64_t revision = 0;
        return Change(tx, principal, *ids, GetName(patch), GetEtag(patch), apply, current, previous,
                      revision);
      });
      if (!precheck.ok()) return precheck;
    }
    return Modify(principal, GetName(patch), GetEtag(patch), apply, name_field);
  }

  // Changes `name` with `change` (for operations that are not plain field
  // updates, such as state transitions) inside one write transaction: loads
  // it, checks `etag` when given, applies `change`, re-validates and stores.
  absl::StatusOr<M> Modify(const auth::Principal& principal, absl::string_view name,
                           absl::string_view etag,
                           const std::function<absl::Status(store::Transaction&, M&)>& change,
                           absl::string_view name_field = "name") {
    absl::StatusOr<std::vector<std::string>> ids = ParseName(principal, name, name_field);
    if (!ids.ok()) return ids.status();
    M result;
    absl::Status status = db_.Write([&](store::Transaction& tx) -> absl::Status {
      M current;
      M previous;
      int64_t revision = 0;
      if (absl::Status s = Change(tx, principal, *ids, name, etag, change, current, previous, revision);
          !s.ok()) {
        return s;
      }
      std::vector<std::string> scope(ids->begin(), ids->end() - 1);
      store::ResourceRow row{ids->back(), revision, StoredBytes(current)};
      if (absl::Status s = store::UpdateRow(tx, kind_.table, scope, row, Columns(current));
          !s.ok()) {
        return s;
      }
      if (kind_.after_write) {
        if (absl::Status s = kind_.after_write(tx, principal.now, scope, &previous, current); !s.ok()) return s;
      }
      SetEtag(current, revision + 1);
      result = std::move(current);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return result;
  }

  // Deletes `name` when `etag` (if given) matches and nothing refers to it.
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag) {
    absl::StatusOr<std::vector<std::string>> ids = ParseName(principal, name);
    if (!ids.ok()) return ids.status();
    return db_.Write([&](store::Transaction& tx) -> absl::Status {
      M current;
      int64_t revision = 0;
      if (absl::Status s = Load(tx, *ids, name, current, &revision); !s.ok()) return s;
      if (absl::Status s = CheckEtag(etag, revision, name); !s.ok()) return s;
      std::vector<std::string> scope(ids->begin(), ids->end() - 1);
      absl::Status s = store::DeleteRow(tx, kind_.table, scope, ids->back());
      if (absl::IsFailedPrecondition(s)) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                               "RESOURCE_IN_USE",
                               absl::StrCat(name, " cannot be deleted: ",
                                            kind_.delete_blocked));
      }
      return s;
    });
  }

  // Loads resource `ids` inside `tx` with its etag set (and its revision in
  // `*revision` when given); NOT_FOUND when absent.
  absl::Status Load(store::Transaction& tx, const std::vector<std::string>& ids,
                    absl::string_view name, M& out, int64_t* revision = nullptr) const {
    std::vector<std::string> scope(ids.begin(), ids.end() - 1);
    absl::StatusOr<std::optional<store::ResourceRow>> row =
        store::FindRow(tx, kind_.table, scope, ids.back());
    if (!row.ok()) return row.status();
    if (!row->has_value()) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(name, " not found"));
    }
    if (!out.ParseFromString((*row)->data)) {
      return absl::InternalError(absl::StrCat("stored row ", ids.back(), " is corrupt"));
    }
    SetEtag(out, (*row)->revision);
    if (revision != nullptr) *revision = (*row)->revision;
    return absl::OkStatus();
  }

  // The ids in `name` after checking its form and the caller's clinic access.
  absl::StatusOr<std::vector<std::string>> ParseName(
      const auth::Principal& principal, absl::string_view name,
      absl::string_view field = "name") const {
    absl::StatusOr<std::vector<std::string>> ids =
        ParseResourceName(field, name, kind_.collections);
    if (!ids.ok()) return ids.status();
    if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) {
      return s;
    }
    return ids;
  }

  const ResourceKind<M>& kind() const { return kind_; }

 private:
  // The parent ids of `parent`, checked for form and clinic access.
  absl::StatusOr<std::vector<std::string>> ParseParent(
      const auth::Principal& principal, absl::string_view parent) const {
    std::vector<absl::string_view> parent_collections(kind_.collections.begin(),
                                                     kind_.collections.end() - 1);
    if (parent_collections.empty()) return std::vector<std::string>{};
    absl::StatusOr<std::vector<std::string>> ids =
        ParseResourceName("parent", parent, parent_collections);
    if (!ids.ok()) return ids.status();
    if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) {
      return s;
    }
    return ids;
  }

  // When `request_id` was answered before (with the same request), the first
  // response as it was then, in `result`, and `replayed` set.
  static absl::Status FindReplay(store::Transaction& tx, absl::string_view scope,
                                 absl::string_view request_id, absl::string_view digest,
                                 M& result, bool& replayed) {
    if (request_id.empty()) return absl::OkStatus();
    absl::StatusOr<std::optional<std::string>> earlier =
        store::FindIdempotentResponse(tx, scope, request_id, digest);
    if (!earlier.ok()) return earlier.status();
    if (!earlier->has_value()) return absl::OkStatus();
    replayed = true;
    return result.ParseFromString(**earlier)
               ? absl::OkStatus()
               : absl::InternalError("stored idempotent response is corrupt");
  }

  // Checks that the parent exists, names and stamps `resource` and validates
  // it: everything of Create but the write, so it can run on a snapshot too.
  absl::Status Admit(store::Transaction& tx, const auth::Principal& principal,
                     const std::vector<std::string>& scope, absl::string_view parent,
                     const std::string& name, M& resource) const {
    if (absl::Status s = CheckParentExists(tx, scope, parent); !s.ok()) return s;
    StampCreated(resource, name, principal.now);
    return kind_.validate(tx, principal.now, scope, nullptr, resource);
  }

  // Loads `ids` into `current` (and a copy into `previous`, its revision into
  // `revision`), checks `etag`, applies `change` and validates the result:
  // everything of Modify but the write, so Update can run it on a snapshot.
  absl::Status Change(store::Transaction& tx, const auth::Principal& principal,
                      const std::vector<std::string>& ids, absl::string_view name,
                      absl::string_view etag,
                      const std::function<absl::Status(store::Transaction&, M&)>& change,
                      M& current, M& previous, int64_t& revision) const {
    if (absl::Status s = Load(tx, ids, name, current, &revision); !s.ok()) return s;
    if (absl::Status s = CheckEtag(etag, revision, name); !s.ok()) return s;
    previous = current;
    if (absl::Status s = change(tx, current); !s.ok()) return s;
    StampUpdated(current, principal.now);
    std::vector<std::string> scope(ids.begin(), ids.end() - 1);
    return kind_.validate(tx, principal.now, scope, &previous, current);
  }

  absl::Status CheckParentExists(store::Transaction& tx,
                                 const std::vector<std::string>& scope,
                                 absl::string_view parent) const {
    if (scope.empty()) return absl::OkStatus();
    std::vector<std::string> parent_scope(scope.begin(), scope.end() - 1);
    absl::StatusOr<std::optional<store::ResourceRow>> row =
        store::FindRow(tx, kind_.parent_table, parent_scope, scope.back());
    if (!row.ok()) return row.status();
    if (!row->has_value()) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(parent, " not found"));
    }
    return absl::OkStatus();
  }

  std::vector<store::Column> Columns(const M& resource) const {
    return kind_.columns ? kind_.columns(resource) : std::vector<store::Column>{};
  }

  store::Database& db_;
  ResourceKind<M> kind_;
};

}  // namespace clinicd::resources
