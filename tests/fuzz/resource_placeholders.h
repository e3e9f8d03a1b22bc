#pragma once

// Seed inputs cannot know the ids the harness's clinic gets at run time, so
// they name the seeded resources by placeholders of the same length as an id
// (26 characters), which are swapped for the real ids before the body is
// sent. Equal lengths keep every protobuf length prefix valid.

#include <string>

#include "tests/fuzz/fuzz_clinic.h"

namespace clinicd::fuzz {

// The placeholders, as they appear in seeds and in rpc_request.dict.
inline constexpr char kClinicPlaceholder[] = "@@clinic@@@@@@@@@@@@@@@@@@";
inline constexpr char kPractitionerPlaceholder[] = "@@practitioner@@@@@@@@@@@@";
inline constexpr char kRoomPlaceholder[] = "@@room@@@@@@@@@@@@@@@@@@@@";
inline constexpr char kPatientPlaceholder[] = "@@patient@@@@@@@@@@@@@@@@@";

// `body` with every placeholder replaced by the id it stands for.
std::string WithSeededIds(std::string body, const SeededIds& ids);

}  // namespace clinicd::fuzz
