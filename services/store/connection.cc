#include "services/store/connection.h"

namespace clinicd::store::internal {

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  absl::StatusOr<Cursor*> cursor = PrepareCursor(sql);
  if (!cursor.ok()) return cursor.status();
  return Statement(this, *cursor);
}

}  // namespace clinicd::store::internal
