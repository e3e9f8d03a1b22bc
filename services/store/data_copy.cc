#include "services/store/data_copy.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/cursor.h"
#include "services/store/store_errors.h"

namespace clinicd::store {
namespace {

// Every table of schema.cc that holds data, parents before children (the
// foreign keys are checked row by row on PostgreSQL). SQLite's FTS index
// and sqlite_sequence are not data: PostgreSQL derives its own.
constexpr const char* kTables[] = {
    "clinics",       "practitioners", "rooms",   "time_off",     "closures",
    "patients",      "api_keys",      "api_key_clinics",  "idempotency_records",
    "series",        "appointments",  "consents", "screenings", "recalls",
    "notifications", "events",        "server_secrets",
};

// The column names of `table` in `from`, in their order.
absl::StatusOr<std::vector<std::string>> ColumnsOf(Transaction& from, const std::string& table) {
  // table_info is a table-valued function; the name is one of kTables.
  absl::StatusOr<Statement> info =
      from.Prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  if (!info.ok()) return info.status();
  info->BindText(1, table);
  std::vector<std::string> columns;
  while (true) {
    absl::StatusOr<bool> row = info->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    columns.push_back(info->ColumnText(0));
  }
  if (columns.empty()) return absl::FailedPreconditionError(absl::StrCat("no table ", table));
  return columns;
}

// Copies one table row by row, each value bound as the kind it is stored.
absl::StatusOr<int64_t> CopyTable(Transaction& from, Transaction& to, const std::string& table) {
  absl::StatusOr<std::vector<std::string>> columns = ColumnsOf(from, table);
  if (!columns.ok()) return columns.status();
  const std::string list = absl::StrJoin(*columns, ", ");
  std::vector<std::string> parameters;
  for (size_t i = 1; i <= columns->size(); ++i) parameters.push_back(absl::StrCat("?", i));
  // Built from the schema's own names, never from data; one text per table.
  absl::StatusOr<Statement> read = from.Prepare(absl::StrCat("SELECT ", list, " FROM ", table));
  if (!read.ok()) return read.status();
  absl::StatusOr<Statement> write = to.Prepare(absl::StrCat(
      "INSERT INTO ", table, " (", list, ") VALUES (", absl::StrJoin(parameters, ", "), ")"));
  if (!write.ok()) return write.status();
  int64_t rows = 0;
  while (true) {
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    for (int c = 0; c < read->ColumnCount(); ++c) {
      const int index = c + 1;
      switch (read->ColumnKind(c)) {
        case ValueKind::kNull:
          write->BindNull(index);
          break;
        case ValueKind::kInteger:
          write->Bind(index, read->ColumnInt(c));
          break;
        case ValueKind::kReal:
          write->Bind(index, read->ColumnDouble(c));
          break;
        case ValueKind::kText:
          write->BindText(index, read->ColumnText(c));
          break;
        case ValueKind::kBlob:
          write->BindBlob(index, read->ColumnBlob(c));
          break;
      }
    }
    if (absl::Status s = write->Run(); !s.ok()) {
      return internal::Annotate(s, absl::StrCat(table, " row ", rows + 1, ": "));
    }
    ++rows;
  }
  return rows;
}

}  // namespace

absl::StatusOr<std::vector<CopiedTable>> CopyClinicData(const Database& from, Database& to) {
  if (from.dialect() != Dialect::kSqlite || to.dialect() != Dialect::kPostgres) {
    return absl::InvalidArgumentError(
        "a clinic moves from a SQLite file (--db) to a PostgreSQL database (--to)");
  }
  absl::StatusOr<int> from_version = from.UserVersion();
  if (!from_version.ok()) return from_version.status();
  absl::StatusOr<int> to_version = to.UserVersion();
  if (!to_version.ok()) return to_version.status();
  if (*from_version != *to_version) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the schema versions differ (", *from_version, " and ", *to_version,
        "): run clinicd migrate on both first"));
  }
  std::vector<CopiedTable> copied;
  absl::Status status = from.Read([&](Transaction& source) -> absl::Status {
    return to.Write([&](Transaction& target) -> absl::Status {
      copied.clear();  // The write may run again after a conflict.
      absl::StatusOr<Statement> clinics = target.Prepare("SELECT count(*) FROM clinics");
      if (!clinics.ok()) return clinics.status();
      absl::StatusOr<bool> row = clinics->Step();
      if (!row.ok()) return row.status();
      if (clinics->ColumnInt(0) != 0) {
        return absl::FailedPreconditionError(
            "the PostgreSQL database already holds clinics; move into an empty one");
      }
      clinics->Reset();
      for (const char* table : kTables) {
        absl::StatusOr<int64_t> rows = CopyTable(source, target, table);
        if (!rows.ok()) return rows.status();
        copied.push_back(CopiedTable{table, *rows});
      }
      // The feed goes on from the last sequence number the file gave.
      absl::StatusOr<Statement> last = source.Prepare(
          "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
      if (!last.ok()) return last.status();
      row = last->Step();
      if (!row.ok()) return row.status();
      const int64_t last_seq = *row ? last->ColumnInt(0) : 0;
      if (last_seq == 0) return absl::OkStatus();
      absl::StatusOr<Statement> advance = target.Prepare("SELECT setval('events_seq', ?1)");
      if (!advance.ok()) return advance.status();
      if (absl::Status s = advance->Bind(1, last_seq).Run(); !s.ok()) return s;
      // What retention pruned from the file stays pruned: a cursor from
      // before the oldest copied event is told it expired.
      absl::StatusOr<Statement> floor = target.Prepare(
          "UPDATE event_feed_floor SET pruned_through = "
          "coalesce((SELECT min(seq) FROM events), CAST(?1 AS BIGINT) + 1) - 1");
      if (!floor.ok()) return floor.status();
      return floor->Bind(1, last_seq).Run();
    });
  });
  if (!status.ok()) return status;
  return copied;
}

}  // namespace clinicd::store
