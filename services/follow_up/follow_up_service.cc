#include "services/follow_up/follow_up_service.h"

#include "absl/strings/str_cat.h"
#include "services/booking/availability_query.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/follow_up/follow_up_lists.h"
#include "services/follow_up/recalls.h"
#include "services/follow_up/series_kind.h"
#include "services/follow_up/series_plan.h"
#include "services/outbox/outbox.h"
#include "services/resources/load_resource.h"
#include "services/resources/reply.h"
#include "services/store/tables.h"

namespace clinicd::follow_up {
namespace {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;

// PlanNextSession's slot count: default and most.
constexpr int kDefaultSlots = 20;
constexpr int kMaxSlots = 100;
// A snooze longer than this is a dismissal in disguise.
constexpr absl::Duration kLongestSnooze = absl::Hours(24 * 366);
// The most local days one search context covers (SearchAvailability's limit).
constexpr int kSearchDays = 31;
// When a session's window has already closed, slots are offered from now
// for this long.
constexpr absl::Duration kOverdueSearch = absl::Hours(24 * 14);

bool Blank(const std::string& text) { return text.find_first_not_of(" \t\n") == std::string::npos; }

absl::Status RequireOpenRecall(const v1::Recall& recall, absl::Time now, absl::string_view what) {
  const v1::RecallState state = EffectiveRecallState(recall, now);
  if (state == v1::RECALL_STATE_UPCOMING || state == v1::RECALL_STATE_DUE ||
      (what == "dismiss" && state == v1::RECALL_STATE_LAPSED)) {
    return absl::OkStatus();
  }
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "INVALID_STATE_TRANSITION",
                         absl::StrCat("cannot ", what, " a recall that is ",
                                      v1::RecallState_Name(state)),
                         {{"from_state", v1::RecallState_Name(state)}});
}

}  // namespace

FollowUpServiceImpl::FollowUpServiceImpl(store::Database& db,
                                         const plugin_host::TreatmentRegistry& registry, const Clock& clock)
    : db_(db),
      registry_(registry),
      guard_(db, clock, v1::FollowUpService::service_full_name()),
      series_(db, SeriesKind(registry)),
      recalls_(db, RecallKind()) {}

grpc::Status FollowUpServiceImpl::CreateSeries(ServerContext* context, const v1::CreateSeriesRequest* request, v1::Series* response) {
  return guard_.Run(context, "CreateSeries", *request, [&](const Principal& principal) {
    return Reply(series_.Create(principal, request->parent(), request->series(), *request, request->request_id()), response);
  });
}

grpc::Status FollowUpServiceImpl::GetSeries(ServerContext* context, const v1::GetSeriesRequest* request, v1::Series* response) {
  return guard_.Run(context, "GetSeries", *request, [&](const Principal& principal) {
    return Reply(series_.Get(principal, request->name()), response);
  });
}

grpc::Status FollowUpServiceImpl::ListSeries(ServerContext* context, const v1::ListSeriesRequest* request, v1::ListSeriesResponse* response) {
  return guard_.Run(context, "ListSeries", *request, [&](const Principal& principal) {
    return Reply(follow_up::ListSeries(db_, principal, *request), response);
  });
}

grpc::Status FollowUpServiceImpl::CancelSeries(ServerContext* context, const v1::CancelSeriesRequest* request, v1::Series* response) {
  return guard_.Run(context, "CancelSeries", *request, [&](const Principal& principal) -> absl::Status {
    if (Blank(request->reason())) {
      return InvalidField("reason", "is required: say why the series ends early");
    }
    return Reply(series_.Modify(principal, request->name(), request->etag(),
                                [&](store::Transaction&, v1::Series& series) -> absl::Status {
                                  if (series.state() != v1::SERIES_STATE_PLANNED &&
                                      series.state() != v1::SERIES_STATE_ACTIVE) {
                                    return ErrorWithReason(
                                        absl::StatusCode::kFailedPrecondition,
                                        "INVALID_STATE_TRANSITION",
                                        absl::StrCat("cannot cancel a series that is ",
                                                     v1::SeriesState_Name(series.state())),
                                        {{"from_state", v1::SeriesState_Name(series.state())}});
                                  }
                                  series.set_state(v1::SERIES_STATE_CANCELLED);
                                  series.set_cancel_reason(request->reason());
                                  return absl::OkStatus();
                                }),
                 response);
  });
}

