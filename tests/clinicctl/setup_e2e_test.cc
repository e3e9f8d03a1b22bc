// clinicctl, the binary, setting a clinic up and registering a patient:
// clinic create (an admin's task) with the export line, practitioner and room
// create/list, patient register with channel opt-ins, consent sign (the
// form's text shown, typed name or --shown) and screening submit, after which
// the patient is treatable.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::clinicd::testing::AuthedContext;
using ::testing::HasSubstr;
using ::testing::Not;

using SetupTest = ClinicctlTest;

TEST_F(SetupTest, ClinicCreatePrintsTheExportLine) {
  const ProgramResult created =
      Ctl({"clinic", "create", "--name=Haut & Licht", "--time_zone=Europe/Berlin", "--region=de",
           "--email=desk@example.org", "--address=Torstr. 1,10119 Berlin",
           "--quiet_hours=21:00-08:00"},
          admin_key_);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t at = created.out.find("export CLINICD_CLINIC=");
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string id = created.out.substr(at + 22, 26);
  clinic::v1::GetClinicRequest get;
  get.set_name("clinics/" + id);
  clinic::v1::Clinic clinic;
  ASSERT_TRUE(practice_->GetClinic(AuthedContext(admin_key_).get(), get, &clinic).ok());
  EXPECT_EQ(clinic.display_name(), "Haut & Licht");
  EXPECT_EQ(clinic.region_code(), "DE");
  EXPECT_EQ(clinic.address_lines_size(), 2);
  EXPECT_EQ(clinic.policy().quiet_hours_start().hours(), 21);
  EXPECT_EQ(clinic.policy().quiet_hours_end().hours(), 8);

  const ProgramResult missing = Ctl({"clinic", "create", "--name=X", "--region=DE"}, admin_key_);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--time_zone"));
  const ProgramResult bad_zone =
      Ctl({"clinic", "create", "--name=X", "--region=DE", "--time_zone=Europe/Nowhere"},
          admin_key_);
  EXPECT_EQ(bad_zone.exit_code, 2);
  EXPECT_THAT(bad_zone.err, HasSubstr("--time_zone"));
  const ProgramResult bad_quiet = Ctl({"clinic", "create", "--name=X", "--region=DE",
                                       "--time_zone=Europe/Berlin", "--quiet_hours=21-8"},
                                      admin_key_);
  EXPECT_EQ(bad_quiet.exit_code, 2);
  EXPECT_THAT(bad_quiet.err, HasSubstr("--quiet_hours"));
  // A clinician may not create clinics.
  const ProgramResult clinician = Ctl(
      {"clinic", "create", "--name=X", "--region=DE", "--time_zone=Europe/Berlin"});
  EXPECT_EQ(clinician.exit_code, 1) << clinician.err;
}

