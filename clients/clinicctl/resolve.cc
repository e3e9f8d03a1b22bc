#include "clients/clinicctl/resolve.h"

#include <algorithm>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/name_match.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// At most this many candidates are listed for an ambiguous name.
constexpr int kCandidates = 10;

// Patients looked at per prefix for suggestions, and how many are suggested.
constexpr int kSuggestionPool = 200;
constexpr size_t kSuggestions = 3;

absl::Status Usage(absl::string_view what, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": ", problem));
}

// The resource of `collection` under `parent` that `text` names: an id or a
// full name as such, else the one whose display name is `text` (ignoring
// case) among those `list` returns (`items` picks them from the response).
template <typename Stub, typename Request, typename Response, typename Items>
absl::StatusOr<std::string> ByIdOrDisplayName(
    Session& session, const std::string& parent, const std::string& flag,
    absl::string_view collection, const std::string& text,
    grpc::Status (Stub::*list)(grpc::ClientContext*, const Request&, Response*), Items items) {
  if (absl::StrContains(text, '/') || LooksLikeId(text)) {
    return ChildName(session, flag, collection, text);
  }
  Request request;
  request.set_parent(parent);
  request.set_page_size(500);
  Response response;
  if (absl::Status s = session.rpc().Call(list, request, &response); !s.ok()) return s;
  std::vector<std::string> matches;
  std::vector<std::string> known;
  for (const auto& each : items(response)) {
    known.push_back(absl::StrCat("\"", each.display_name(), "\" (", ShortId(each.name()), ")"));
    if (absl::EqualsIgnoreCase(each.display_name(), text)) matches.push_back(each.name());
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    return Usage(flag, absl::StrCat("no \"", text, "\"; the clinic has ",
                                    known.empty() ? "none" : absl::StrJoin(known, ", ")));
  }
  return Usage(flag, absl::StrCat("\"", text, "\" is ambiguous; use one of the ids: ",
                                  absl::StrJoin(matches, ", ",
                                                [](std::string* out, const std::string& name) {
                                                  out->append(ShortId(name));
                                                })));
}

// Names of the clinic's patients close to `text`, which matched nobody
// (name_match.h): asks clinicd for the patients whose names start like one
// of its words (three letters, then two), and ranks them. Best effort: a
// failed search suggests nothing.
std::vector<std::string> SuggestPatients(Session& session, const std::string& parent,
                                         const std::string& text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); })) {
    return {};
  }
  std::vector<std::string> names;
  for (size_t letters : {3, 2}) {
    for (const std::string& prefix : SearchPrefixes(text, letters)) {
      v1::SearchPatientsRequest request;
      request.set_parent(parent);
      request.set_query(prefix);
      request.set_page_size(kSuggestionPool);
      v1::SearchPatientsResponse found;
      if (!session.rpc().Call(&v1::PatientService::Stub::SearchPatients, request, &found).ok()) {
        continue;
      }
      for (const v1::Patient& patient : found.patients()) names.push_back(PersonName(patient));
    }
    std::vector<std::string> closest = ClosestNames(text, names, kSuggestions);
    if (!closest.empty()) return closest;
  }
  return {};
}

}  // namespace

bool LooksLikeId(absl::string_view text) {
  if (text.size() != 26) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'z')) return false;
    if (c == 'i' || c == 'l' || c == 'o' || c == 'u') return false;
  }
  return true;
}

std::string ShortId(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

std::string ClinicOf(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || parts[0] != "clinics") return "";
  return absl::StrCat("clinics/", parts[1]);
}

std::string TreatmentTypeName(const std::string& text) {
  return absl::StartsWith(text, "treatmentTypes/") ? text : absl::StrCat("treatmentTypes/", text);
}

