#include "services/store/resource_rows.h"

#include <algorithm>
#include <variant>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace clinicd::store {
namespace {

// "clinic_id = ?2 AND practitioner_id = ?3" for scope params from `first`;
// TRUE for a top-level table. Not 1: PostgreSQL takes only a boolean as a
// condition, and SQLite (since 3.23) reads TRUE as 1.
std::string ScopeClause(const ResourceTable& table, int first) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < table.scope_columns.size(); ++i) {
    parts.push_back(absl::StrCat(table.scope_columns[i], " = ?", first + i));
  }
  return parts.empty() ? "TRUE" : absl::StrJoin(parts, " AND ");
}

void BindScope(Statement& stmt, const std::vector<std::string>& scope,
               int first) {
  for (size_t i = 0; i < scope.size(); ++i) stmt.BindText(first + i, scope[i]);
}

void BindColumn(Statement& stmt, int index, const ColumnValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    stmt.BindText(index, *text);
  } else if (const auto* number = std::get_if<int64_t>(&value)) {
    stmt.Bind(index, *number);
  } else {
    stmt.BindNull(index);
  }
}

// Rows of a SELECT id, revision, data, <order value> query.
absl::StatusOr<std::vector<ListedRow>> CollectRows(Statement& stmt) {
  std::vector<ListedRow> rows;
  while (true) {
    absl::StatusOr<bool> has_row = stmt.Step();
    if (!has_row.ok()) return has_row.status();
    if (!*has_row) return rows;
    rows.push_back({{stmt.ColumnText(0), stmt.ColumnInt(1), stmt.ColumnBlob(2)},
                    stmt.ColumnText(3)});
  }
}

}  // namespace

absl::StatusOr<std::optional<ResourceRow>> FindRow(
    Transaction& tx, const ResourceTable& table,
    const std::vector<std::string>& scope, absl::string_view id) {
  absl::StatusOr<Statement> stmt =
      tx.Prepare(absl::StrCat("SELECT id, revision, data, id FROM ", table.table,
                              " WHERE id = ?1 AND ", ScopeClause(table, 2)));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id);
  BindScope(*stmt, scope, 2);
  absl::StatusOr<std::vector<ListedRow>> rows = CollectRows(*stmt);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ResourceRow>();
  return std::optional<ResourceRow>(std::move(rows->front().row));
}

absl::StatusOr<std::vector<ListedRow>> ListRows(
    Transaction& tx, const ResourceTable& table,
    const std::vector<std::string>& scope, const ListOrder& order,
    const std::vector<std::string>& after, int limit) {
  const absl::string_view order_column = order.column;
  const int next = 2 + static_cast<int>(scope.size());
  std::string sql = absl::StrCat("SELECT id, revision, data, ", order.column, " FROM ",
                                 table.table, " WHERE ", ScopeClause(table, 2));
  const bool by_id = order_column == "id";
  if (!after.empty()) {
    // Row-value comparison: the page starts strictly after the last key.
    absl::StrAppend(
        &sql, by_id ? absl::StrCat(" AND id > ?", next)
                    : absl::StrCat(" AND (", order_column, ", id) > (?", next,
                                   ", ?", next + 1, ")"));
  }
  absl::StrAppend(&sql, " ORDER BY ",
                  by_id ? "id" : absl::StrCat(order_column, ", id"),
                  " LIMIT ?1");
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(limit));
  BindScope(*stmt, scope, 2);
  for (size_t i = 0; i < after.size(); ++i) {
    int64_t number = 0;
    if (i == 0 && !by_id && order.integer && absl::SimpleAtoi(after[i], &number)) {
      stmt->Bind(next, number);
    } else {
      stmt->BindText(next + i, after[i]);
    }
  }
  return CollectRows(*stmt);
}

namespace {

// On PostgreSQL two transactions writing overlapping appointments each put
// their row into the EXCLUDE constraints' indexes and then wait for the
// other to finish: a deadlock PostgreSQL finds only after deadlock_timeout
// (1 s), over and over under load. A transaction-scoped advisory lock on
// each practitioner, room and patient the row holds, taken in one order
// before the write, makes the second wait for the first to commit; its
// constraint check (or, run again, the booking rules) then refuses it at
// once. SQLite's single writer needs none.
absl::Status LockOverlapKeys(Transaction& tx, const ResourceTable& table,
                             const std::vector<Column>& columns) {
  if (tx.dialect() != Dialect::kPostgres || table.table != "appointments") {
    return absl::OkStatus();
  }
  std::vector<std::string> keys;
  for (const Column& column : columns) {
    if (column.name != "practitioner_id" && column.name != "room_id" &&
        column.name != "patient_id") {
      continue;
    }
    if (const auto* id = std::get_if<std::string>(&column.value)) {
      keys.push_back(absl::StrCat("appointments.", column.name, ":", *id));
    }
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    absl::StatusOr<Statement> lock =
        tx.Prepare("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))");
    if (!lock.ok()) return lock.status();
    if (absl::Status s = lock->BindText(1, key).Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status InsertRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       const ResourceRow& row,
                       const std::vector<Column>& columns) {
  if (absl::Status s = LockOverlapKeys(tx, table, columns); !s.ok()) return s;
  std::vector<std::string> names = {"id", "revision", "data"};
  for (absl::string_view column : table.scope_columns)
    names.emplace_back(column);
  for (const Column& column : columns) names.emplace_back(column.name);
  std::vector<std::string> params;
  for (size_t i = 1; i <= names.size(); ++i)
    params.push_back(absl::StrCat("?", i));
  absl::StatusOr<Statement> stmt = tx.Prepare(absl::StrCat(
      "INSERT INTO ", table.table, " (", absl::StrJoin(names, ", "),
      ") VALUES (", absl::StrJoin(params, ", "), ")"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, row.id).Bind(2, int64_t{1}).BindBlob(3, row.data);
  BindScope(*stmt, scope, 4);
  int index = 4 + static_cast<int>(scope.size());
  for (const Column& column : columns) BindColumn(*stmt, index++, column.value);
  return stmt->Run();
}

absl::Status UpdateRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       const ResourceRow& row,
                       const std::vector<Column>& columns) {
  if (absl::Status s = LockOverlapKeys(tx, table, columns); !s.ok()) return s;
  std::string sets = "revision = revision + 1, data = ?3";
  const int first_column = 4 + static_cast<int>(scope.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::StrAppend(&sets, ", ", columns[i].name, " = ?", first_column + i);
  }
  absl::StatusOr<Statement> stmt = tx.Prepare(absl::StrCat(
      "UPDATE ", table.table, " SET ", sets,
      " WHERE id = ?1 AND revision = ?2 AND ", ScopeClause(table, 4)));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, row.id).Bind(2, row.revision).BindBlob(3, row.data);
  BindScope(*stmt, scope, 4);
  int index = first_column;
  for (const Column& column : columns) BindColumn(*stmt, index++, column.value);
  if (absl::Status s = stmt->Run(); !s.ok()) return s;
  if (tx.Changes() != 1) {
    return absl::AbortedError(
        "the resource changed concurrently; read it again");
  }
  return absl::OkStatus();
}

absl::Status DeleteRow(Transaction& tx, const ResourceTable& table,
                       const std::vector<std::string>& scope,
                       absl::string_view id) {
  absl::StatusOr<Statement> stmt =
      tx.Prepare(absl::StrCat("DELETE FROM ", table.table,
                              " WHERE id = ?1 AND ", ScopeClause(table, 2)));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id);
  BindScope(*stmt, scope, 2);
  return stmt->Run();
}

}  // namespace clinicd::store
