#include "services/auth/rpc_policy.h"

#include <google/protobuf/descriptor.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "services/auth/role.h"
#include "tests/testing/service_files.h"

namespace clinicd::auth {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using google::protobuf::ServiceDescriptor;

using testing::ServedServiceFiles;

constexpr absl::string_view kServices[] = {
    "clinic.v1.PracticeService",         "clinic.v1.PatientService",
    "clinic.v1.TreatmentCatalogService", "clinic.v1.BookingService",
    "clinic.v1.ConsentService",          "clinic.v1.FollowUpService",
    "clinic.v1.NotificationService",     "clinicd.test_clock.v1.TestClockService",
};

// Method names that change state; an integration key may call none of them.
constexpr absl::string_view kWritePrefixes[] = {
    "Create", "Update",  "Delete",  "Sign",     "Withdraw",   "Submit",
    "Review", "Cancel",  "CheckIn", "Complete", "MarkNoShow", "Reschedule",
    "Snooze", "Dismiss", "Claim",   "Ack",     "SetTest",  "AdvanceTest",
};

constexpr Role kAllRoles[] = {Role::kAdmin, Role::kFrontDesk, Role::kClinician,
                              Role::kReminderWorker, Role::kIntegration};

struct Method {
  std::string full_name;  // "/clinic.v1.PatientService/GetPatient"
  std::string name;       // "GetPatient"
};

// Every RPC of every clinic.v1 service, from the generated descriptors.
std::vector<Method> AllMethods() {
  std::vector<Method> methods;
  for (absl::string_view service_name : kServices) {
    const ServiceDescriptor* service =
        DescriptorPool::generated_pool()->FindServiceByName(
            std::string(service_name));
    EXPECT_NE(service, nullptr) << service_name;
    if (service == nullptr) continue;
    EXPECT_GT(service->method_count(), 0) << service_name;
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back({absl::StrCat("/", service->full_name(), "/",
                                      service->method(i)->name()),
                         service->method(i)->name()});
    }
  }
  return methods;
}

bool IsWrite(absl::string_view method_name) {
  for (absl::string_view prefix : kWritePrefixes) {
    if (absl::StartsWith(method_name, prefix)) return true;
  }
  return false;
}

TEST(RpcPolicyTest, ServiceFilesAreLinked) {
  const std::vector<const FileDescriptor*> files = ServedServiceFiles();
  ASSERT_EQ(files.size(), 8u);
  for (const FileDescriptor* file : files) {
    EXPECT_EQ(file->service_count(), 1) << file->name();
  }
}

TEST(RpcPolicyTest, CoversEveryMethodOfEveryService) {
  const std::vector<Method> methods = AllMethods();
  // 21 + 6 + 3 + 9 + 11 + 8 + 3 RPCs today; a new RPC must get a row.
  EXPECT_GE(methods.size(), 61u);
  for (const Method& method : methods) {
    EXPECT_TRUE(PolicyCovers(method.full_name)) << method.full_name;
  }
}

// The role table as README.md shows it: one row per RPC, a mark for each
// role besides admin (who may call everything) that may call it.
std::string RoleTableMarkdown() {
  constexpr Role kRoles[] = {Role::kFrontDesk, Role::kClinician, Role::kReminderWorker,
                             Role::kIntegration};
  std::string table = "| RPC |";
  for (Role role : kRoles) absl::StrAppend(&table, " `", RoleName(role), "` |");
  absl::StrAppend(&table, "\n|---|");
  for (size_t i = 0; i < std::size(kRoles); ++i) absl::StrAppend(&table, ":-:|");
  table += "\n";
  for (const Method& method : AllMethods()) {
    // "/clinic.v1.PatientService/GetPatient" → "PatientService.GetPatient"
    std::string row = method.full_name.substr(method.full_name.rfind('.', method.full_name.rfind('/')) + 1);
    row[row.find('/')] = '.';
    absl::StrAppend(&table, "| ", row, " |");
    for (Role role : kRoles) {
      absl::StrAppend(&table, RoleMayCall(role, method.full_name) ? " ✓ |" : "   |");
    }
    table += "\n";
  }
  return table;
}

TEST(RpcPolicyTest, ReadmeShowsTheTableAsItIs) {
  std::ifstream file(CLINICD_README);
  ASSERT_TRUE(file) << CLINICD_README;
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  const std::string kBegin = "<!-- role table: begin -->\n";
  const std::string kEnd = "<!-- role table: end -->";
  const size_t begin = readme.find(kBegin);
  const size_t end = readme.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks " << kBegin;
  ASSERT_NE(end, std::string::npos) << "README.md lacks " << kEnd;
  const std::string shown = readme.substr(begin + kBegin.size(), end - begin - kBegin.size());
  EXPECT_EQ(shown, RoleTableMarkdown())
      << "README.md's role table differs from services/auth/rpc_policy.cc; the table as "
         "the code has it is:\n"
      << RoleTableMarkdown();
}

