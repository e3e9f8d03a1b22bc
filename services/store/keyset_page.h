#pragma once

// One keyset page of a list query: rows ordered by (an order value, id),
// starting after the previous page's last key. The store's list functions
// return this shape, so feature code turns `next_after` into a page token
// without knowing how the rows were read.

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/resource_rows.h"
#include "services/store/statement.h"

namespace clinicd::store {

// Up to the page size of items, and the key (order value, id) of the last
// one when more rows follow; `next_after` is empty on the last page.
template <typename T>
struct KeysetPage {
  std::vector<T> items;
  std::vector<std::string> next_after;
};

// For the store's .cc files: binds the previous page's key (order value as
// INTEGER, id), as DecodePageToken gave it, to parameters `index` and
// `index + 1`; NULLs on the first page, so the query's
// `(?i IS NULL OR (column, id) > (?i, ?i+1))` lets every row through.
void BindIntegerPageKey(Statement& stmt, int index, const std::vector<std::string>& after);

// For the store's .cc files: steps `stmt`, which selects up to limit + 1
// rows, calling `read_row` for each of the first `limit`; `read_row` returns
// that row's key (order value, id). When one more row exists, the last key
// read becomes `next_after`.
absl::Status ReadKeysetPage(Statement& stmt, int limit,
                            absl::FunctionRef<absl::StatusOr<std::vector<std::string>>()> read_row,
                            std::vector<std::string>& next_after);

// For the store's .cc files: ReadKeysetPage over a statement selecting
// (id, revision, data, INTEGER order value) of a resource table.
absl::StatusOr<KeysetPage<ResourceRow>> ReadResourceRowPage(Statement& stmt, int limit);

}  // namespace clinicd::store
