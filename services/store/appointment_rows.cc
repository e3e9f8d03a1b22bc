#include "services/store/appointment_rows.h"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/store/keyset_statement.h"

namespace clinicd::store {

absl::StatusOr<KeysetPage<ResourceRow>> ListAppointmentRows(Transaction& tx,
                                                            const AppointmentFilter& filter,
                                                            const std::vector<std::string>& after,
                                                            int limit) {
  // ?1 clinic, ?2 limit, ?3/?4 keyset, then one parameter per filter in
  // use, numbered on from ?5 as they are added: a number skipped for an
  // unused filter would make PostgreSQL refuse the statement. Only the
  // filters in use appear, so each combination is its own cached statement
  // and keeps its index.
  std::string sql =
      "SELECT id, revision, data, start_time FROM appointments WHERE clinic_id = ?1 "
      "AND " CLINICD_SQL_AFTER_INTEGER_KEY("start_time");
  std::vector<std::variant<std::string, absl::Time>> filter_values;
  auto append_filter = [&](absl::string_view condition,
                           std::variant<std::string, absl::Time> value) {
    filter_values.push_back(std::move(value));
    absl::StrAppend(&sql, " AND ", condition, " ?", 4 + filter_values.size());
  };
  if (!filter.practitioner_id.empty()) append_filter("practitioner_id =", filter.practitioner_id);
  if (!filter.room_id.empty()) append_filter("room_id =", filter.room_id);
  if (!filter.patient_id.empty()) append_filter("patient_id =", filter.patient_id);
  if (filter.start_from) append_filter("start_time >=", *filter.start_from);
  if (filter.start_before) append_filter("start_time <", *filter.start_before);
  // States and kinds are stored as their clinic.v1 numbers (stored_values.h).
  std::string states;
  for (clinic::v1::AppointmentState state : filter.states) {
    absl::StrAppend(&states, states.empty() ? "" : ", ", static_cast<int>(state));
  }
  if (!states.empty()) absl::StrAppend(&sql, " AND state IN (", states, ")");
  if (filter.kind != clinic::v1::VISIT_KIND_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND visit_kind = ", static_cast<int>(filter.kind));
  }
  sql += " ORDER BY start_time, id LIMIT ?2";

  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, filter.clinic_id).Bind(2, static_cast<int64_t>(limit + 1));
  BindIntegerPageKey(*stmt, 3, after);
  for (size_t i = 0; i < filter_values.size(); ++i) {
    const int index = 5 + static_cast<int>(i);
    if (const auto* text = std::get_if<std::string>(&filter_values[i])) {
      stmt->BindText(index, *text);
    } else {
      stmt->Bind(index, std::get<absl::Time>(filter_values[i]));
    }
  }
  return ReadResourceRowPage(*stmt, limit);
}

}  // namespace clinicd::store
