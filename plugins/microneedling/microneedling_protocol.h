#pragma once

// The microneedling protocol as data: durations, indications with their
// series rules, screening questions and rules, preparation and aftercare
// messages, and the consent form. The plugin returns it from Describe(); the
// SDK's declared-rule semantics (clinicd/protocol_rules.h) give it meaning.

#include "clinic/v1/treatment.pb.h"

namespace clinicd::plugins::microneedling {

// The treatment type `treatmentTypes/microneedling` with its full protocol.
clinic::v1::TreatmentType MicroneedlingProtocol();

}  // namespace clinicd::plugins::microneedling
