#pragma once

// Rows of resource tables. Every resource table has the same core shape:
//   id TEXT PRIMARY KEY, <scope columns>, revision INTEGER, data BLOB
// where `data` is the serialized clinic.v1 message (so the schema evolves by
// protobuf's rules) and scope and index columns exist only to look rows up and
// to let SQLite enforce foreign keys. The revision is the resource's etag.

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// A value for an extra indexed column.
using ColumnValue = std::variant<std::monostate, int64_t, std::string>;

// One named column and its value; std::monostate stores NULL.
struct Column {
  absl::string_view name;
  ColumnValue value;
};

// Where a resource table lives and which columns scope its rows.
struct ResourceTable {
  // SQL table name (a compile-time constant, never user input).
  absl::string_view table;
  // Parent id columns, outermost first, e.g. {"clinic_id", "practitioner_id"}.
  std::vector<absl::string_view> scope_columns;
};

// One stored resource.
struct ResourceRow {
  std::string id;
  int64_t revision = 0;
  std::string data;
};

// A row of a list, with its value of the order column as text (the page
// cursor), so callers need not recompute it from the message.
struct ListedRow {
  ResourceRow row;
  std::string order_value;
};

// The row `id` under `scope` (values for table.scope_columns), if present.
absl::StatusOr<std::optional<ResourceRow>> FindRow(
    Transaction& tx, const ResourceTable& table,
    const std::vector<std::string>& scope, absl::string_view id);

// How a list is ordered: by `column` (INTEGER or TEXT) then id, or by id.
struct ListOrder {
  absl::string_view column = "id";
  bool integer = false;
};

// Up to `limit` rows under `scope` in `order`, after the key (order value,
// id) of the previous page; `after` empty = first page.
absl::StatusOr<std::vector<ListedRow>> ListRows(
    Transaction& tx, const ResourceTable& table,
    const std::vector<std::string>& scope, const ListOrder& order,
    const std::vector<std::string>& after, int limit);

// Inserts `row` (revision 1) with its scope and extra columns.
absl::Status InsertRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       const ResourceRow& row,
                       const std::vector<Column>& columns);

// Replaces the data of row `row.id` whose revision is `row.revision`, bumping
// the revision; ABORTED when another write changed it first.
absl::Status UpdateRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       const ResourceRow& row,
                       const std::vector<Column>& columns);

// Deletes row `id`; FAILED_PRECONDITION when other rows still refer to it.
absl::Status DeleteRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       absl::string_view id);

}  // namespace clinicd::store
