#include "services/auth/rpc_policy.h"

#include <initializer_list>

#include "absl/container/flat_hash_map.h"

namespace clinicd::auth {
namespace {

// Bit set of the roles besides admin that may call an RPC.
using RoleSet = unsigned;
constexpr RoleSet Bit(Role role) { return 1u << static_cast<unsigned>(role); }

constexpr RoleSet kFrontDesk = Bit(Role::kFrontDesk);
constexpr RoleSet kClinician = Bit(Role::kClinician);
constexpr RoleSet kWorker = Bit(Role::kReminderWorker);
constexpr RoleSet kIntegration = Bit(Role::kIntegration);
constexpr RoleSet kAdminOnly = 0;
constexpr RoleSet kStaff = kFrontDesk | kClinician;
constexpr RoleSet kStaffAndReaders = kStaff | kIntegration;
constexpr RoleSet kEveryone = kStaff | kWorker | kIntegration;

struct Rule {
  absl::string_view method;
  RoleSet roles;
};

// Reads are open to staff and integrations; writes to the staff who do the
// work (a clinician does all the front desk does, and records sessions and
// reviews); setup (clinics, staff, rooms) to admins. Workers see only the
// outbox. README's "Auth" table shows this table; rpc_policy_test keeps the
// two the same.
constexpr Rule kRules[] = {
    {"/clinic.v1.PracticeService/CreateClinic", kAdminOnly},
    {"/clinic.v1.PracticeService/GetClinic", kEveryone},
    {"/clinic.v1.PracticeService/ListClinics", kEveryone},
    {"/clinic.v1.PracticeService/UpdateClinic", kAdminOnly},
    {"/clinic.v1.PracticeService/DeleteClinic", kAdminOnly},
    {"/clinic.v1.PracticeService/CreatePractitioner", kAdminOnly},
    {"/clinic.v1.PracticeService/GetPractitioner", kStaffAndReaders},
    {"/clinic.v1.PracticeService/ListPractitioners", kStaffAndReaders},
    {"/clinic.v1.PracticeService/UpdatePractitioner", kAdminOnly},
    {"/clinic.v1.PracticeService/DeletePractitioner", kAdminOnly},
    {"/clinic.v1.PracticeService/CreateRoom", kAdminOnly},
    {"/clinic.v1.PracticeService/GetRoom", kStaffAndReaders},
    {"/clinic.v1.PracticeService/ListRooms", kStaffAndReaders},
    {"/clinic.v1.PracticeService/UpdateRoom", kAdminOnly},
    {"/clinic.v1.PracticeService/DeleteRoom", kAdminOnly},
    {"/clinic.v1.PracticeService/CreateTimeOff", kStaff},
    {"/clinic.v1.PracticeService/ListTimeOff", kStaffAndReaders},
    {"/clinic.v1.PracticeService/DeleteTimeOff", kStaff},
    {"/clinic.v1.PracticeService/CreateClosure", kStaff},
    {"/clinic.v1.PracticeService/ListClosures", kStaffAndReaders},
    {"/clinic.v1.PracticeService/DeleteClosure", kStaff},

    {"/clinic.v1.PatientService/CreatePatient", kStaff},
    {"/clinic.v1.PatientService/GetPatient", kStaffAndReaders},
    {"/clinic.v1.PatientService/ListPatients", kStaffAndReaders},
    {"/clinic.v1.PatientService/SearchPatients", kStaffAndReaders},
    {"/clinic.v1.PatientService/UpdatePatient", kStaff},
    {"/clinic.v1.PatientService/DeletePatient", kAdminOnly},

    {"/clinic.v1.TreatmentCatalogService/ListTreatmentTypes", kEveryone},
    {"/clinic.v1.TreatmentCatalogService/GetTreatmentType", kEveryone},
    {"/clinic.v1.TreatmentCatalogService/ListRecallPolicies", kEveryone},
    {"/clinic.v1.TreatmentCatalogService/ListPlugins", kStaffAndReaders},

    {"/clinic.v1.BookingService/SearchAvailability", kStaffAndReaders},
    {"/clinic.v1.BookingService/CreateAppointment", kStaff},
    {"/clinic.v1.BookingService/GetAppointment", kStaffAndReaders},
    {"/clinic.v1.BookingService/ListAppointments", kStaffAndReaders},
    {"/clinic.v1.BookingService/RescheduleAppointment", kStaff},
    {"/clinic.v1.BookingService/CancelAppointment", kStaff},
    {"/clinic.v1.BookingService/CheckInAppointment", kStaff},
    {"/clinic.v1.BookingService/CompleteAppointment", kClinician},
    {"/clinic.v1.BookingService/RecordConsultationOutcome", kClinician},
    {"/clinic.v1.BookingService/MarkNoShowAppointment", kStaff},

    {"/clinic.v1.ConsentService/GetConsentForm", kStaffAndReaders},
    {"/clinic.v1.ConsentService/SignConsent", kStaff},
    {"/clinic.v1.ConsentService/GetConsent", kStaffAndReaders},
    {"/clinic.v1.ConsentService/ListConsents", kStaffAndReaders},
    {"/clinic.v1.ConsentService/WithdrawConsent", kStaff},
    {"/clinic.v1.ConsentService/ExportConsentDocument", kStaff},
    {"/clinic.v1.ConsentService/SubmitScreening", kStaff},
    {"/clinic.v1.ConsentService/GetScreening", kStaffAndReaders},
    {"/clinic.v1.ConsentService/ListScreenings", kStaffAndReaders},
    {"/clinic.v1.ConsentService/ReviewScreening", kClinician},
    {"/clinic.v1.ConsentService/GetClearance", kStaffAndReaders},

    {"/clinic.v1.FollowUpService/CreateSeries", kStaff},
    {"/clinic.v1.FollowUpService/GetSeries", kStaffAndReaders},
    {"/clinic.v1.FollowUpService/ListSeries", kStaffAndReaders},
    {"/clinic.v1.FollowUpService/CancelSeries", kStaff},
    {"/clinic.v1.FollowUpService/PlanNextSession", kStaff},
    {"/clinic.v1.FollowUpService/ListRecalls", kStaffAndReaders},
    {"/clinic.v1.FollowUpService/SnoozeRecall", kStaff},
    {"/clinic.v1.FollowUpService/DismissRecall", kStaff},

    {"/clinic.v1.NotificationService/ClaimNotifications", kWorker},
    {"/clinic.v1.NotificationService/AckNotification", kWorker},
    {"/clinic.v1.NotificationService/WatchEvents", kIntegration},
    {"/clinic.v1.NotificationService/ListNotifications", kStaff},
    {"/clinic.v1.NotificationService/SendNotificationNow", kStaff},

    // Served only by a server started with --test_clock (loopback only).
    {"/clinicd.test_clock.v1.TestClockService/GetTestTime", kEveryone},
    {"/clinicd.test_clock.v1.TestClockService/SetTestTime", kAdminOnly},
    {"/clinicd.test_clock.v1.TestClockService/AdvanceTestTime", kAdminOnly},
};

const absl::flat_hash_map<absl::string_view, RoleSet>& Policy() {
  static const auto* policy = [] {
    auto* map = new absl::flat_hash_map<absl::string_view, RoleSet>();
    for (const Rule& rule : kRules) map->emplace(rule.method, rule.roles);
    return map;
  }();
  return *policy;
}

}  // namespace

bool RoleMayCall(Role role, absl::string_view method) {
  auto it = Policy().find(method);
  if (it == Policy().end()) return false;
  return role == Role::kAdmin || (it->second & Bit(role)) != 0;
}

bool PolicyCovers(absl::string_view method) {
  return Policy().contains(method);
}

}  // namespace clinicd::auth
