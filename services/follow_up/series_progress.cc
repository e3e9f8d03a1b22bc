#include "services/follow_up/series_progress.h"

#include "absl/strings/str_cat.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinicd/protocol_rules.h"
#include "services/common/proto_time.h"
#include "services/follow_up/recalls.h"
#include "services/follow_up/series_plan.h"
#include "services/outbox/event_log.h"
#include "services/outbox/outbox.h"
#include "services/resources/load_resource.h"
#include "services/resources/resource_fields.h"
#include "services/store/tables.h"

namespace clinicd::follow_up {
namespace {

using clinic::v1::Series;

// How many calendar days before the next session's window opens the patient
// is asked to book it (the same local time, across clock changes).
constexpr int kPromptLeadDays = 7;

// Asks the patient to book `session` of `series`.
absl::Status PromptNextSession(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                               const Series& series, const clinic::v1::SeriesSession& session,
                               const outbox::PatientOutbox& outbox, absl::Time now) {
  const absl::Time opens = FromProtoTime(session.window_start_time());
  outbox::PatientMessage message;
  message.kind = clinic::v1::NOTIFICATION_KIND_NEXT_SESSION_PROMPT;
  message.resource = series.name();
  message.message_id =
      absl::StrCat("session_", session.number(), "_prompt@", absl::ToUnixSeconds(opens));
  message.subject = absl::StrCat("Time to book session ", session.number(), " of your ",
                                 type.display_name(), " course");
  message.text = absl::StrCat(
      "Your next session (", session.number(), " of ", series.planned_sessions(),
      ") is best between ", outbox.LocalDate(opens), " and ",
      outbox.LocalDate(FromProtoTime(session.window_end_time())),
      ". Spacing the sessions this way gives your skin time to heal and renew in between. "
      "Get in touch with us to book a time that suits you.");
  clinic::v1::Period lead;
  lead.set_days(-kPromptLeadDays);
  message.due = std::max(now, protocol::AddPeriod(opens, lead, outbox.zone()));
  return outbox.Send(tx, message, now);
}

}  // namespace

absl::Status ReplanSeries(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                          const std::string& clinic_id, const std::string& series_id,
                          const outbox::PatientOutbox& outbox, absl::Time now) {
  absl::StatusOr<std::optional<store::ResourceRow>> row =
      store::FindRow(tx, store::kSeriesTable, {clinic_id}, series_id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::InternalError(absl::StrCat("series ", series_id, " vanished"));
  Series series;
  if (!series.ParseFromString((*row)->data)) {
    return absl::InternalError(absl::StrCat("stored series ", series_id, " is corrupt"));
  }
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(series.treatment_type());
  // Without its plugin a series cannot be planned; it keeps its last plan
  // until the plugin is back.
  if (type == nullptr) return absl::OkStatus();
  absl::StatusOr<std::vector<TakenSession>> taken = LoadTakenSessions(tx, clinic_id, series_id);
  if (!taken.ok()) return taken.status();
  const clinic::v1::SeriesState before = series.state();
  if (absl::Status s = PlanSessions(registry, *type, outbox.zone(), *taken, series); !s.ok()) {
    return s;
  }
  if (absl::Status s = outbox::CancelUndelivered(tx, series.name(),
                                             clinic::v1::NOTIFICATION_KIND_NEXT_SESSION_PROMPT, now);
      !s.ok()) {
    return s;
  }

  if (series.state() == clinic::v1::SERIES_STATE_COMPLETED &&
      before != clinic::v1::SERIES_STATE_COMPLETED) {
    if (absl::Status s = outbox::AppendEvent(tx, clinic_id, clinic::v1::EVENT_KIND_SERIES_COMPLETED,
                                             series.name(), series.patient(), now);
        !s.ok()) {
      return s;
    }
    if (const clinic::v1::RecallPolicy* policy = registry.FindRecallPolicy(type->recall_policy());
        policy != nullptr) {
      absl::StatusOr<std::string> recall =
          CreateRecall(tx, registry, *policy, *type, series, outbox, now);
      if (!recall.ok()) return recall.status();
      series.set_recall(*recall);
    }
  } else if (series.state() == clinic::v1::SERIES_STATE_ACTIVE) {
    // Prompt only when every session so far is done: a session already
    // booked ahead needs no prompt.
    bool all_done = true;
    for (const TakenSession& session : *taken) {
      all_done = all_done && session.state == clinic::v1::APPOINTMENT_STATE_COMPLETED;
    }
    const clinic::v1::SeriesSession* next = NextOpenSession(series);
    if (all_done && next != nullptr) {
      if (absl::Status s = PromptNextSession(tx, *type, series, *next, outbox, now); !s.ok()) {
        return s;
      }
    }
  }

  *series.mutable_update_time() = ToProtoTime(now);
  store::ResourceRow updated{series_id, (*row)->revision, resources::StoredBytes(series)};
  return store::UpdateRow(tx, store::kSeriesTable, {clinic_id}, updated, {});
}

}  // namespace clinicd::follow_up
