#include "clients/loadgen/scenario.h"

#include "absl/time/clock.h"
#include "clients/loadgen/booking_draws.h"
#include "clients/loadgen/sample_patients.h"

namespace clinicd::loadgen {
namespace {

constexpr int32_t kSearchPageSize = 20;
constexpr int32_t kListPageSize = 50;
// Weeks searched start within the first year of session days.
constexpr int kSearchedDays = 365;

// One client thread's choices and calls.
class Client final {
 public:
  Client(ClinicClient& client, const Dataset& dataset, uint64_t seed)
      : client_(client), dataset_(dataset), samples_(seed) {}

  // Makes one call of `op` and records it; its input is drawn before the
  // clock starts.
  void Call(Operation op) {
    clinic::v1::Patient patient;
    std::string text;
    switch (op) {
      case Operation::kCreate:
        patient = samples_.Next();
        break;
      case Operation::kSearch:
        text = SearchQuery();
        break;
      case Operation::kGet:
        text = RandomPatient().name();
        break;
      case Operation::kList:
      case Operation::kGetClinic:
        break;
      case Operation::kBook:
      case Operation::kSearchAvailability:
        return CallBooking(op);
    }
    const absl::Time start = absl::Now();
    grpc::Status status = Send(op, patient, text);
    stats_.Record(op, absl::Now() - start, status);
  }

  // Makes one call of a booking scenario's `op` and records it; like Call,
  // the request is drawn before the clock starts.
  void CallBooking(Operation op) {
    const BookingSetup& setup = *dataset_.booking;
    clinic::v1::Appointment appointment;
    clinic::v1::SearchAvailabilityRequest search;
    if (op == Operation::kBook) {
      appointment = GridBooking(setup, *dataset_.grid, dataset_.next_slot->fetch_add(1));
    } else {
      search = WeekSearch(
          setup, samples_.Index(setup.practitioners.size()), samples_.Index(setup.patients.size()),
          setup.first_session_day + static_cast<int>(samples_.Index(kSearchedDays)));
    }
    const absl::Time start = absl::Now();
    grpc::Status status;
    if (op == Operation::kBook) {
      clinic::v1::Appointment booked;
      status = client_.CreateAppointment(setup.clinic, appointment, &booked);
    } else {
      int slots = 0;
      status = client_.SearchAvailability(search, &slots);
    }
    stats_.Record(op, absl::Now() - start, status);
  }

  // The operation a mixed workload makes next.
  Operation MixedOperation() {
    const size_t roll = samples_.Index(10);
    if (roll < 5) return Operation::kSearch;
    if (roll < 8) return Operation::kGet;
    if (roll < 9) return Operation::kList;
    return Operation::kCreate;
  }

  ThreadStats TakeStats() { return std::move(stats_); }

 private:
  // Sends `op` with its input: the patient to create, or the search query or
  // patient name.
  grpc::Status Send(Operation op, const clinic::v1::Patient& patient, const std::string& text) {
    switch (op) {
      case Operation::kCreate: {
        clinic::v1::Patient created;
        return client_.CreatePatient(dataset_.clinic, patient, &created);
      }
      case Operation::kSearch:
        return client_.SearchPatients(dataset_.clinic, text, kSearchPageSize);
      case Operation::kGet:
        return client_.GetPatient(text);
      case Operation::kList:
        return client_.ListPatients(dataset_.clinic, kListPageSize, &list_token_);
      case Operation::kGetClinic:
        return client_.GetClinic(dataset_.clinic);
      case Operation::kBook:
      case Operation::kSearchAvailability:
        break;
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown operation");
  }

  const clinic::v1::Patient& RandomPatient() {
    return dataset_.patients[samples_.Index(dataset_.patients.size())];
  }

  std::string SearchQuery() {
    const clinic::v1::Patient& patient = RandomPatient();
    if (samples_.Index(10) < 3 && !patient.phone_number().empty()) {
      return SamplePatients::NationalPhone(patient.phone_number());
    }
    return samples_.NameQuery(patient);
  }

  ClinicClient& client_;
  const Dataset& dataset_;
  SamplePatients samples_;
  std::string list_token_;
  ThreadStats stats_;
};

// The operation a scenario other than kMixed makes, call after call.
Operation OnlyOperation(Scenario scenario) {
  switch (scenario) {
    case Scenario::kCreatePatients:
      return Operation::kCreate;
    case Scenario::kSearchPatients:
      return Operation::kSearch;
    case Scenario::kGetPatient:
      return Operation::kGet;
    case Scenario::kBook:
      return Operation::kBook;
    case Scenario::kSearchAvailability:
      return Operation::kSearchAvailability;
    case Scenario::kGetClinic:
      return Operation::kGetClinic;
    case Scenario::kMixed:
      break;  // MixedOperation draws each call's.
  }
  return Operation::kGet;
}

}  // namespace

std::optional<Scenario> ParseScenario(absl::string_view name) {
  for (Scenario scenario :
       {Scenario::kCreatePatients, Scenario::kSearchPatients, Scenario::kGetPatient,
        Scenario::kMixed, Scenario::kBook, Scenario::kSearchAvailability, Scenario::kGetClinic}) {
    if (name == ScenarioName(scenario)) return scenario;
  }
  return std::nullopt;
}

const char* ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kCreatePatients:
      return "create_patients";
    case Scenario::kSearchPatients:
      return "search_patients";
    case Scenario::kGetPatient:
      return "get_patient";
    case Scenario::kMixed:
      return "mixed";
    case Scenario::kBook:
      return "book";
    case Scenario::kSearchAvailability:
      return "search_availability";
    case Scenario::kGetClinic:
      return "get_clinic";
  }
  return "?";
}

bool NeedsPatients(Scenario scenario) {
  return scenario == Scenario::kSearchPatients || scenario == Scenario::kGetPatient ||
         scenario == Scenario::kMixed;
}

bool NeedsBookingSetup(Scenario scenario) {
  return scenario == Scenario::kBook || scenario == Scenario::kSearchAvailability;
}

ThreadStats RunClient(Scenario scenario, ClinicClient& client, const Dataset& dataset,
                      absl::Time deadline, uint64_t seed) {
  Client thread(client, dataset, seed);
  while (absl::Now() < deadline) {
    thread.Call(scenario == Scenario::kMixed ? thread.MixedOperation() : OnlyOperation(scenario));
  }
  return thread.TakeStats();
}

grpc::Status Preload(ClinicClient& client, const std::string& clinic, int count, uint64_t seed,
                     std::vector<clinic::v1::Patient>* created) {
  SamplePatients samples(seed);
  for (int i = 0; i < count; ++i) {
    clinic::v1::Patient patient;
    grpc::Status status = client.CreatePatient(clinic, samples.Next(), &patient);
    if (!status.ok()) return status;
    created->push_back(std::move(patient));
  }
  return grpc::Status::OK;
}

}  // namespace clinicd::loadgen
