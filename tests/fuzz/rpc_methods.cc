#include "tests/fuzz/rpc_methods.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/consent_service.grpc.pb.h"
#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "clinicd/test_clock/v1/test_clock.grpc.pb.h"

namespace clinicd::fuzz {
namespace {

std::vector<RpcMethod> ListMethods() {
  const char* const service_names[] = {
      clinic::v1::PracticeService::service_full_name(),
      clinic::v1::PatientService::service_full_name(),
      clinic::v1::TreatmentCatalogService::service_full_name(),
      clinic::v1::BookingService::service_full_name(),
      clinic::v1::ConsentService::service_full_name(),
      clinic::v1::FollowUpService::service_full_name(),
      clinic::v1::NotificationService::service_full_name(),
      clinicd::test_clock::v1::TestClockService::service_full_name(),
  };
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const char* name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) {
      std::fprintf(stderr, "fuzz harness: no descriptor for %s\n", name);
      std::abort();
    }
    services.push_back(service);
  }
  std::vector<RpcMethod> methods;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (method->client_streaming()) {
        // None today; a client stream needs its own way to split the input.
        std::fprintf(stderr, "fuzz harness: %s streams from the client; not fuzzed\n",
                     method->full_name().c_str());
        continue;
      }
      methods.push_back(RpcMethod{absl::StrCat("/", service->full_name(), "/", method->name()),
                                  method->server_streaming()});
    }
  }
  std::sort(methods.begin(), methods.end(),
            [](const RpcMethod& a, const RpcMethod& b) { return a.path < b.path; });
  return methods;
}

}  // namespace

const std::vector<RpcMethod>& FuzzedMethods() {
  static const std::vector<RpcMethod>* methods = new std::vector<RpcMethod>(ListMethods());
  return *methods;
}

}  // namespace clinicd::fuzz