TEST(RpcPolicyTest, AdminMayCallEverything) {
  for (const Method& method : AllMethods()) {
    EXPECT_TRUE(RoleMayCall(Role::kAdmin, method.full_name))
        << method.full_name;
  }
}

TEST(RpcPolicyTest, IntegrationNeverWrites) {
  int writes = 0;
  for (const Method& method : AllMethods()) {
    if (!IsWrite(method.name)) continue;
    ++writes;
    EXPECT_FALSE(RoleMayCall(Role::kIntegration, method.full_name))
        << method.full_name;
  }
  EXPECT_GT(writes, 30);
}

TEST(RpcPolicyTest, IntegrationReadsAndWatches) {
  EXPECT_TRUE(
      RoleMayCall(Role::kIntegration, "/clinic.v1.PatientService/GetPatient"));
  EXPECT_TRUE(RoleMayCall(Role::kIntegration,
                          "/clinic.v1.BookingService/ListAppointments"));
  EXPECT_TRUE(RoleMayCall(Role::kIntegration,
                          "/clinic.v1.NotificationService/WatchEvents"));
}

TEST(RpcPolicyTest, ReminderWorkerSeesOnlyTheOutbox) {
  EXPECT_TRUE(RoleMayCall(Role::kReminderWorker,
                          "/clinic.v1.NotificationService/ClaimNotifications"));
  EXPECT_TRUE(RoleMayCall(Role::kReminderWorker,
                          "/clinic.v1.NotificationService/AckNotification"));
  EXPECT_FALSE(RoleMayCall(Role::kReminderWorker,
                           "/clinic.v1.PatientService/GetPatient"));
  EXPECT_FALSE(RoleMayCall(Role::kReminderWorker,
                           "/clinic.v1.NotificationService/WatchEvents"));
  for (const Method& method : AllMethods()) {
    if (IsWrite(method.name) &&
        !absl::StartsWith(method.full_name,
                          "/clinic.v1.NotificationService/")) {
      EXPECT_FALSE(RoleMayCall(Role::kReminderWorker, method.full_name))
          << method.full_name;
    }
  }
}

TEST(RpcPolicyTest, OnlyReminderWorkerAndAdminClaimNotifications) {
  constexpr absl::string_view kClaim =
      "/clinic.v1.NotificationService/ClaimNotifications";
  EXPECT_FALSE(RoleMayCall(Role::kFrontDesk, kClaim));
  EXPECT_FALSE(RoleMayCall(Role::kClinician, kClaim));
  EXPECT_FALSE(RoleMayCall(Role::kIntegration, kClaim));
}

TEST(RpcPolicyTest, SetupIsForAdminsOnly) {
  for (Role role : {Role::kFrontDesk, Role::kClinician, Role::kReminderWorker,
                    Role::kIntegration}) {
    EXPECT_FALSE(RoleMayCall(role, "/clinic.v1.PracticeService/CreateClinic"))
        << RoleName(role);
    EXPECT_FALSE(RoleMayCall(role, "/clinic.v1.PatientService/DeletePatient"))
        << RoleName(role);
  }
}

TEST(RpcPolicyTest, ClinicianCompletesButFrontDeskDoesNot) {
  constexpr absl::string_view kComplete =
      "/clinic.v1.BookingService/CompleteAppointment";
  EXPECT_TRUE(RoleMayCall(Role::kClinician, kComplete));
  EXPECT_FALSE(RoleMayCall(Role::kFrontDesk, kComplete));
}

TEST(RpcPolicyTest, UnknownMethodIsRefusedToEveryone) {
  const absl::string_view unknown[] = {
      "/clinic.v1.PatientService/Frobnicate",
      "/clinic.v1.PatientService/GetPatientX",
      "clinic.v1.PatientService/GetPatient",
      "/clinic.v1.PatientService/getpatient",
      "/clinic.v2.PatientService/GetPatient",
      "",
  };
  for (absl::string_view method : unknown) {
    EXPECT_FALSE(PolicyCovers(method)) << method;
    for (Role role : kAllRoles) {
      EXPECT_FALSE(RoleMayCall(role, method))
          << method << " " << RoleName(role);
    }
  }
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : kAllRoles) {
    EXPECT_EQ(ParseRole(RoleName(role)), role) << RoleName(role);
  }
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(RoleName(Role::kFrontDesk), "front_desk");
  EXPECT_EQ(RoleName(Role::kClinician), "clinician");
  EXPECT_EQ(RoleName(Role::kReminderWorker), "reminder_worker");
  EXPECT_EQ(RoleName(Role::kIntegration), "integration");
}

TEST(RoleTest, UnknownNamesDoNotParse) {
  EXPECT_FALSE(ParseRole("").has_value());
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("front-desk").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("admin ").has_value());
}

}  // namespace
}  // namespace clinicd::auth
