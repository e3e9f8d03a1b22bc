#include "plugins/microneedling/microneedling_protocol.h"

#include <cstdint>

namespace clinicd::plugins::microneedling {
namespace {

using clinic::v1::Period;
using clinic::v1::TreatmentType;

constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kSecondsPerHour = 60 * kSecondsPerMinute;

google::protobuf::Duration Minutes(int64_t minutes) {
  google::protobuf::Duration duration;
  duration.set_seconds(minutes * kSecondsPerMinute);
  return duration;
}

Period Months(int32_t months) {
  Period period;
  period.set_months(months);
  return period;
}

Period Days(int32_t days) {
  Period period;
  period.set_days(days);
  return period;
}

// Exact hours (not calendar days): 24 hours stays 24 hours across a DST change.
Period Hours(int64_t hours) {
  Period period;
  period.mutable_duration()->set_seconds(hours * kSecondsPerHour);
  return period;
}

void SetDurations(TreatmentType& type) {
  clinic::v1::SessionDurations* durations = type.mutable_durations();
  *durations->mutable_consultation() = Minutes(15);
  // Topical anaesthetic, only when the patient chooses it.
  *durations->mutable_numbing() = Minutes(30);
  *durations->mutable_procedure() = Minutes(45);
  *durations->mutable_turnaround() = Minutes(15);
}

void AddIndication(TreatmentType& type, const char* id, const char* display_name,
                   int32_t min_sessions, int32_t max_sessions) {
  clinic::v1::Indication* indication = type.add_indications();
  indication->set_id(id);
  indication->set_display_name(display_name);
  clinic::v1::SeriesRule* series = indication->mutable_series();
  series->set_min_sessions(min_sessions);
  series->set_max_sessions(max_sessions);
  // Four to six weeks between sessions lets the skin heal and build collagen.
  *series->mutable_min_spacing() = Days(28);
  *series->mutable_max_spacing() = Days(42);
}

void AddIndications(TreatmentType& type) {
  // Scar tissue needs a longer course.
  AddIndication(type, "acne_scars", "Acne scars", 6, 8);
  AddIndication(type, "burn_scars", "Burn scars", 6, 8);
  AddIndication(type, "surgical_scars", "Surgical scars", 6, 8);
  AddIndication(type, "stretch_marks", "Stretch marks", 6, 8);
  AddIndication(type, "melasma", "Melasma", 3, 6);
  AddIndication(type, "hyperpigmentation", "Hyperpigmentation (dark patches)", 3, 6);
  AddIndication(type, "sun_damage", "Sun damage", 3, 6);
  AddIndication(type, "enlarged_pores", "Enlarged pores", 3, 6);
  AddIndication(type, "fine_lines_wrinkles", "Fine lines and wrinkles", 3, 6);
  AddIndication(type, "skin_laxity", "Loose or sagging skin", 3, 6);
  AddIndication(type, "hair_loss", "Hair loss", 3, 6);
}

void AddQuestion(TreatmentType& type, const char* id, clinic::v1::AnswerKind kind,
                 const char* text) {
  clinic::v1::ScreeningQuestion* question = type.add_screening_questions();
  question->set_id(id);
  question->set_answer_kind(kind);
  question->set_text(text);
}

void AddRule(TreatmentType& type, const char* id, const char* question_id, const Period& window,
             clinic::v1::ScreeningEffect effect, const char* explanation) {
  clinic::v1::ScreeningRule* rule = type.add_screening_rules();
  rule->set_id(id);
  rule->set_question_id(question_id);
  *rule->mutable_window() = window;
  rule->set_effect(effect);
  rule->set_explanation(explanation);
}

void AddScreening(TreatmentType& type) {
  using clinic::v1::ANSWER_KIND_TIME;
  using clinic::v1::ANSWER_KIND_YES_NO;
  using clinic::v1::SCREENING_EFFECT_CLINICIAN_REVIEW;
  using clinic::v1::SCREENING_EFFECT_CONTRAINDICATED_UNTIL;
  using clinic::v1::SCREENING_EFFECT_DEFER_UNTIL;

  AddQuestion(type, "isotretinoin_last_dose", ANSWER_KIND_TIME,
              "When did you last take isotretinoin, an acne medicine sold under names such as "
              "Accutane or Roaccutane? If you have never taken it, please leave this empty.");
  AddQuestion(type, "antihistamine_last_dose", ANSWER_KIND_TIME,
              "When did you last take an antihistamine, such as an allergy or hay-fever tablet? "
              "If you have not taken one in the past week, please leave this empty.");
  AddQuestion(type, "sun_exposure_last", ANSWER_KIND_TIME,
              "When was the skin we will treat last sunburnt, or out in strong sun or on a "
              "sunbed? If not in the past week, please leave this empty.");
  AddQuestion(type, "retinoid_or_vitamin_c_last_use", ANSWER_KIND_TIME,
              "When did you last use a retinoid (such as retinol or tretinoin), a vitamin C "
              "product or an exfoliating acid (AHA or BHA) on the skin we will treat? If not in "
              "the past two weeks, please leave this empty.");
  AddQuestion(type, "peel_or_laser_last", ANSWER_KIND_TIME,
              "When did you last have another skin treatment, such as a chemical peel or laser, "
              "on the skin we will treat? If not in the past month, please leave this empty.");
  AddQuestion(type, "other_medications", ANSWER_KIND_YES_NO,
              "Do you take any medicines prescribed by a doctor, any blood thinners (including "
              "a daily aspirin), or any supplements?");

  AddRule(type, "isotretinoin_within_6_months", "isotretinoin_last_dose", Months(6),
          SCREENING_EFFECT_CONTRAINDICATED_UNTIL,
          "Oral isotretinoin (e.g. Accutane) within the last 6 months. Microneedling is "
          "contraindicated until 6 calendar months after the last dose (same local time of day): "
          "wound healing may be impaired and the risk of abnormal scarring is raised. If the "
          "patient is still taking it, re-screen once the course has ended.");
  AddRule(type, "antihistamine_within_24_hours", "antihistamine_last_dose", Hours(24),
          SCREENING_EFFECT_DEFER_UNTIL,
          "Antihistamine taken within 24 hours before the session. Defer until exactly 24 hours "
          "after the last dose (elapsed hours, so the local clock time shifts by an hour across "
          "a DST change). A prescribed antihistamine is never stopped on our say-so alone: refer "
          "the patient to the prescriber or the treating clinician.");
  AddRule(type, "sun_within_12_hours", "sun_exposure_last", Hours(12), SCREENING_EFFECT_DEFER_UNTIL,
          "Sunburn, strong sun or sunbed exposure on the treatment area within 12 hours before "
          "the session. Defer until exactly 12 hours after the exposure. If the skin is still "
          "visibly burnt or peeling at the appointment, the clinician decides on the day.");
  AddRule(type, "actives_within_3_days", "retinoid_or_vitamin_c_last_use", Days(3),
          SCREENING_EFFECT_DEFER_UNTIL,
          "Retinoid, vitamin C or exfoliating acid (AHA/BHA) used on the treatment area within "
          "3 days before the session. Defer until 3 calendar days after the last use (same local "
          "time of day). Prescribed topicals such as tretinoin are paused only with the "
          "prescriber's agreement.");
  AddRule(type, "peel_or_laser_within_7_days", "peel_or_laser_last", Days(7),
          SCREENING_EFFECT_DEFER_UNTIL,
          "Chemical peel, laser or other resurfacing treatment on the treatment area within 7 "
          "days before the session. Defer until 7 calendar days after it (same local time of "
          "day) so the skin has recovered before needling.");
  AddRule(type, "medications_need_review", "other_medications", Period(),
          SCREENING_EFFECT_CLINICIAN_REVIEW,
          "Patient takes prescription medicines, blood thinners or supplements. A clinician "
          "reviews the list before treatment (anticoagulants, antiplatelets and some "
          "supplements raise bleeding and bruising; photosensitising drugs change the sun "
          "advice) and records the outcome on the screening.");
}

void AddMessage(google::protobuf::RepeatedPtrField<clinic::v1::TimedMessage>* messages,
                const char* id, const Period& offset, const char* title, const char* body,
                clinic::v1::QuietHoursShift shift = clinic::v1::QUIET_HOURS_SHIFT_UNSPECIFIED) {
  clinic::v1::TimedMessage* message = messages->Add();
  message->set_id(id);
  *message->mutable_offset() = offset;
  message->set_title(title);
  message->set_body(body);
  message->set_quiet_hours_shift(shift);
}

// A qualified practitioner looks at the skin and agrees the plan before the
// first session: half an hour, any room, a reminder the day before.
void AddConsultation(TreatmentType& type) {
  clinic::v1::ConsultationRule* visit = type.mutable_consultation_visit();
  visit->set_required(true);
  visit->mutable_duration()->set_seconds(30 * 60);
  AddMessage(visit->mutable_reminders(), "consultation_day_before", Days(-1),
             "Your skin consultation is coming up",
             "Before your first microneedling session, one of our practitioners will look at "
             "your skin with you, talk through what you would like to improve and agree a plan: "
             "how many sessions, how far apart and how deep. Please come without make-up if you "
             "can, and bring a list of any medicines, supplements and skincare products you use. "
             "There is no treatment at this visit.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
}

void AddPreparation(TreatmentType& type) {
  auto* preparation = type.mutable_preparation();
  AddMessage(preparation, "prep_pause_peels_and_laser", Days(-7),
             "One week to go: please skip peels and laser",
             "Your microneedling appointment is a week away. From today, please don't have any "
             "chemical peels, laser or other professional skin treatments on the area we'll be "
             "treating, so your skin is calm and fully recovered on the day. If something like "
             "this is already booked, just let us know and we'll help you find a better date.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
  AddMessage(preparation, "prep_pause_active_skincare", Days(-3),
             "Three days to go: time to pause strong skincare",
             "From today until your appointment, please stop using retinoids (such as retinol "
             "or tretinoin), vitamin C serums and exfoliating acids or scrubs on the area we'll "
             "be treating. A gentle cleanser, a simple moisturiser and sunscreen are all your "
             "skin needs for now. If a doctor prescribed one of these products for you, please "
             "check with them or with us before you stop it.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
  AddMessage(preparation, "prep_day_before", Days(-1), "One day to go: the last 24 hours",
             "A few things help your skin get the most from your session. Please don't take "
             "antihistamines (allergy or hay-fever tablets) in the 24 hours before your "
             "appointment. If your antihistamine or any other medicine was prescribed for you, "
             "please don't simply stop it: call us first and we'll work out the safest plan with "
             "you. Until your appointment, stay out of strong sun and off sunbeds, and wear "
             "sunscreen when you go outside.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
  Period two_hours_before;
  two_hours_before.mutable_duration()->set_seconds(-2 * kSecondsPerHour);
  AddMessage(preparation, "prep_arrive_clean_skin", two_hours_before,
             "See you soon: please come with clean skin",
             "Please arrive with freshly washed skin and without make-up, and skip heavy creams "
             "on the area we'll be treating today. We'll cleanse your skin again before we "
             "begin. If you'd like numbing cream to make the treatment more comfortable, tell "
             "us as soon as you arrive: it needs about 30 minutes to work.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
}

void AddConsentForm(TreatmentType& type) {
  clinic::v1::ConsentFormTemplate* consent = type.mutable_consent_form();
  consent->set_version("1");
  *consent->mutable_validity() = Months(12);
  consent->set_requires_reconsent(true);
  consent->set_text(
      "Consent to microneedling (collagen induction therapy)\n"
      "\n"
      "What microneedling is\n"
      "Microneedling uses a small device with very fine needles to make many tiny, controlled "
      "punctures in the upper layers of the skin. Your skin repairs these quickly, and as it "
      "does so it produces new collagen. Over the following weeks and months this can improve "
      "the look of scars and stretch marks, uneven colouring, enlarged pores, fine lines and "
      "loose skin, and on the scalp it can support hair growth.\n"
      "\n"
      "What happens at a session\n"
      "Your practitioner first talks with you about your skin and what you hope to achieve, "
      "and goes through your answers to the health questions. Your skin is then cleansed. If "
      "you wish, a numbing cream is applied and left on for about 30 minutes to make the "
      "treatment more comfortable. The practitioner treats the area, choosing the needle "
      "depth to suit your skin and the concern being treated. Afterwards a soothing serum, "
      "for example with hyaluronic acid, is applied. Photographs may be taken before and after "
      "treatment so that we can follow your progress together; they are kept in your "
      "confidential record.\n"
      "\n"
      "What to expect afterwards\n"
      "- Your skin will usually be red and may feel swollen, warm, tight or sensitive, much "
      "like a mild sunburn. This normally settles within a few hours to a few days.\n"
      "- Some people get mild bruising. Dryness and flaking or peeling for a few days are "
      "common while the skin renews itself.\n"
      "- Less often, there may be pinpoint bleeding during treatment, a breakout of spots, a "
      "reaction to a product used, temporary darkening or lightening of the skin, or an "
      "infection. Following the aftercare advice lowers these risks.\n"
      "- Results build gradually over weeks and months as new collagen forms. Most concerns "
      "need a series of several sessions, usually four to six weeks apart, and results differ "
      "from person to person. No particular result can be guaranteed.\n"
      "\n"
      "Your part in the aftercare\n"
      "How well your skin heals depends a great deal on the care it gets in the days after "
      "each session. You will receive written aftercare advice, which includes: cleansing "
      "gently and moisturising; no make-up, strenuous exercise, sauna, steam room or hot tub "
      "for the first 24 to 48 hours; not picking or scrubbing flaking skin; avoiding direct "
      "sun for the first week and using a broad-spectrum sunscreen of SPF 30 or higher every "
      "day; and leaving out retinoids, vitamin C and exfoliating products for a few days. If "
      "you are worried about anything, or notice signs of infection such as pain or swelling "
      "that gets worse, pus, or a fever, please contact the clinic straight away.\n"
      "\n"
      "Your agreement\n"
      "By signing, I confirm that:\n"
      "- I have read this form, I have been able to ask questions, and my questions have been "
      "answered.\n"
      "- I have answered the health questions fully and truthfully, including any use of "
      "isotretinoin (for example Accutane) in the past six months, antihistamines, retinoids "
      "or vitamin C products, recent sunburn or strong sun, recent peels or laser treatments, "
      "and every medicine, blood thinner and supplement I take. I will tell the clinic before "
      "each session if anything has changed.\n"
      "- I understand that, depending on my answers, a session may need to be postponed, or "
      "microneedling may not be suitable for me.\n"
      "- I agree to follow the aftercare advice I am given.\n"
      "- I give my consent freely. I know I can withdraw it at any time, before or during any "
      "session, without giving a reason and without it affecting my care at this clinic.\n"
      "\n"
      "This consent covers my microneedling sessions for 12 months from the date I sign it, "
      "unless the clinic updates this form, in which case I will be asked to read and sign "
      "the new version.\n");
}

void AddAftercare(TreatmentType& type) {
  auto* aftercare = type.mutable_aftercare();
  // A few hours after the session, in time for the evening routine; when
  // that falls in quiet hours it comes before they begin, not next morning.
  // It carries everything the first 48 hours need.
  Period same_evening;
  same_evening.mutable_duration()->set_seconds(4 * kSecondsPerHour);
  AddMessage(aftercare, "aftercare_first_evening", same_evening,
             "Today and tonight: caring for your skin",
             "It's normal for your skin to look red, like a mild sunburn, and to feel warm, "
             "tight, dry or a little swollen today. Tonight, wash only with a mild, "
             "fragrance-free cleanser and lukewarm water using clean fingertips, then pat dry "
             "gently with your hands or a fresh towel and apply a simple, gentle moisturiser. "
             "For the next 48 hours your skin needs a rest: please don't wear make-up, skip "
             "strenuous exercise and anything else that makes you sweat, and stay away from "
             "saunas, steam rooms, jacuzzis and hot tubs. Keep out of the sun as much as you "
             "can. Your skin will be extra sensitive to sunlight for at least a week, so every "
             "day put on a broad-spectrum sunscreen of SPF 30 or higher before you go out, even "
             "when it's cloudy, and wear a hat outdoors. "
             "Redness and swelling usually fade within a few hours to a few days, and some "
             "people get a small bruise or feel sensitive for a while. Please call us if the "
             "pain or swelling gets worse instead of better, if you notice pus, yellow crusts, "
             "blisters or spreading warmth, or if you develop a fever.",
             clinic::v1::QUIET_HOURS_SHIFT_EARLIER);
  AddMessage(aftercare, "aftercare_first_two_days", Days(1),
             "A reminder for today: your skin is still resting",
             "Until two full days have passed since your session, please still go without "
             "make-up and leave out workouts that make you sweat, saunas, steam rooms and hot "
             "tubs. Keep cleansing gently and moisturising whenever your skin feels tight. Stay "
             "out of direct sun as much as you can, and keep using a broad-spectrum sunscreen "
             "of SPF 30 or higher and a hat whenever you go outside.");
  AddMessage(aftercare, "aftercare_flaking", Days(3), "Some flaking is normal",
             "Somewhere between day 3 and day 5 your skin may start to feel rough and flake or "
             "peel a little. That's part of healing. Please don't pick, peel or scrub the flakes: "
             "let them come away on their own. Keep using your gentle cleanser and moisturise "
             "generously, as often as your skin asks for it.");
  AddMessage(aftercare, "aftercare_routine_resumes", Days(5), "Easing back into your usual routine",
             "If your skin feels calm and isn't stinging or irritated, you can start going back "
             "to your usual gentle skincare, and make-up is fine again if you'd like to cover "
             "any remaining redness. Please hold off on retinoids, vitamin C serums, exfoliating "
             "acids (AHA or BHA) and scrubs for a few more days, until your skin feels "
             "completely comfortable.");
  AddMessage(aftercare, "aftercare_one_week", Days(7), "One week on: keep protecting your skin",
             "Your skin has done most of its visible healing, but it is still fresh and "
             "delicate. Keep using a broad-spectrum sunscreen of SPF 30 or higher every day, "
             "even when it's cloudy, and a hat in strong sun. If your skin feels fully settled, "
             "you can bring back retinoids, vitamin C and exfoliating acids one at a time; if "
             "anything stings, stop and give it a few more days. If redness hasn't faded by now, "
             "please let us know.");
  AddMessage(aftercare, "aftercare_results_and_next_session", Days(28),
             "Four weeks on: your results and next session",
             "You may be starting to notice smoother, more even skin. The new collagen keeps "
             "building for months, so your results will go on improving, and each session in "
             "your course adds to the last. The next session is best four to six weeks after "
             "this one, so if you haven't booked it yet, now is a good time to get in touch.");
}

}  // namespace

TreatmentType MicroneedlingProtocol() {
  TreatmentType type;
  type.set_name("treatmentTypes/microneedling");
  type.set_display_name("Microneedling");
  type.set_plugin("plugins/microneedling");
  type.set_description(
      "Microneedling, also called collagen induction therapy, uses a small device with very "
      "fine needles to make many tiny, controlled punctures in the skin. Your skin responds by "
      "repairing itself and making fresh collagen, which over the following weeks and months "
      "can soften scars and stretch marks, even out patchy colouring, refine pores, smooth "
      "fine lines and firm loose skin; on the scalp it can support hair growth. A session "
      "takes about an hour, plus half an hour if you would like numbing cream first, and most "
      "people see the best results from a course of several sessions four to six weeks "
      "apart.");
  SetDurations(type);
  type.add_required_room_capabilities("microneedling_device");
  AddIndications(type);
  AddScreening(type);
  AddConsultation(type);
  AddPreparation(type);
  AddConsentForm(type);
  AddAftercare(type);
  *type.mutable_repeat_course_interval() = Months(4);
  type.set_recall_policy("recallPolicies/maintenance_6_12_months");
  return type;
}

}  // namespace clinicd::plugins::microneedling
