// The table of field limits against the schema: every string and bytes
// field a client can send has a row, and the check names each field that is
// too long or too many.

#include "services/rpc/field_limits.h"

#include <google/protobuf/descriptor.h>

#include <set>
#include <string>

#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "tests/testing/service_files.h"

namespace clinicd::rpc {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

using testing::ServedServiceFiles;

// Every string and bytes field reachable from `message`, as "Type.field".
void CollectTextFields(const Descriptor* message, std::set<const Descriptor*>& seen,
                       std::map<std::string, const FieldDescriptor*>& fields) {
  if (!seen.insert(message).second) return;
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      fields[field->full_name()] = field;
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectTextFields(field->message_type(), seen, fields);
    }
  }
}

TEST(FieldLimitsTest, EveryTextFieldARequestCanCarryHasALimit) {
  std::set<const Descriptor*> seen;
  std::map<std::string, const FieldDescriptor*> fields;
  int methods = 0;
  for (const FileDescriptor* file : ServedServiceFiles()) {
    ASSERT_EQ(file->service_count(), 1) << file->name();
    for (int m = 0; m < file->service(0)->method_count(); ++m) {
      ++methods;
      CollectTextFields(file->service(0)->method(m)->input_type(), seen, fields);
    }
  }
  EXPECT_GE(methods, 65);
  EXPECT_GE(fields.size(), 150u);
  for (const auto& [name, field] : fields) {
    EXPECT_TRUE(MaxBytesOf(field->name()).has_value())
        << name << " has no row in services/rpc/field_limits.cc (and README's Limits table)";
  }
}

TEST(FieldLimitsTest, EveryRowIsUsedAndPositive) {
  std::set<std::string> names;
  for (const FieldLimit& limit : FieldLimits()) {
    EXPECT_GT(limit.max_bytes, 0u) << limit.field_name;
    EXPECT_TRUE(names.insert(std::string(limit.field_name)).second)
        << "two rows for " << limit.field_name;
  }
}

TEST(FieldLimitsTest, NamesEveryFieldOverItsLimitByPath) {
  clinic::v1::CreateAppointmentRequest request;
  request.set_parent("clinics/c1");
  request.mutable_appointment()->mutable_rule_override()->set_justification(std::string(2000, 'j'));
  EXPECT_TRUE(CheckFieldLimits(request).ok());

  request.mutable_appointment()->mutable_rule_override()->set_justification(std::string(2001, 'j'));
  request.set_request_id(std::string(129, 'r'));
  const absl::Status status = CheckFieldLimits(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(bad.ParseFromString(std::string(*status.GetPayload(kBadRequestTypeUrl))));
  std::set<std::string> named;
  for (const auto& violation : bad.field_violations()) named.insert(violation.field());
  EXPECT_EQ(named, (std::set<std::string>{"appointment.rule_override.justification", "request_id"}));
}

TEST(FieldLimitsTest, RepeatedFieldsHoldAtMostTheirElements) {
  clinic::v1::SubmitScreeningRequest request;
  for (int i = 0; i < kMaxRepeatedElements; ++i) request.mutable_screening()->add_answers();
  EXPECT_TRUE(CheckFieldLimits(request).ok());
  request.mutable_screening()->add_answers();
  EXPECT_EQ(CheckFieldLimits(request).code(), absl::StatusCode::kInvalidArgument);
}

TEST(FieldLimitsTest, EachElementOfARepeatedStringIsChecked) {
  clinic::v1::Practitioner practitioner;
  practitioner.add_treatment_types("treatmentTypes/microneedling");
  practitioner.add_treatment_types(std::string(257, 't'));
  const absl::Status status = CheckFieldLimits(practitioner);
  EXPECT_NE(status.message().find("treatment_types[1]"), std::string::npos) << status;
}

TEST(FieldLimitsTest, TimestampsAndDurationsMustBeOnesProtobufAllows) {
  clinic::v1::CreateAppointmentRequest request;
  request.mutable_appointment()->mutable_start_time()->set_seconds(253402300799LL);  // 9999-12-31
  EXPECT_TRUE(CheckFieldLimits(request).ok());
  request.mutable_appointment()->mutable_start_time()->set_seconds(253402300800LL);
  absl::Status status = CheckFieldLimits(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("appointment.start_time"), std::string::npos) << status;
  request.mutable_appointment()->mutable_start_time()->set_seconds(0);
  request.mutable_appointment()->mutable_start_time()->set_nanos(-1);
  EXPECT_EQ(CheckFieldLimits(request).code(), absl::StatusCode::kInvalidArgument);

  clinic::v1::SnoozeRecallRequest snooze;
  snooze.mutable_snooze()->set_seconds(86400);
  EXPECT_TRUE(CheckFieldLimits(snooze).ok());
  snooze.mutable_snooze()->set_nanos(-1);  // Of the other sign.
  status = CheckFieldLimits(snooze);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("snooze"), std::string::npos) << status;
}

}  // namespace
}  // namespace clinicd::rpc
