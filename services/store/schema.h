#pragma once

#include "absl/types/span.h"
#include "services/store/migrations.h"

namespace clinicd::store {

// clinicd's database schema as numbered migrations, oldest first. Append
// only: a released migration is never edited.
absl::Span<const Migration> SchemaMigrations();

}  // namespace clinicd::store
