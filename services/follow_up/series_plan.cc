#include "services/follow_up/series_plan.h"

#include "absl/strings/str_cat.h"
#include "clinicd/protocol_rules.h"
#include "services/common/proto_time.h"
#include "services/store/booking_queries.h"

namespace clinicd::follow_up {

absl::StatusOr<std::vector<TakenSession>> LoadTakenSessions(store::Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& series_id,
                                                            const std::string& exclude_appointment) {
  absl::StatusOr<std::vector<store::SeriesSessionRow>> rows =
      store::SeriesSessions(tx, clinic_id, series_id, exclude_appointment);
  if (!rows.ok()) return rows.status();
  std::vector<TakenSession> taken;
  taken.reserve(rows->size());
  for (const store::SeriesSessionRow& row : *rows) {
    taken.push_back({absl::StrCat("clinics/", clinic_id, "/appointments/", row.id), row.state,
                     row.start});
  }
  return taken;
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
