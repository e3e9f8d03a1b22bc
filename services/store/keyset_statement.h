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

// Where a keyset page starts, for a query ordered by (column, id) with the
// previous page's key bound to ?3 (order value) and ?4 (id), NULLs on the
// first page. Spelt so that SQLite seeks the index to ?3: the plainer
// `(?3 IS NULL OR (column, id) > (?3, ?4))` hides the bound inside an OR,
// and page n of a list then reads every row before it (58 ms instead of
// 0.1 ms at row 900,000 of a million).
#define CLINICD_SQL_AFTER_INTEGER_KEY(column)                                   \
  column " >= coalesce(?3, -9223372036854775807) AND (?3 IS NULL OR " column \
         " > ?3 OR id > ?4)"
#define CLINICD_SQL_AFTER_TEXT_KEY(column) \
  column " >= coalesce(?3, '') AND (?3 IS NULL OR " column " > ?3 OR id > ?4)"

// Binds the previous page's key (order value as INTEGER, id), as
// DecodePageToken gave it, to parameters `index` and `index + 1`; NULLs on
// the first page (see CLINICD_SQL_AFTER_INTEGER_KEY).
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
