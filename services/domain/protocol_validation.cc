#include "services/domain/protocol_validation.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/domain/time_bounds.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/field_rules.h"

namespace clinicd::domain {
namespace {

using clinic::v1::Period;

bool IsLowerSnake(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Sign of a period: its months, else days, else duration (mixed signs are refused).
int SignOf(const Period& period) {
  const int64_t parts[] = {period.months(), period.days(), period.duration().seconds()};
  int sign = 0;
  for (int64_t part : parts) {
    const int s = (part > 0) - (part < 0);
    if (s != 0 && sign != 0 && s != sign) return 2;
    if (s != 0) sign = s;
  }
  return sign;
}

// Compares periods that share a unit mix approximately (30-day months);
// enough to catch a min above a max.
int64_t ApproxSeconds(const Period& period) {
  return period.months() * 30LL * 86400 + period.days() * 86400LL + period.duration().seconds();
}

void CheckName(FieldViolations& v, const std::string& field, const std::string& name,
               absl::string_view collection) {
  std::vector<absl::string_view> collections = {collection};
  if (!ParseResourceName(field, name, collections).ok()) {
    v.Add(field, absl::StrCat("must be `", collection, "/{id}` with a lower-case id"));
  }
}

void CheckMessages(FieldViolations& v, const std::string& prefix,
                   const google::protobuf::RepeatedPtrField<clinic::v1::TimedMessage>& messages,
                   int required_sign, const char* side) {
  std::set<std::string> ids;
  for (int i = 0; i < messages.size(); ++i) {
    const auto& message = messages[i];
    const std::string field = absl::StrCat(prefix, "[", i, "]");
    if (!IsLowerSnake(message.id())) v.Add(field + ".id", "must be lower_snake_case");
    if (!ids.insert(message.id()).second) v.Add(field + ".id", "is used twice");
    RequireText(v, field + ".title", message.title(), 80);
    RequireText(v, field + ".body", message.body(), 4000);
    const int sign = SignOf(message.offset());
    if (sign == 2) {
      v.Add(field + ".offset", "must not mix positive and negative parts");
    } else if (required_sign != 0 && sign != 0 && sign != required_sign) {
      v.Add(field + ".offset", absl::StrCat("must be ", side, " the reference time"));
    }
    if (!clinic::v1::QuietHoursShift_IsValid(message.quiet_hours_shift())) {
      v.Add(field + ".quiet_hours_shift", "must be UNSPECIFIED, EARLIER or LATER");
    }
  }
}

void CheckTreatmentType(FieldViolations& v, const std::string& prefix,
                        const std::string& plugin, const clinic::v1::TreatmentType& type) {
  CheckName(v, prefix + ".name", type.name(), "treatmentTypes");
  RequireText(v, prefix + ".display_name", type.display_name(), 200);
  if (type.plugin() != plugin) v.Add(prefix + ".plugin", absl::StrCat("must be `", plugin, "`"));
  const auto& d = type.durations();
  if (d.procedure().seconds() <= 0) {
    v.Add(prefix + ".durations.procedure", "must be longer than zero");
  }
  for (const auto& [name, duration] :
       {std::pair<const char*, const google::protobuf::Duration*>{"consultation", &d.consultation()},
        {"numbing", &d.numbing()}, {"procedure", &d.procedure()}, {"turnaround", &d.turnaround()}}) {
    if (duration->seconds() < 0) {
      v.Add(absl::StrCat(prefix, ".durations.", name), "must not be negative");
    } else if (absl::Seconds(duration->seconds()) > kLongestPhase) {
      v.Add(absl::StrCat(prefix, ".durations.", name), "must be at most 4 hours");
    }
  }
  std::set<std::string> ids;
  for (int i = 0; i < type.indications_size(); ++i) {
    const auto& indication = type.indications(i);
    const std::string field = absl::StrCat(prefix, ".indications[", i, "]");
    if (!IsLowerSnake(indication.id())) v.Add(field + ".id", "must be lower_snake_case");
    if (!ids.insert(indication.id()).second) v.Add(field + ".id", "is used twice");
    RequireText(v, field + ".display_name", indication.display_name(), 200);
    const auto& rule = indication.series();
    if (rule.min_sessions() < 1 || rule.max_sessions() < rule.min_sessions()) {
      v.Add(field + ".series", "needs 1 <= min_sessions <= max_sessions");
    }
    if (SignOf(rule.min_spacing()) <= 0 ||
        ApproxSeconds(rule.max_spacing()) < ApproxSeconds(rule.min_spacing())) {
      v.Add(field + ".series", "needs 0 < min_spacing <= max_spacing");
    }
  }
  std::map<std::string, clinic::v1::AnswerKind> questions;
  for (int i = 0; i < type.screening_questions_size(); ++i) {
    const auto& question = type.screening_questions(i);
    const std::string field = absl::StrCat(prefix, ".screening_questions[", i, "]");
    if (!IsLowerSnake(question.id())) v.Add(field + ".id", "must be lower_snake_case");
    if (!questions.emplace(question.id(), question.answer_kind()).second) {
      v.Add(field + ".id", "is used twice");
    }
    RequireText(v, field + ".text", question.text(), 500);
    if (question.answer_kind() == clinic::v1::ANSWER_KIND_UNSPECIFIED) {
      v.Add(field + ".answer_kind", "must be YES_NO, TIME or TEXT");
    }
  }
  for (int i = 0; i < type.screening_rules_size(); ++i) {
    const auto& rule = type.screening_rules(i);
    const std::string field = absl::StrCat(prefix, ".screening_rules[", i, "]");
    if (!IsLowerSnake(rule.id())) v.Add(field + ".id", "must be lower_snake_case");
    const auto question = questions.find(rule.question_id());
    if (question == questions.end()) {
      v.Add(field + ".question_id", "must name a screening question of this treatment type");
      continue;
    }
    if (rule.effect() == clinic::v1::SCREENING_EFFECT_UNSPECIFIED) {
      v.Add(field + ".effect", "must be set");
    } else if (question->second == clinic::v1::ANSWER_KIND_TIME) {
      if (SignOf(rule.window()) != 1) v.Add(field + ".window", "must be a positive period");
    } else if (question->second == clinic::v1::ANSWER_KIND_YES_NO) {
      if (rule.effect() != clinic::v1::SCREENING_EFFECT_CLINICIAN_REVIEW) {
        v.Add(field + ".effect", "a yes/no answer has no time, so it can only ask for review");
      }
    } else {
      v.Add(field + ".question_id", "text answers cannot be evaluated by a rule");
    }
    RequireText(v, field + ".explanation", rule.explanation(), 500);
  }
  CheckMessages(v, prefix + ".preparation", type.preparation(), -1, "before");
  CheckMessages(v, prefix + ".aftercare", type.aftercare(), 1, "after");
  if (type.has_consultation_visit()) {
    const auto& visit = type.consultation_visit();
    if (visit.duration().seconds() <= 0 || absl::Seconds(visit.duration().seconds()) > kLongestPhase) {
      v.Add(prefix + ".consultation_visit.duration", "must be longer than zero and at most 4 hours");
    }
    CheckMessages(v, prefix + ".consultation_visit.reminders", visit.reminders(), -1, "before");
  }
  const auto& form = type.consent_form();
  RequireText(v, prefix + ".consent_form.version", form.version(), 32);
  RequireText(v, prefix + ".consent_form.text", form.text(), 100000);
  if (SignOf(form.validity()) != 1) {
    v.Add(prefix + ".consent_form.validity", "must be a positive period");
  }
  if (!type.recall_policy().empty()) {
    CheckName(v, prefix + ".recall_policy", type.recall_policy(), "recallPolicies");
  }
}

void CheckRecallPolicy(FieldViolations& v, const std::string& prefix,
                       const std::string& plugin, const clinic::v1::RecallPolicy& policy) {
  CheckName(v, prefix + ".name", policy.name(), "recallPolicies");
  RequireText(v, prefix + ".display_name", policy.display_name(), 200);
  if (policy.plugin() != plugin) v.Add(prefix + ".plugin", absl::StrCat("must be `", plugin, "`"));
  if (SignOf(policy.due_after()) != 1 ||
      ApproxSeconds(policy.lapse_after()) <= ApproxSeconds(policy.due_after())) {
    v.Add(prefix + ".lapse_after", "needs 0 < due_after < lapse_after");
  }
  CheckMessages(v, prefix + ".notices", policy.notices(), 1, "after");
}

}  // namespace

absl::Status ValidatePluginDescription(absl::string_view plugin,
                                       const clinicd::plugin::v1::DescribeResponse& description) {
  const std::string plugin_name = absl::StrCat("plugins/", plugin);
  FieldViolations v;
  if (description.treatment_types().empty() && description.recall_policies().empty()) {
    v.Add("treatment_types", "a plugin must provide a treatment type or a recall policy");
  }
  std::set<std::string> names;
  for (int i = 0; i < description.treatment_types_size(); ++i) {
    const auto& type = description.treatment_types(i);
    const std::string prefix = absl::StrCat("treatment_types[", i, "]");
    CheckTreatmentType(v, prefix, plugin_name, type);
    if (!names.insert(type.name()).second) v.Add(prefix + ".name", "is declared twice");
  }
  for (int i = 0; i < description.recall_policies_size(); ++i) {
    const auto& policy = description.recall_policies(i);
    const std::string prefix = absl::StrCat("recall_policies[", i, "]");
    CheckRecallPolicy(v, prefix, plugin_name, policy);
    if (!names.insert(policy.name()).second) v.Add(prefix + ".name", "is declared twice");
  }
  return v.ToStatus();
}

}  // namespace clinicd::domain
