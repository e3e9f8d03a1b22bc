#pragma once

// What the generic resource operations (resource_crud.h) need to know about
// one kind of stored resource: where it lives, how it is named, which fields
// an update may touch, and how to validate it.

#include <functional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::resources {

// Describes one resource kind stored as a clinic.v1 message of type M.
template <typename M>
struct ResourceKind {
  // The request field that carries the resource, e.g. `patient`; prefixes
  // field paths in errors (`patient.email`).
  absl::string_view field;
  // Collection ids of its name, e.g. {"clinics", "patients"}.
  std::vector<absl::string_view> collections;
  // Its table; the scope columns hold the parent ids, outermost first.
  store::ResourceTable table;
  // The parent's table (for a NOT_FOUND on create); unused for top-level kinds.
  store::ResourceTable parent_table;
  // Fields (top-level names or dotted paths) an update_mask may name.
  std::vector<absl::string_view> mutable_fields;
  // Checks and normalises a complete resource before it is written; returns
  // FieldViolations' status. `now` is the request's time; `scope` holds the
  // parent ids; `previous` is the stored version on update and null on create.
  std::function<absl::Status(store::Transaction& tx, absl::Time now,
                             const std::vector<std::string>& scope,
                             const M* previous, M& resource)>
      validate;
  // Runs in the same transaction right after the resource is stored (created
  // when `previous` is null): the effects the change causes elsewhere, such
  // as outbox messages and feed events, so they commit or roll back with it.
  // Unset when a kind has none.
  std::function<absl::Status(store::Transaction& tx, absl::Time now,
                             const std::vector<std::string>& scope,
                             const M* previous, const M& resource)>
      after_write;
  // Extra indexed columns of a resource's row; empty when none.
  std::function<std::vector<store::Column>(const M&)> columns;
  // How lists are ordered; `columns` must fill the order column.
  store::ListOrder order;
  // Whether validate only reads and is worth running on a snapshot before
  // the write: a create or update it refuses (or a retry already answered)
  // then never queues for the writer, and the writer re-runs it on current
  // data. Worth it where validation is heavy and refusals are common under
  // load, as for bookings racing for a slot.
  bool precheck_on_snapshot = false;
  // Why a delete is refused when other records still refer to the resource.
  absl::string_view delete_blocked = "other records still refer to it";
};

}  // namespace clinicd::resources
