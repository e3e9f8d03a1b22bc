#pragma once

// For the store's own .cc files: binding a page key to, and reading a
// KeysetPage from, a prepared statement of the SQLite implementation.

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/keyset_page.h"
#include "services/store/resource_rows.h"
#include "services/store/statement.h"

namespace clinicd::store {

// Binds the previous page's key (order value as
// INTEGER, id), as DecodePageToken gave it, to parameters `index` and
// `index + 1`; NULLs on the first page, so the query's
// `(?i IS NULL OR (column, id) > (?i, ?i+1))` lets every row through.
void BindIntegerPageKey(Statement& stmt, int index, const std::vector<std::string>& after);

// Steps `stmt`, which selects up to limit + 1
// rows, calling `read_row` for each of the first `limit`; `read_row` returns
// that row's key (order value, id). When one more row exists, the last key
// read becomes `next_after`.
absl::Status ReadKeysetPage(Statement& stmt, int limit,
                            absl::FunctionRef<absl::StatusOr<std::vector<std::string>>()> read_row,
                            std::vector<std::string>& next_after);

// ReadKeysetPage over a statement selecting
// (id, revision, data, order value) of a resource table; the key holds the
// order value as text (an INTEGER as its decimal digits).
absl::StatusOr<KeysetPage<ResourceRow>> ReadResourceRowPage(Statement& stmt, int limit);

}  // namespace clinicd::store
