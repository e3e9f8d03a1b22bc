#pragma once

#include "clinic/v1/follow_up_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/resources/resource_kind.h"

namespace clinicd::follow_up {

// clinics/{clinic}/series/{series}, listed by creation. Created for a patient
// of the clinic, a loaded treatment type and one of its indications, with a
// session count within the indication's range (its minimum when zero); the
// plugin plans the sessions. Appointments join it by naming it when booked.
resources::ResourceKind<clinic::v1::Series> SeriesKind(
    const plugin_host::TreatmentRegistry& registry);

}  // namespace clinicd::follow_up
