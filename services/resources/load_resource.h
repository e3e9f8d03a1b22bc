#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/resources/resource_fields.h"
#include "services/store/resource_rows.h"

namespace clinicd::resources {

// Loads the resource `id` under `scope` from `table` inside `tx`, with its
// etag set; NOT_FOUND naming `name` when it is absent.
template <typename M>
absl::StatusOr<M> LoadResource(store::Transaction& tx, const store::ResourceTable& table,
                               const std::vector<std::string>& scope, const std::string& id,
                               absl::string_view name) {
  absl::StatusOr<std::optional<store::ResourceRow>> row = store::FindRow(tx, table, scope, id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                           absl::StrCat(name, " not found"));
  }
  M resource;
  if (!resource.ParseFromString((*row)->data)) {
    return absl::InternalError(absl::StrCat("stored row ", id, " is corrupt"));
  }
  SetEtag(resource, (*row)->revision);
  return resource;
}

}  // namespace clinicd::resources