grpc::Status FollowUpServiceImpl::PlanNextSession(ServerContext* context, const v1::PlanNextSessionRequest* request, v1::PlanNextSessionResponse* response) {
  return guard_.Run(context, "PlanNextSession", *request, [&](const Principal& principal) {
    return Reply(PlanNext(principal, *request), response);
  });
}

absl::StatusOr<v1::PlanNextSessionResponse> FollowUpServiceImpl::PlanNext(
    const Principal& principal, const v1::PlanNextSessionRequest& request) {
  if (request.max_slots() < 0 || request.max_slots() > kMaxSlots) {
    return InvalidField("max_slots", absl::StrCat("must be from 0 to ", kMaxSlots,
                                                  " (0 means ", kDefaultSlots, ")"));
  }
  absl::StatusOr<std::vector<std::string>> ids = series_.ParseName(principal, request.series(), "series");
  if (!ids.ok()) return ids.status();
  v1::Series series;
  absl::TimeZone zone;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    if (absl::Status s = series_.Load(tx, *ids, request.series(), series); !s.ok()) return s;
    absl::StatusOr<v1::Clinic> clinic = resources::LoadResource<v1::Clinic>(
        tx, store::kClinicsTable, {}, (*ids)[0], absl::StrCat("clinics/", (*ids)[0]));
    if (!clinic.ok()) return clinic.status();
    absl::StatusOr<absl::TimeZone> clinic_zone = domain::ClinicTimeZone(*clinic);
    if (!clinic_zone.ok()) return clinic_zone.status();
    zone = *clinic_zone;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (series.state() != v1::SERIES_STATE_PLANNED && series.state() != v1::SERIES_STATE_ACTIVE) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "SERIES_CLOSED",
                           absl::StrCat(request.series(), " is ",
                                        v1::SeriesState_Name(series.state()),
                                        "; it has no next session"),
                           {{"series", request.series()}});
  }
  const v1::SeriesSession* next = NextOpenSession(series);
  if (next == nullptr) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "SERIES_FULLY_BOOKED",
                           absl::StrCat("every session of ", request.series(),
                                        " is booked or done; see GetSeries"),
                           {{"series", request.series()}});
  }
  v1::PlanNextSessionResponse response;
  *response.mutable_session() = *next;

  // Slots inside the window, or from now on when it has already closed.
  const absl::Time now = principal.now;
  const absl::Time opens = std::max(now, FromProtoTime(next->window_start_time()));
  absl::Time closes = FromProtoTime(next->window_end_time());
  booking::SearchScope scope;
  scope.patient = series.patient();
  scope.series = series.name();
  if (closes <= opens) {
    closes = opens + kOverdueSearch;
    // Booking past a closed window needs a clinician's override: these
    // slots are the ones that booking with it accepts.
    scope.overrides = {"SERIES_WINDOW_CLOSED"};
  }
  const v1::TreatmentType* type = registry_.FindTreatmentType(series.treatment_type());
  if (type == nullptr) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "TREATMENT_TYPE_UNAVAILABLE",
                           absl::StrCat(series.treatment_type(),
                                        " is not provided by any loaded plugin"));
  }
  const size_t wanted = request.max_slots() == 0 ? kDefaultSlots : request.max_slots();
  // One context per kSearchDays local days; the booking rules decide each
  // slot, and the walk stops at the window's end.
  const absl::CivilDay last_day = absl::ToCivilDay(closes, zone);
  domain::SlotQuery query;
  query.not_before = opens;
  for (absl::CivilDay from = absl::ToCivilDay(opens, zone);
       from <= last_day && static_cast<size_t>(response.slots_size()) < wanted;
       from += kSearchDays) {
    scope.first = from;
    scope.last = std::min(last_day, from + (kSearchDays - 1));
    absl::StatusOr<booking::FoundSlots> found =
        booking::FindSlots(db_, registry_, (*ids)[0], *type, scope, query, now,
                           wanted - static_cast<size_t>(response.slots_size()));
    if (!found.ok()) return found.status();
    for (const domain::FreeSlot& slot : found->slots) {
      if (slot.start > closes) break;
      *response.add_slots() = booking::ToSlot(slot);
    }
  }
  return response;
}

