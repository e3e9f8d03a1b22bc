#pragma once

// Stores a resource the way ResourceCrud::Create does (name and times
// stamped, validated by its kind, the same row and columns), without the
// request around it: for tools that load many rows in one transaction.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/ids.h"
#include "services/common/resource_name.h"
#include "services/resources/resource_fields.h"
#include "services/resources/resource_kind.h"
#include "services/store/resource_rows.h"

namespace clinicd::bench {

// Names `resource` under `scope` (parent ids), stamps it created at
// `created`, runs the kind's validation (unless `validate` is false: the
// booking rules refuse times in the past, which history is) and inserts its
// row. `finish`, when given, changes the resource after stamping (say, a
// later update_time). Returns the resource's name.
template <typename M>
absl::StatusOr<std::string> StoreResource(store::Transaction& tx,
                                          const resources::ResourceKind<M>& kind,
                                          const std::vector<std::string>& scope, M& resource,
                                          absl::Time created, bool validate = true,
                                          const std::function<void(M&)>& finish = nullptr) {
  std::vector<std::string> ids = scope;
  ids.push_back(NewResourceId(created));
  const std::string name = FormatResourceName(kind.collections, ids);
  resources::StampCreated(resource, name, created);
  if (finish) finish(resource);
  if (validate) {
    if (absl::Status s = kind.validate(tx, created, scope, nullptr, resource); !s.ok()) return s;
  }
  store::ResourceRow row{ids.back(), 1, resources::StoredBytes(resource)};
  std::vector<store::Column> columns;
  if (kind.columns) columns = kind.columns(resource);
  if (absl::Status s = store::InsertRow(tx, kind.table, scope, row, columns); !s.ok()) return s;
  return name;
}

}  // namespace clinicd::bench