absl::StatusOr<std::string> ChildName(Session& session, absl::string_view what,
                                      absl::string_view collection, const std::string& text) {
  if (text.empty()) return Usage(what, "is empty");
  if (absl::StrContains(text, '/')) {
    const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
    if (parts.size() != 4 || parts[0] != "clinics" || parts[2] != collection || parts[1].empty() ||
        parts[3].empty()) {
      return Usage(what, absl::StrCat("\"", text, "\" is neither an id nor a name of the form ",
                                      "clinics/CLINIC/", collection, "/ID"));
    }
    return text;
  }
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) {
    return Usage(what, absl::StrCat("a bare id needs the clinic: ", parent.status().message()));
  }
  return absl::StrCat(*parent, "/", collection, "/", text);
}

absl::StatusOr<std::string> ResolvePatient(Session& session, absl::string_view what,
                                           const std::string& text) {
  if (absl::StrContains(text, '/') || LooksLikeId(text)) {
    return ChildName(session, what, "patients", text);
  }
  absl::StatusOr<std::string> parent = session.ClinicParent();
  if (!parent.ok()) return parent.status();
  v1::SearchPatientsRequest request;
  request.set_parent(*parent);
  request.set_query(text);
  request.set_page_size(kCandidates);
  v1::SearchPatientsResponse found;
  if (absl::Status s =
          session.rpc().Call(&v1::PatientService::Stub::SearchPatients, request, &found);
      !s.ok()) {
    return s;
  }
  if (found.patients_size() == 1) return found.patients(0).name();
  if (found.patients().empty()) {
    const std::vector<std::string> closest = SuggestPatients(session, *parent, text);
    const std::string search = "clinicctl patient search finds them by name or phone";
    if (closest.empty()) {
      return Usage(what, absl::StrCat("no patient matches \"", text, "\"; ", search));
    }
    return Usage(what, absl::StrCat("no patient matches \"", text, "\"; did you mean: ",
                                    absl::StrJoin(closest, ", "), "?\n", search));
  }
  Table candidates({"ID", "NAME", "BORN", "PHONE"});
  for (const v1::Patient& patient : found.patients()) {
    candidates.AddRow({ShortId(patient.name()), PersonName(patient),
                       FormatBirthDate(patient.birth_date()), patient.phone_number()});
  }
  std::string listed = candidates.Render();
  listed.pop_back();
  return Usage(
      what,
      absl::StrCat("\"", text, "\" matches ", found.next_page_token().empty() ? "" : "more than ",
                   found.patients_size(), " patients; give one of their ids:\n", listed));
}

absl::StatusOr<std::string> ResolvePractitioner(Session& session, const std::string& parent,
                                                const std::string& text) {
  return ByIdOrDisplayName(
      session, parent, "--practitioner", "practitioners", text,
      &v1::PracticeService::Stub::ListPractitioners,
      [](const v1::ListPractitionersResponse& response) -> const auto& {
        return response.practitioners();
      });
}

absl::StatusOr<std::string> ResolveRoom(Session& session, const std::string& parent,
                                        const std::string& text) {
  return ByIdOrDisplayName(
      session, parent, "--room", "rooms", text, &v1::PracticeService::Stub::ListRooms,
      [](const v1::ListRoomsResponse& response) -> const auto& { return response.rooms(); });
}

absl::StatusOr<PractitionerAndRoom> PractitionerAndRoomFlags(Session& session,
                                                             const std::string& parent) {
  PractitionerAndRoom chosen;
  if (const std::string text = absl::GetFlag(FLAGS_practitioner); !text.empty()) {
    absl::StatusOr<std::string> practitioner = ResolvePractitioner(session, parent, text);
    if (!practitioner.ok()) return practitioner.status();
    chosen.practitioner = *std::move(practitioner);
  }
  if (const std::string text = absl::GetFlag(FLAGS_room); !text.empty()) {
    absl::StatusOr<std::string> room = ResolveRoom(session, parent, text);
    if (!room.ok()) return room.status();
    chosen.room = *std::move(room);
  }
  return chosen;
}

}  // namespace clinicd::clinicctl
