#include "services/follow_up/recalls.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/ids.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/outbox/event_log.h"
#include "services/outbox/outbox.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/resources/load_resource.h"
#include "services/resources/resource_fields.h"
#include "services/store/notification_rows.h"
#include "services/store/recall_rows.h"
#include "services/store/tables.h"
#include "services/store/treatment_history_rows.h"

namespace clinicd::follow_up {
namespace {

using clinic::v1::Recall;
using clinic::v1::RecallState;

using store::StoredRecall;

absl::Status Rewrite(store::Transaction& tx, const std::string& clinic_id, StoredRecall& stored,
                     absl::Time now) {
  *stored.recall.mutable_update_time() = ToProtoTime(now);
  store::ResourceRow row{stored.id, stored.revision, resources::StoredBytes(stored.recall)};
  return store::UpdateRow(tx, store::kRecallsTable, {clinic_id}, row,
                          store::RecallColumns(stored.recall));
}

// The patient's first booked (or checked-in) appointment for `type` after
// `series` completed that is not one of its sessions; empty when none.
absl::StatusOr<std::string> FindMaintenanceBooking(store::Transaction& tx,
                                                   const std::string& clinic_id,
                                                   const clinic::v1::Series& series,
                                                   const std::string& type, absl::Time due) {
  absl::StatusOr<std::optional<std::string>> id = store::FirstSessionOutsideSeries(
      tx, {clinic_id, LastIdOf(series.patient()), type}, due, LastIdOf(series.name()));
  if (!id.ok()) return id.status();
  if (!id->has_value()) return std::string();
  return absl::StrCat("clinics/", clinic_id, "/appointments/", **id);
}

bool IsOpen(RecallState state) {
  return state == clinic::v1::RECALL_STATE_UPCOMING || state == clinic::v1::RECALL_STATE_DUE;
}

}  // namespace

resources::ResourceKind<Recall> RecallKind() {
  resources::ResourceKind<Recall> kind;
  kind.field = "recall";
  kind.collections = {"clinics", "recalls"};
  kind.table = store::kRecallsTable;
  kind.parent_table = store::kClinicsTable;
  kind.order = {"due_time", /*integer=*/true};
  kind.validate = [](store::Transaction&, absl::Time, const std::vector<std::string>&, const Recall*,
                     Recall&) { return absl::OkStatus(); };
  kind.columns = store::RecallColumns;
  return kind;
}

RecallState EffectiveRecallState(const Recall& recall, absl::Time now) {
  if (!IsOpen(recall.state())) return recall.state();
  if (now >= FromProtoTime(recall.lapse_time())) return clinic::v1::RECALL_STATE_LAPSED;
  if (now >= FromProtoTime(recall.due_time())) return clinic::v1::RECALL_STATE_DUE;
  return clinic::v1::RECALL_STATE_UPCOMING;
}

absl::StatusOr<std::string> CreateRecall(store::Transaction& tx,
                                         const plugin_host::TreatmentRegistry& registry,
                                         const clinic::v1::RecallPolicy& policy,
                                         const clinic::v1::TreatmentType& type,
                                         const clinic::v1::Series& series,
                                         const outbox::PatientOutbox& outbox, absl::Time now) {
  clinicd::plugin::v1::ScheduleRecallRequest request;
  *request.mutable_policy() = policy;
  *request.mutable_treatment_type() = type;
  *request.mutable_series_completion_time() = series.complete_time();
  request.set_time_zone(std::string(outbox.zone().name()));
  absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> schedule =
      registry.ScheduleRecall(request);
  if (!schedule.ok()) return schedule.status();

  const std::string clinic_id = ClinicIdOf(series.name());
  const std::string id = NewResourceId(now);
  Recall recall;
  recall.set_name(absl::StrCat("clinics/", clinic_id, "/recalls/", id));
  recall.set_patient(series.patient());
  recall.set_series(series.name());
  recall.set_treatment_type(type.name());
  *recall.mutable_due_time() = schedule->due_time();
  *recall.mutable_lapse_time() = schedule->lapse_time();
  recall.set_state(clinic::v1::RECALL_STATE_UPCOMING);
  *recall.mutable_create_time() = ToProtoTime(now);
  *recall.mutable_update_time() = ToProtoTime(now);
  recall.set_state(EffectiveRecallState(recall, now) == clinic::v1::RECALL_STATE_UPCOMING
                       ? clinic::v1::RECALL_STATE_UPCOMING
                       : clinic::v1::RECALL_STATE_DUE);
  // A maintenance visit the front desk booked before the course ended, for a
  // time in the recall's window, satisfies the recall from the start; its notices are queued cancelled,
  // so they come back if that visit falls through.
  absl::StatusOr<std::string> booked = FindMaintenanceBooking(tx, clinic_id, series, type.name(), FromProtoTime(recall.due_time()));
  if (!booked.ok()) return booked.status();
  if (!booked->empty()) {
    recall.set_state(clinic::v1::RECALL_STATE_SATISFIED);
    recall.set_appointment(*booked);
  }
  store::ResourceRow row{id, 1, resources::StoredBytes(recall)};
  if (absl::Status s =
          store::InsertRow(tx, store::kRecallsTable, {clinic_id}, row, store::RecallColumns(recall));
      !s.ok()) {
    return s;
  }
  const std::string context =
      absl::StrCat("You completed your course of ", type.display_name(), " on ",
                   outbox.LocalDate(FromProtoTime(series.complete_time())), ".");
  for (const clinicd::plugin::v1::ScheduledNotice& notice : schedule->notices()) {
    outbox::PatientMessage message;
    message.kind = clinic::v1::NOTIFICATION_KIND_RECALL;
    message.resource = recall.name();
    message.message_id = notice.message().id();
    message.subject = notice.message().title();
    message.text = notice.message().body();
    message.context = context;
    message.due = FromProtoTime(notice.send_time());
    if (absl::Status s = outbox.Send(tx, message, now); !s.ok()) return s;
  }
  if (recall.state() == clinic::v1::RECALL_STATE_SATISFIED) {
    if (absl::Status s = outbox::CancelUndelivered(tx, recall.name(),
                                                   clinic::v1::NOTIFICATION_KIND_RECALL, now);
        !s.ok()) {
      return s;
    }
  }
  return recall.name();
}

absl::Status SatisfyOpenRecalls(store::Transaction& tx, const std::string& clinic_id,
                                const clinic::v1::Appointment& appointment, absl::Time now) {
  absl::StatusOr<std::vector<StoredRecall>> open = store::OpenRecallsOf(
      tx, clinic_id, LastIdOf(appointment.patient()), appointment.treatment_type());
  if (!open.ok()) return open.status();
  for (StoredRecall& stored : *open) {
    // A lapsed recall stays lapsed: the booking is a new start, not maintenance.
    if (EffectiveRecallState(stored.recall, now) == clinic::v1::RECALL_STATE_LAPSED) continue;
    // Only a visit in the maintenance window is maintenance; an earlier one
    // (a clinician's override) is care of its own and the recall stays open.
    if (FromProtoTime(appointment.start_time()) < FromProtoTime(stored.recall.due_time())) continue;
    stored.recall.set_state(clinic::v1::RECALL_STATE_SATISFIED);
    stored.recall.set_appointment(appointment.name());
    if (absl::Status s = Rewrite(tx, clinic_id, stored, now); !s.ok()) return s;
    if (absl::Status s = outbox::CancelUndelivered(tx, stored.recall.name(),
                                               clinic::v1::NOTIFICATION_KIND_RECALL, now);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ReopenRecalls(store::Transaction& tx, const std::string& clinic_id,
                           const clinic::v1::Appointment& appointment, absl::Time now) {
  absl::StatusOr<std::vector<StoredRecall>> satisfied = store::SatisfiedRecallsOf(
      tx, clinic_id, LastIdOf(appointment.patient()), appointment.treatment_type());
  if (!satisfied.ok()) return satisfied.status();
  for (StoredRecall& stored : *satisfied) {
    if (stored.recall.appointment() != appointment.name()) continue;
    stored.recall.clear_appointment();
    stored.recall.set_state(clinic::v1::RECALL_STATE_UPCOMING);
    stored.recall.set_state(EffectiveRecallState(stored.recall, now) ==
                                    clinic::v1::RECALL_STATE_UPCOMING
                                ? clinic::v1::RECALL_STATE_UPCOMING
                                : clinic::v1::RECALL_STATE_DUE);
    if (absl::Status s = Rewrite(tx, clinic_id, stored, now); !s.ok()) return s;
    if (absl::Status s = outbox::ReviveCancelled(tx, stored.recall.name(),
                                                 clinic::v1::NOTIFICATION_KIND_RECALL, now);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status SnoozeNotices(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const clinic::v1::Clinic& clinic, const Recall& recall,
                           absl::Time until, absl::Time now) {
  const std::string clinic_id = LastIdOf(clinic.name());
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(recall.treatment_type());
  const clinic::v1::RecallPolicy* policy =
      type == nullptr ? nullptr : registry.FindRecallPolicy(type->recall_policy());
  // Without the plugins the planned times are unknown: hold what is earlier.
  if (policy == nullptr) return outbox::HoldUntil(tx, recall.name(), until, now);
  absl::StatusOr<clinic::v1::Series> series = resources::LoadResource<clinic::v1::Series>(
      tx, store::kSeriesTable, {clinic_id}, LastIdOf(recall.series()), recall.series());
  if (!series.ok()) return series.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(clinic);
  if (!zone.ok()) return zone.status();
  clinicd::plugin::v1::ScheduleRecallRequest request;
  *request.mutable_policy() = *policy;
  *request.mutable_treatment_type() = *type;
  *request.mutable_series_completion_time() = series->complete_time();
  request.set_time_zone(std::string(zone->name()));
  absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> schedule =
      registry.ScheduleRecall(request);
  if (!schedule.ok()) return schedule.status();
  for (const clinicd::plugin::v1::ScheduledNotice& notice : schedule->notices()) {
    const absl::Time planned =
        domain::FirstSendableAtOrAfter(clinic.policy(), *zone, FromProtoTime(notice.send_time()));
    if (absl::Status s = store::MovePendingNotification(tx, recall.name(), notice.message().id(),
                                                        std::max(planned, until), now);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AdvanceRecalls(store::Transaction& tx, absl::Time now) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ids =
      store::RecallsToAdvance(tx, now);
  if (!ids.ok()) return ids.status();
  for (const auto& [clinic_id, id] : *ids) {
    absl::StatusOr<StoredRecall> found = store::LoadStoredRecall(tx, clinic_id, id);
    if (!found.ok()) return found.status();
    StoredRecall& stored = *found;
    const RecallState state = EffectiveRecallState(stored.recall, now);
    stored.recall.set_state(state);
    if (absl::Status s = Rewrite(tx, clinic_id, stored, now); !s.ok()) return s;
    if (state == clinic::v1::RECALL_STATE_DUE) {
      if (absl::Status s = outbox::AppendEvent(tx, clinic_id, clinic::v1::EVENT_KIND_RECALL_DUE,
                                               stored.recall.name(), stored.recall.patient(), now);
          !s.ok()) {
        return s;
      }
    }
  }
  return static_cast<int>(ids->size());
}

}  // namespace clinicd::follow_up
