#include "services/follow_up/series_kind.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/schedule.h"
#include "services/follow_up/series_plan.h"
#include "services/outbox/outbox.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"
#include "services/store/treatment_history_rows.h"

namespace clinicd::follow_up {
namespace {

using clinic::v1::Series;

// The indication the patient's latest consultation for `type` found them
// suitable for; empty when none did.
absl::StatusOr<std::string> ConsultedIndication(store::Transaction& tx,
                                                const std::string& clinic_id,
                                                const std::string& patient_id,
                                                const std::string& type) {
  absl::StatusOr<std::optional<clinic::v1::Appointment>> consultation =
      store::LatestCompletedConsultation(tx, {clinic_id, patient_id, type});
  if (!consultation.ok()) return consultation.status();
  if (!consultation->has_value()) return std::string();
  const clinic::v1::ConsultationOutcome& outcome = (*consultation)->consultation_outcome();
  return outcome.suitable() ? outcome.indication() : std::string();
}

// Checks a new series and plans its sessions; without an indication, the one
// the patient's latest consultation recorded.
absl::Status ValidateNewSeries(store::Transaction& tx,
                               const plugin_host::TreatmentRegistry& registry,
                               const std::string& clinic_id, Series& series) {
  series.clear_sessions();
  series.clear_cancel_reason();
  series.clear_recall();
  series.clear_complete_time();
  series.set_state(clinic::v1::SERIES_STATE_PLANNED);
  FieldViolations violations;
  const std::string patient_id =
      IdInClinic(violations, "series.patient", series.patient(), clinic_id, "patients");
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(series.treatment_type());
  if (type == nullptr) {
    violations.Add("series.treatment_type",
                   absl::StrCat("must name a treatment type a loaded plugin provides; `",
                                series.treatment_type(), "` is not one (see ListTreatmentTypes)"));
  }
  if (type != nullptr && series.indication().empty() && violations.empty()) {
    absl::StatusOr<std::string> consulted =
        ConsultedIndication(tx, clinic_id, patient_id, type->name());
    if (!consulted.ok()) return consulted.status();
    series.set_indication(*consulted);
  }
  const clinic::v1::Indication* indication = nullptr;
  if (type != nullptr) {
    indication = FindIndication(*type, series.indication());
    if (indication == nullptr) {
      std::vector<std::string> known;
      for (const auto& candidate : type->indications()) known.push_back(candidate.id());
      violations.Add("series.indication",
                     absl::StrCat(series.indication().empty()
                                      ? "is required when no consultation has recorded one; "
                                      : "",
                                  "must be an indication of ", type->name(), ": one of ",
                                  absl::StrJoin(known, ", ")));
    }
  }
  if (indication != nullptr) {
    const clinic::v1::SeriesRule& rule = indication->series();
    if (series.planned_sessions() == 0) series.set_planned_sessions(rule.min_sessions());
    if (series.planned_sessions() < rule.min_sessions() ||
        series.planned_sessions() > rule.max_sessions()) {
      violations.Add("series.planned_sessions",
                     absl::StrCat("must be from ", rule.min_sessions(), " to ", rule.max_sessions(),
                                  " for ", indication->display_name(), " (0 plans ",
                                  rule.min_sessions(), ")"));
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status s = resources::LoadResource<clinic::v1::Patient>(
                           tx, store::kPatientsTable, {clinic_id}, patient_id, series.patient())
                           .status();
      !s.ok()) {
    return s;
  }
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  return PlanSessions(registry, *type, *zone, {}, series);
}

}  // namespace

resources::ResourceKind<Series> SeriesKind(const plugin_host::TreatmentRegistry& registry) {
  resources::ResourceKind<Series> kind;
  kind.field = "series";
  kind.collections = {"clinics", "series"};
  kind.table = store::kSeriesTable;
  kind.parent_table = store::kClinicsTable;
  kind.order = {"create_time", /*integer=*/true};
  kind.validate = [&registry](store::Transaction& tx, absl::Time, const std::vector<std::string>& scope,
                              const Series* previous, Series& series) -> absl::Status {
    if (previous == nullptr) return ValidateNewSeries(tx, registry, scope.front(), series);
    return absl::OkStatus();
  };
  kind.after_write = [](store::Transaction& tx, absl::Time now, const std::vector<std::string>&,
                        const Series* previous, const Series& series) -> absl::Status {
    if (previous != nullptr && previous->state() != clinic::v1::SERIES_STATE_CANCELLED &&
        series.state() == clinic::v1::SERIES_STATE_CANCELLED) {
      return outbox::CancelUndelivered(tx, series.name(), clinic::v1::NOTIFICATION_KIND_UNSPECIFIED,
                                   now);
    }
    return absl::OkStatus();
  };
  kind.columns = [](const Series& series) {
    return std::vector<store::Column>{{"patient_id", LastIdOf(series.patient())},
                                      {"create_time", ProtoTimeMicros(series.create_time())}};
  };
  kind.delete_blocked = "appointments still name it";
  return kind;
}

}  // namespace clinicd::follow_up
