#include "services/store/appointment_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/store/keyset_statement.h"

namespace clinicd::store {

absl::StatusOr<KeysetPage<ResourceRow>> ListAppointmentRows(Transaction& tx,
                                                            const AppointmentFilter& filter,
                                                            const std::vector<std::string>& after,
                                                            int limit) {
  // ?1 clinic, ?2 limit, ?3/?4 keyset, then the id filters in order and the
  // times. Only the filters in use appear, so each combination is its own
  // cached statement and keeps its index.
  std::string sql =
      "SELECT id, revision, data, start_time FROM appointments WHERE clinic_id = ?1 "
      "AND " CLINICD_SQL_AFTER_INTEGER_KEY("start_time");
  std::vector<std::string> text_params;
  struct IdFilter {
    const std::string& id;
    const char* column;
  };
  for (const IdFilter& id_filter : {IdFilter{filter.practitioner_id, "practitioner_id"},
                                    IdFilter{filter.room_id, "room_id"},
                                    IdFilter{filter.patient_id, "patient_id"}}) {
    if (id_filter.id.empty()) continue;
    absl::StrAppend(&sql, " AND ", id_filter.column, " = ?", 5 + text_params.size());
    text_params.push_back(id_filter.id);
  }
  const int time_param = 5 + static_cast<int>(text_params.size());
  if (filter.start_from) absl::StrAppend(&sql, " AND start_time >= ?", time_param);
  if (filter.start_before) absl::StrAppend(&sql, " AND start_time < ?", time_param + 1);
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
  for (size_t i = 0; i < text_params.size(); ++i) {
    stmt->BindText(5 + static_cast<int>(i), text_params[i]);
  }
  if (filter.start_from) stmt->Bind(time_param, *filter.start_from);
  if (filter.start_before) stmt->Bind(time_param + 1, *filter.start_before);
  return ReadResourceRowPage(*stmt, limit);
}

}  // namespace clinicd::store
