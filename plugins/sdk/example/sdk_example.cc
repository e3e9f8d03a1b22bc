// The smallest complete clinicd plugin: one treatment type declared as data;
// screening, series planning and recalls use the SDK's declared-rule
// semantics. Copy this to start a plugin of your own.

#include "clinicd/plugin.h"

namespace {

class SdkExample final : public clinicd::plugin_sdk::TreatmentPlugin {
 public:
  absl::Status Init(const clinicd::plugin_sdk::Host& host) override {
    host.Log(CLINICD_LOG_INFO, "example treatment ready");
    return absl::OkStatus();
  }

  clinicd::plugin::v1::DescribeResponse Describe() const override {
    clinicd::plugin::v1::DescribeResponse response;
    clinic::v1::TreatmentType* type = response.add_treatment_types();
    type->set_name("treatmentTypes/sdk_example_facial");
    type->set_display_name("Hydrating facial (SDK example)");
    type->set_description("A gentle cleansing and hydrating facial.");
    type->set_plugin("plugins/sdk_example");
    type->mutable_durations()->mutable_procedure()->set_seconds(45 * 60);
    type->mutable_durations()->mutable_turnaround()->set_seconds(10 * 60);

    clinic::v1::Indication* indication = type->add_indications();
    indication->set_id("dry_skin");
    indication->set_display_name("Dry skin");
    indication->mutable_series()->set_min_sessions(1);
    indication->mutable_series()->set_max_sessions(4);
    indication->mutable_series()->mutable_min_spacing()->set_days(14);
    indication->mutable_series()->mutable_max_spacing()->set_days(28);

    clinic::v1::ScreeningQuestion* question = type->add_screening_questions();
    question->set_id("peel_last");
    question->set_text("When did you last have a chemical peel?");
    question->set_answer_kind(clinic::v1::ANSWER_KIND_TIME);
    clinic::v1::ScreeningRule* rule = type->add_screening_rules();
    rule->set_id("recent_peel");
    rule->set_question_id("peel_last");
    rule->mutable_window()->set_days(7);
    rule->set_effect(clinic::v1::SCREENING_EFFECT_DEFER_UNTIL);
    rule->set_explanation("Skin needs a week to recover after a peel.");

    type->mutable_consent_form()->set_version("1");
    type->mutable_consent_form()->set_text(
        "I agree to a hydrating facial and understand my skin may be slightly red afterwards.");
    type->mutable_consent_form()->mutable_validity()->set_months(12);
    return response;
  }
};

}  // namespace

CLINICD_PLUGIN(SdkExample, "sdk_example", "1.0.0")
