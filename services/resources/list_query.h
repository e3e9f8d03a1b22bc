#pragma once

// Pieces every filtered list query shares (the ones ResourceCrud::List does
// not cover): the clinic a `parent` names, checked against the caller's
// access; binding the previous page's key; and reading one keyset page of
// rows ordered by (an INTEGER column, id) with the next page's token.

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/auth/principal.h"
#include "services/store/statement.h"

namespace clinicd::resources {

// The clinic id of `parent` (`clinics/{clinic}`), when its form is right and
// the caller may see it; otherwise INVALID_ARGUMENT naming `field`, or NOT_FOUND.
absl::StatusOr<std::string> ParseClinicParent(const auth::Principal& principal,
                                              absl::string_view parent,
                                              absl::string_view field = "parent");

// Binds the previous page's key (order value, id), as DecodePageToken gave
// it, to parameters `index` and `index + 1`; NULLs on the first page, so the
// query's `(?i IS NULL OR (column, id) > (?i, ?i+1))` lets every row through.
void BindPageKey(store::Statement& stmt, int index, const std::vector<std::string>& after);

// Steps `stmt`, which selects up to limit + 1 rows, calling `read_row` for
// each of the first `limit`; `read_row` returns that row's key (order value,
// id). When one more row exists, sets `*next_page_token` from the last key.
absl::Status ReadPage(store::Statement& stmt, int limit, absl::string_view fingerprint,
                      absl::FunctionRef<absl::StatusOr<std::vector<std::string>>()> read_row,
                      std::string* next_page_token);

}  // namespace clinicd::resources
