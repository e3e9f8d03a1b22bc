#include "services/follow_up/series_plan.h"

#include "absl/strings/str_cat.h"
#include "clinicd/protocol_rules.h"
#include "services/common/proto_time.h"

namespace clinicd::follow_up {

using clinic::v1::AppointmentState;

absl::StatusOr<std::vector<TakenSession>> LoadTakenSessions(store::Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& series_id,
                                                            const std::string& exclude_appointment) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT id, state, start_time FROM appointments WHERE series_id = ?1 AND clinic_id = ?2 "
      "AND state IN (1, 2, 3) AND id != ?3 ORDER BY start_time, id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, series_id).BindText(2, clinic_id).BindText(3, exclude_appointment);
  std::vector<TakenSession> taken;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return taken;
    taken.push_back({absl::StrCat("clinics/", clinic_id, "/appointments/", stmt->ColumnText(0)),
                     static_cast<AppointmentState>(stmt->ColumnInt(1)), stmt->ColumnTime(2)});
  }
}

const clinic::v1::Indication* FindIndication(const clinic::v1::TreatmentType& type,
                                             const std::string& id) {
  for (const clinic::v1::Indication& indication : type.indications()) {
    if (indication.id() == id) return &indication;
  }
  return nullptr;
}

absl::Status PlanSessions(const plugin_host::TreatmentRegistry& registry,
                          const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<TakenSession>& taken, clinic::v1::Series& series) {
  const clinic::v1::Indication* indication = FindIndication(type, series.indication());
  if (indication == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        type.name(), " no longer has the indication `", series.indication(), "`"));
  }
  clinicd::plugin::v1::PlanSeriesRequest request;
  *request.mutable_treatment_type() = type;
  request.set_indication(series.indication());
  request.set_session_count(series.planned_sessions());
  *request.mutable_first_session_time() = series.create_time();
  for (const TakenSession& session : taken) {
    *request.add_completed_session_times() = ToProtoTime(session.start);
  }
  request.set_time_zone(std::string(zone.name()));
  absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> plan = registry.PlanSeries(request);
  if (!plan.ok()) return plan.status();

  series.clear_sessions();
  int completed = 0;
  for (int i = 0; i < plan->sessions_size(); ++i) {
    clinic::v1::SeriesSession* session = series.add_sessions();
    *session = plan->sessions(i);
    if (i < static_cast<int>(taken.size())) {
      session->set_appointment(taken[i].appointment);
      session->set_appointment_state(taken[i].state);
      if (taken[i].state == clinic::v1::APPOINTMENT_STATE_COMPLETED) ++completed;
    } else if (i == 0) {
      // Nothing booked yet: the course may start any time within the rule's
      // longest spacing of planning it.
      *session->mutable_window_end_time() = ToProtoTime(protocol::AddPeriod(
          FromProtoTime(series.create_time()), indication->series().max_spacing(), zone));
    }
  }
  if (series.state() == clinic::v1::SERIES_STATE_CANCELLED) return absl::OkStatus();
  if (completed == series.planned_sessions()) {
    series.set_state(clinic::v1::SERIES_STATE_COMPLETED);
    absl::Time last = absl::InfinitePast();
    for (const TakenSession& session : taken) last = std::max(last, session.start);
    *series.mutable_complete_time() = ToProtoTime(last);
  } else {
    series.set_state(completed > 0 ? clinic::v1::SERIES_STATE_ACTIVE
                                   : clinic::v1::SERIES_STATE_PLANNED);
  }
  return absl::OkStatus();
}

const clinic::v1::SeriesSession* NextOpenSession(const clinic::v1::Series& series) {
  for (const clinic::v1::SeriesSession& session : series.sessions()) {
    if (session.appointment().empty()) return &session;
  }
  return nullptr;
}

}  // namespace clinicd::follow_up