grpc::Status FollowUpServiceImpl::ListRecalls(ServerContext* context, const v1::ListRecallsRequest* request, v1::ListRecallsResponse* response) {
  return guard_.Run(context, "ListRecalls", *request, [&](const Principal& principal) {
    return Reply(follow_up::ListRecalls(db_, principal, *request, principal.now), response);
  });
}

grpc::Status FollowUpServiceImpl::SnoozeRecall(ServerContext* context, const v1::SnoozeRecallRequest* request, v1::Recall* response) {
  return guard_.Run(context, "SnoozeRecall", *request, [&](const Principal& principal) -> absl::Status {
    const absl::Duration snooze = FromProtoDuration(request->snooze());
    if (snooze <= absl::ZeroDuration() || snooze > kLongestSnooze) {
      return InvalidField("snooze", "must be positive and at most 366 days; to stop the "
                                    "recall altogether, dismiss it");
    }
    absl::StatusOr<std::vector<std::string>> ids = recalls_.ParseName(principal, request->name());
    if (!ids.ok()) return ids.status();
    absl::StatusOr<v1::Recall> recall = recalls_.Modify(
        principal, request->name(), "",
        [&](store::Transaction& tx, v1::Recall& recall) -> absl::Status {
          const absl::Time now = principal.now;
          if (absl::Status s = RequireOpenRecall(recall, now, "snooze"); !s.ok()) return s;
          absl::StatusOr<v1::Clinic> clinic = resources::LoadResource<v1::Clinic>(
              tx, store::kClinicsTable, {}, (*ids)[0], absl::StrCat("clinics/", (*ids)[0]));
          if (!clinic.ok()) return clinic.status();
          absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
          if (!zone.ok()) return zone.status();
          const absl::Time until =
              domain::FirstSendableAtOrAfter(clinic->policy(), *zone, now + snooze);
          *recall.mutable_snooze_until_time() = ToProtoTime(until);
          return SnoozeNotices(tx, registry_, *clinic, recall, until, now);
        });
    if (recall.ok()) recall->set_state(EffectiveRecallState(*recall, principal.now));
    return Reply(std::move(recall), response);
  });
}

grpc::Status FollowUpServiceImpl::DismissRecall(ServerContext* context, const v1::DismissRecallRequest* request, v1::Recall* response) {
  return guard_.Run(context, "DismissRecall", *request, [&](const Principal& principal) -> absl::Status {
    if (Blank(request->reason())) {
      return InvalidField("reason", "is required: record why the recall is dismissed");
    }
    return Reply(recalls_.Modify(principal, request->name(), "",
                                 [&](store::Transaction& tx, v1::Recall& recall) -> absl::Status {
                                   const absl::Time now = principal.now;
                                   if (absl::Status s = RequireOpenRecall(recall, now, "dismiss");
                                       !s.ok()) {
                                     return s;
                                   }
                                   recall.set_state(v1::RECALL_STATE_DISMISSED);
                                   recall.set_dismiss_reason(request->reason());
                                   return outbox::CancelUndelivered(
                                       tx, recall.name(), v1::NOTIFICATION_KIND_UNSPECIFIED, now);
                                 }),
                 response);
  });
}

}  // namespace clinicd::follow_up