TEST_F(SetupTest, PractitionerAndRoomCreateAndList) {
  const ProgramResult practitioner =
      Ctl({"practitioner", "create", "--name=Dr. Lena Wolf", "--title=Dermatologist",
           "--treatments=microneedling", "--hours=mon,wed 08:00-12:00 13:00-18:00; sat 10:00-14:00"},
          admin_key_);
  ASSERT_EQ(practitioner.exit_code, 0) << practitioner.err;
  EXPECT_THAT(practitioner.out,
              HasSubstr("for microneedling, working mon 08:00-12:00 13:00-18:00; wed 08:00-12:00 "
                        "13:00-18:00; sat 10:00-14:00."));
  const ProgramResult listed = Ctl({"practitioner", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Dr. Lena Wolf"));
  EXPECT_THAT(listed.out, HasSubstr("Dermatologist"));
  EXPECT_THAT(listed.out, HasSubstr("mon 08:00-12:00 13:00-18:00; wed"));

  const ProgramResult bad_hours = Ctl({"practitioner", "create", "--name=X",
                                       "--treatments=microneedling", "--hours=mon-fri 17:00-09:00"},
                                      admin_key_);
  EXPECT_EQ(bad_hours.exit_code, 2);
  EXPECT_THAT(bad_hours.err, HasSubstr("--hours: \"17:00-09:00\""));

  const ProgramResult room = Ctl(
      {"room", "create", "--name=Room 2", "--capabilities=microneedling_device,sink"}, admin_key_);
  ASSERT_EQ(room.exit_code, 0) << room.err;
  EXPECT_THAT(room.out, HasSubstr("Created room Room 2 ("));
  const ProgramResult rooms = Ctl({"room", "list", "--json"});
  ASSERT_EQ(rooms.exit_code, 0) << rooms.err;
  EXPECT_THAT(rooms.out, HasSubstr("\"Room 2\""));
  EXPECT_THAT(rooms.out, HasSubstr("\"microneedling_device\""));
}

TEST_F(SetupTest, RegisterSignScreenThenTreatable) {
  const ProgramResult registered =
      Ctl({"patient", "register", "--given=Jonas", "--family=Becker", "--birth_date=1988-07-14",
           "--email=jonas@example.org", "--opt_in=email", "--language=de"});
  ASSERT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_THAT(registered.out, HasSubstr("Registered Jonas Becker ("));
  const ProgramResult bad_channel =
      Ctl({"patient", "register", "--given=A", "--family=B", "--opt_in=pigeon"});
  EXPECT_EQ(bad_channel.exit_code, 2);
  EXPECT_THAT(bad_channel.err, HasSubstr("--opt_in"));
  const ProgramResult shown = Ctl({"patient", "show", "Jonas Becker"});
  EXPECT_THAT(shown.out, HasSubstr("Messages by:  email"));

  // Without --shown and nobody typing, nothing is signed.
  const ProgramResult unconfirmed = Ctl({"consent", "sign", "Jonas Becker"});
  EXPECT_EQ(unconfirmed.exit_code, 2) << unconfirmed.err;
  EXPECT_THAT(unconfirmed.err, HasSubstr("--shown"));
  EXPECT_THAT(unconfirmed.out, HasSubstr("Consent form treatmentTypes/microneedling/consentForms/"));

  // The patient types their name.
  const std::string env = absl::StrCat("CLINICD_ADDRESS=", server_.address(),
                                       " CLINICD_API_KEY=", clinician_key_,
                                       " CLINICD_CLINIC=", IdOf(clinic_.name()));
  const ProgramResult typed = test_util::RunProgram(
      {"/bin/sh", "-c",
       absl::StrCat("echo 'Jonas Becker' | env ", env, " ", ClinicctlBinary(),
                    " consent sign 'Jonas Becker' --treatment=microneedling")});
  ASSERT_EQ(typed.exit_code, 0) << typed.err;
  EXPECT_THAT(typed.out, HasSubstr("Signed: Jonas Becker (patient), version "));
  const ProgramResult wrong_name = test_util::RunProgram(
      {"/bin/sh", "-c",
       absl::StrCat("echo 'Someone Else' | env ", env, " ", ClinicctlBinary(),
                    " consent sign 'Jonas Becker'")});
  EXPECT_NE(wrong_name.exit_code, 0);
  EXPECT_THAT(wrong_name.out, Not(HasSubstr("Signed:")));

  const ProgramResult guardian =
      Ctl({"consent", "sign", "Jonas Becker", "--guardian=Karl Becker", "--relationship=father", "--shown", "--json"});
  ASSERT_EQ(guardian.exit_code, 0) << guardian.err;
  EXPECT_THAT(guardian.out, HasSubstr("\"SIGNER_KIND_GUARDIAN\""));
  const ProgramResult no_relationship = Ctl({"consent", "sign", "Jonas Becker", "--guardian=K"});
  EXPECT_EQ(no_relationship.exit_code, 2);
  EXPECT_THAT(no_relationship.err, HasSubstr("--relationship"));

  const ProgramResult unknown_question =
      Ctl({"screening", "submit", "Jonas Becker", "--answer=favourite_colour=blue"});
  EXPECT_EQ(unknown_question.exit_code, 2);
  EXPECT_THAT(unknown_question.err, HasSubstr("isotretinoin_last_dose"));
  const ProgramResult screened =
      Ctl({"screening", "submit", "Jonas Becker", "--answer=other_medications=no"});
  ASSERT_EQ(screened.exit_code, 0) << screened.err;
  EXPECT_THAT(screened.out, HasSubstr("never (not given)"));
  EXPECT_THAT(screened.out, HasSubstr(": CLEARED"));
  const ProgramResult status = Ctl({"consent", "status", "Jonas Becker"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr(": TREATABLE"));
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
