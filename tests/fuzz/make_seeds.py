#!/usr/bin/env python3
"""Writes the seed corpora in corpus/ from the text-format requests below.

Run again after a service gains or loses a method: an RPC seed's byte 1 is its
method's index in the fuzzer's method table (every method of the fuzzed
services, ordered by path, as rpc_methods.cc builds it).
  python3 tests/fuzz/make_seeds.py      (from the repository root)
Needs protoc (Debian's protobuf-compiler) and the googleapis protos.
"""
import base64
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO = os.path.join(ROOT, "proto")
GOOGLEAPIS = "/usr/share/gocode/src/github.com/gogo/googleapis"
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SERVICE_FILES = [
    "clinic/v1/booking_service.proto", "clinic/v1/consent_service.proto",
    "clinic/v1/follow_up_service.proto", "clinic/v1/notification_service.proto",
    "clinic/v1/patient_service.proto", "clinic/v1/practice_service.proto",
    "clinic/v1/treatment_catalog_service.proto", "clinicd/test_clock/v1/test_clock.proto",
]
# Placeholders the harness swaps for the seeded ids (resource_placeholders.h).
CLINIC = "clinics/@@clinic@@@@@@@@@@@@@@@@@@"
PATIENT = CLINIC + "/patients/@@patient@@@@@@@@@@@@@@@@@"
PRACTITIONER = CLINIC + "/practitioners/@@practitioner@@@@@@@@@@@@"
ROOM = CLINIC + "/rooms/@@room@@@@@@@@@@@@@@@@@@@@"
ADMIN, FRONT_DESK = 0, 1
TUESDAY_0900 = 1799139600  # 2027-01-05T09:00:00Z, a day after the fuzz clock's start

RPC_SEEDS = {
    "create_patient": (ADMIN, "clinic.v1.PatientService", "CreatePatient",
                       f'parent: "{CLINIC}" request_id: "seed-1" patient {{ given_name: "Ben" '
                       'family_name: "Meyer" email: "ben@example.org" phone_number: "+49 30 1234567" }'),
    "get_patient": (FRONT_DESK, "clinic.v1.PatientService", "GetPatient", f'name: "{PATIENT}"'),
    "list_patients": (ADMIN, "clinic.v1.PatientService", "ListPatients",
                      f'parent: "{CLINIC}" page_size: 2'),
    "create_clinic": (ADMIN, "clinic.v1.PracticeService", "CreateClinic",
                      'clinic { display_name: "Second Clinic" time_zone: "Europe/Vienna" '
                      'region_code: "AT" }'),
    "create_appointment": (FRONT_DESK, "clinic.v1.BookingService", "CreateAppointment",
                           f'parent: "{CLINIC}" request_id: "seed-2" appointment {{ '
                           f'patient: "{PATIENT}" treatment_type: "treatmentTypes/microneedling" '
                           f'practitioner: "{PRACTITIONER}" room: "{ROOM}" '
                           f'start_time {{ seconds: {TUESDAY_0900} }} kind: VISIT_KIND_CONSULTATION }}'),
    "search_availability": (FRONT_DESK, "clinic.v1.BookingService", "SearchAvailability",
                            f'parent: "{CLINIC}" treatment_type: "treatmentTypes/microneedling" '
                            f'practitioner: "{PRACTITIONER}" patient: "{PATIENT}" '
                            'start_date { year: 2027 month: 1 day: 5 } '
                            'end_date { year: 2027 month: 1 day: 6 }'),
    "get_consent_form": (ADMIN, "clinic.v1.ConsentService", "GetConsentForm",
                         'treatment_type: "treatmentTypes/microneedling"'),
    "watch_events": (ADMIN, "clinic.v1.NotificationService", "WatchEvents",
                     f'parent: "{CLINIC}" after_cursor: "ev1-0"'),
}


def method_paths():
    paths = []
    for name in SERVICE_FILES:
        text = open(os.path.join(PROTO, name)).read()
        package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
        for service, body in re.findall(r"^service (\w+) \{(.*?)^\}", text, re.M | re.S):
            for method in re.findall(r"^\s*rpc (\w+)\(", body, re.M):
                paths.append(f"/{package}.{service}/{method}")
    return sorted(paths)


