// A plugin whose declared series rule is impossible (8 to 6 sessions).
#include "clinicd/plugin.h"

namespace {

class BadProtocol final : public clinicd::plugin_sdk::TreatmentPlugin {
 public:
  clinicd::plugin::v1::DescribeResponse Describe() const override {
    clinicd::plugin::v1::DescribeResponse response;
    clinic::v1::TreatmentType* type = response.add_treatment_types();
    type->set_name("treatmentTypes/bad_protocol");
    type->set_display_name("Bad protocol");
    type->set_plugin("plugins/bad_protocol");
    type->mutable_durations()->mutable_procedure()->set_seconds(1800);
    clinic::v1::Indication* indication = type->add_indications();
    indication->set_id("scars");
    indication->set_display_name("Scars");
    indication->mutable_series()->set_min_sessions(8);
    indication->mutable_series()->set_max_sessions(6);
    indication->mutable_series()->mutable_min_spacing()->set_days(28);
    indication->mutable_series()->mutable_max_spacing()->set_days(42);
    type->mutable_consent_form()->set_version("1");
    type->mutable_consent_form()->set_text("Consent text.");
    type->mutable_consent_form()->mutable_validity()->set_months(12);
    return response;
  }
};

}  // namespace

CLINICD_PLUGIN(BadProtocol, "bad_protocol", "0.0.1")
