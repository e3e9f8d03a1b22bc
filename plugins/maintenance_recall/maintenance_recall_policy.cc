#include "plugins/maintenance_recall/maintenance_recall_policy.h"

#include <cstdint>

namespace clinicd::plugins::maintenance_recall {
namespace {

clinic::v1::Period MonthsAndDays(int32_t months, int32_t days) {
  clinic::v1::Period period;
  period.set_months(months);
  period.set_days(days);
  return period;
}

void AddNotice(clinic::v1::RecallPolicy& policy, const char* id, const clinic::v1::Period& offset,
               const char* title, const char* body) {
  clinic::v1::TimedMessage* notice = policy.add_notices();
  notice->set_id(id);
  *notice->mutable_offset() = offset;
  notice->set_title(title);
  notice->set_body(body);
}

}  // namespace

clinic::v1::RecallPolicy MaintenanceRecallPolicy() {
  clinic::v1::RecallPolicy policy;
  policy.set_name("recallPolicies/maintenance_6_12_months");
  policy.set_display_name("Maintenance session every 6 to 12 months");
  policy.set_plugin("plugins/maintenance_recall");
  *policy.mutable_due_after() = MonthsAndDays(6, 0);
  *policy.mutable_lapse_after() = MonthsAndDays(12, 0);

  // Offsets count from the series' completion. The texts name no treatment:
  // any treatment type may opt into this policy.
  AddNotice(policy, "maintenance_due", MonthsAndDays(6, 0),
            "It's time for your maintenance session",
            "It's been about six months since you finished your course of treatment, so now is "
            "a good time for a maintenance session. One session every 6 to 12 months helps you "
            "keep the results you've worked for. Get in touch with us whenever suits you and "
            "we'll find a time together.");
  AddNotice(policy, "maintenance_reminder", MonthsAndDays(9, 0),
            "A friendly reminder about your maintenance session",
            "Just a reminder that your maintenance session is due. A single session within the "
            "next few months is usually enough to keep your results looking their best. If "
            "you've already arranged it, thank you, and please ignore this message.");
  AddNotice(policy, "maintenance_final_notice", MonthsAndDays(11, 14),
            "Last reminder: book your maintenance session soon",
            "It's almost a year since you finished your course of treatment. To keep your "
            "results going, we recommend a maintenance session within the next couple of weeks. "
            "If you'd rather not continue for now, that's completely fine: this is the last "
            "reminder we'll send, and you're always welcome to contact us later.");
  return policy;
}

}  // namespace clinicd::plugins::maintenance_recall