def encode(message_type, proto_file, text):
    return subprocess.run(
        ["protoc", f"--encode={message_type}", "-I", PROTO, "-I", GOOGLEAPIS, proto_file],
        input=text.encode(), stdout=subprocess.PIPE, check=True, cwd=PROTO).stdout


def write(fuzzer, name, data):
    os.makedirs(os.path.join(CORPUS, fuzzer), exist_ok=True)
    with open(os.path.join(CORPUS, fuzzer, name), "wb") as f:
        f.write(data)


def main():
    paths = method_paths()
    for name, (key, service, method, text) in RPC_SEEDS.items():
        index = paths.index(f"/{service}/{method}")
        proto_file = next(f for f in SERVICE_FILES
                          if f"service {service.split('.')[-1]} " in open(os.path.join(PROTO, f)).read())
        body = encode(f"{service.rsplit('.', 1)[0]}.{method}Request", proto_file, text)
        write("rpc_request_fuzzer", name, bytes([key, index]) + body)

    plugin = "clinicd/plugin/v1/plugin.proto"
    # plugin_request_fuzzer: byte 0 = plugin * 3 + hook (microneedling = 0,
    # maintenance_recall = 1; evaluate = 0, plan = 1, recall = 2).
    microneedling_type = (
        'treatment_type { name: "treatmentTypes/microneedling" '
        'screening_rules { id: "isotretinoin" question_id: "isotretinoin_last_dose" '
        'window { months: 6 } effect: SCREENING_EFFECT_DEFER_UNTIL } '
        'indications { id: "acne_scars" series { min_sessions: 3 max_sessions: 6 '
        'min_spacing { days: 28 } max_spacing { days: 42 } } } }')
    write("plugin_request_fuzzer", "evaluate_screening", bytes([0]) + encode(
        "clinicd.plugin.v1.EvaluateScreeningRequest", plugin,
        f'{microneedling_type} answers {{ question_id: "isotretinoin_last_dose" '
        f'time {{ seconds: 1790000000 }} }} session_time {{ seconds: {TUESDAY_0900} }} '
        'time_zone: "Europe/Berlin"'))
    write("plugin_request_fuzzer", "plan_series", bytes([1]) + encode(
        "clinicd.plugin.v1.PlanSeriesRequest", plugin,
        f'{microneedling_type} indication: "acne_scars" session_count: 3 '
        f'first_session_time {{ seconds: {TUESDAY_0900} }} time_zone: "Europe/Berlin"'))
    write("plugin_request_fuzzer", "schedule_recall", bytes([5]) + encode(
        "clinicd.plugin.v1.ScheduleRecallRequest", plugin,
        'policy { name: "recallPolicies/maintenance" due_after { months: 6 } '
        'lapse_after { months: 12 } notices { id: "due" offset { days: -7 } title: "Time for maintenance" } } '
        f'series_completion_time {{ seconds: {TUESDAY_0900} }} time_zone: "Europe/Berlin"'))

    # plugin_response_fuzzer: hook, code, flags, error length / 4, error, response.
    write("plugin_response_fuzzer", "describe_ok", bytes([0, 0, 0, 0]) + encode(
        "clinicd.plugin.v1.DescribeResponse", plugin,
        'treatment_types { name: "treatmentTypes/fuzz" display_name: "Fuzz" '
        'plugin: "plugins/fuzz_plugin" }'))
    write("plugin_response_fuzzer", "evaluate_error_unterminated",
          bytes([1, 2, 0, 255]) + b"x" * 1024)

    # A token as pagination.cc encodes it for fingerprint "abcd".
    digest = 1469598103934665603  # FNV-1a, as pagination.cc's Fingerprint
    for byte in b"abcd":
        digest = ((digest ^ byte) * 1099511628211) % 2**64
    token = encode("clinicd.internal.v1.PageToken", "clinicd/internal/v1/page_token.proto",
                   f'last_key: "schmidt anna" last_key: "01hzzzzzzzzzzzzzzzzzzzzzzz" '
                   f'request_fingerprint: "{digest}"')
    write("page_token_fuzzer", "token",
          bytes([4]) + b"abcd" + base64.urlsafe_b64encode(token).rstrip(b"="))
    write("event_cursor_fuzzer", "cursor", b"ev1-42")


if __name__ == "__main__":
    main()
