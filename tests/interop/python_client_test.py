#!/usr/bin/python3
"""Interoperability test: a client written by someone else talks to clinicd.

The client is Debian's python3-grpcio with stubs generated here, at test
time, from the repository's proto/ files (plus google/rpc and google/type),
so nothing is shared with the C++ server but the .proto files and the wire.

It proves that such a client can create a clinic and a patient with an admin
key and is refused without one, that validation errors carry google.rpc
details a foreign client can decode, that health needs no key, and that every
service is visible through server reflection.

Environment:
  CLINICD_BINARY          the clinicd executable
                          (default /work/main/build/services/server/clinicd)
  CLINICD_PROTO_DIR       the repository's proto/ directory
                          (default ../../proto relative to this script)
  CLINICD_GOOGLEAPIS_DIR  directory holding google/rpc and google/type protos
                          (default Debian's golang-github-gogo-googleapis-dev)

Run with Debian's interpreter, /usr/bin/python3, where python3-grpcio and
python3-grpc-tools are installed.
"""

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import grpc
import grpc_tools
from google.protobuf import descriptor_pb2
from google.protobuf import descriptor_pool
from google.protobuf import message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
CLINICD_BINARY = os.environ.get(
    "CLINICD_BINARY", "/work/main/build/services/server/clinicd")
PROTO_DIR = os.path.abspath(
    os.environ.get("CLINICD_PROTO_DIR", os.path.join(HERE, "..", "..", "proto")))
# The bundled plugins, built beside the server (build/plugins).
PLUGIN_DIR = os.environ.get(
    "CLINICD_PLUGIN_DIR",
    os.path.join(os.path.dirname(CLINICD_BINARY), "..", "..", "plugins"))
GOOGLEAPIS_DIR = os.environ.get(
    "CLINICD_GOOGLEAPIS_DIR", "/usr/share/gocode/src/github.com/gogo/googleapis")

LISTEN_TIMEOUT_S = 20
STOP_TIMEOUT_S = 30
RPC_TIMEOUT_S = 10

CLINIC_SERVICES = [
    "clinic.v1.PracticeService",
    "clinic.v1.PatientService",
    "clinic.v1.TreatmentCatalogService",
    "clinic.v1.BookingService",
    "clinic.v1.ConsentService",
    "clinic.v1.FollowUpService",
    "clinic.v1.NotificationService",
]
HEALTH_SERVICE = "grpc.health.v1.Health"
REFLECTION_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"

# The standard gRPC health protocol, written out because Debian's
# python3-grpcio ships neither grpc_health nor health.proto.
HEALTH_PROTO = """\
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus {
    UNKNOWN = 0;
    SERVING = 1;
    NOT_SERVING = 2;
    SERVICE_UNKNOWN = 3;
  }
  ServingStatus status = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
}
"""


def generate_stubs(out_dir):
    """Runs grpc_tools.protoc over the public schema, google/rpc, google/type
    and the health proto; returns after putting out_dir on sys.path."""
    health_root = os.path.join(out_dir, "_health_src")
    # The file path (not the package) decides the Python module; "grpc" would
    # collide with the grpc package itself.
    os.makedirs(os.path.join(health_root, "interop_health"))
    with open(os.path.join(health_root, "interop_health", "health.proto"), "w") as f:
        f.write(HEALTH_PROTO)

    clinic_protos = sorted(glob.glob(os.path.join(PROTO_DIR, "clinic", "v1", "*.proto")))
    google_protos = sorted(
        glob.glob(os.path.join(GOOGLEAPIS_DIR, "google", "rpc", "*.proto")) +
        glob.glob(os.path.join(GOOGLEAPIS_DIR, "google", "type", "*.proto")))
    if not clinic_protos:
        raise RuntimeError("no clinic/v1 protos under %s" % PROTO_DIR)
    if not google_protos:
        raise RuntimeError("no google/rpc or google/type protos under %s" % GOOGLEAPIS_DIR)
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    command = [
        sys.executable, "-m", "grpc_tools.protoc",
        "-I", PROTO_DIR, "-I", GOOGLEAPIS_DIR, "-I", health_root, "-I", well_known,
        "--python_out", out_dir, "--grpc_python_out", out_dir,
    ] + clinic_protos + google_protos + [
        os.path.join(health_root, "interop_health", "health.proto")]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    if result.returncode != 0:
        raise RuntimeError("protoc failed:\n" + result.stdout)
    sys.path.insert(0, out_dir)


def reflection_messages():
    """Message classes for the two messages of grpc.reflection.v1alpha this
    test needs, built from a hand-written FileDescriptorProto (Debian ships
    neither grpc_reflection nor reflection.proto). Field numbers follow
    grpc/reflection/v1alpha/reflection.proto; unused fields are left out,
    which proto3 parsing tolerates."""
    T = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="interop/grpc_reflection_v1alpha_subset.proto",
        package="grpc.reflection.v1alpha", syntax="proto3")

    def message(name, fields, oneofs=()):
        m = file_proto.message_type.add(name=name)
        for oneof in oneofs:
            m.oneof_decl.add(name=oneof)
        for field_name, number, ftype, label, type_name, oneof_index in fields:
            f = m.field.add(name=field_name, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name
            if oneof_index is not None:
                f.oneof_index = oneof_index

    OPT, REP = T.LABEL_OPTIONAL, T.LABEL_REPEATED
    pkg = ".grpc.reflection.v1alpha."
    message("ServerReflectionRequest", [
        ("host", 1, T.TYPE_STRING, OPT, None, None),
        ("file_by_filename", 3, T.TYPE_STRING, OPT, None, 0),
        ("file_containing_symbol", 4, T.TYPE_STRING, OPT, None, 0),
        ("list_services", 7, T.TYPE_STRING, OPT, None, 0),
    ], oneofs=["message_request"])
    message("ServiceResponse", [("name", 1, T.TYPE_STRING, OPT, None, None)])
    message("ListServiceResponse", [
        ("service", 1, T.TYPE_MESSAGE, REP, pkg + "ServiceResponse", None)])
    message("FileDescriptorResponse", [
        ("file_descriptor_proto", 1, T.TYPE_BYTES, REP, None, None)])
    message("ErrorResponse", [
        ("error_code", 1, T.TYPE_INT32, OPT, None, None),
        ("error_message", 2, T.TYPE_STRING, OPT, None, None)])
    message("ServerReflectionResponse", [
        ("valid_host", 1, T.TYPE_STRING, OPT, None, None),
        ("original_request", 2, T.TYPE_MESSAGE, OPT, pkg + "ServerReflectionRequest", None),
        ("file_descriptor_response", 4, T.TYPE_MESSAGE, OPT, pkg + "FileDescriptorResponse", 0),
        ("list_services_response", 6, T.TYPE_MESSAGE, OPT, pkg + "ListServiceResponse", 0),
        ("error_response", 7, T.TYPE_MESSAGE, OPT, pkg + "ErrorResponse", 0),
    ], oneofs=["message_response"])

    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    factory = message_factory.MessageFactory(pool)

    def cls(name):
        descriptor = pool.FindMessageTypeByName("grpc.reflection.v1alpha." + name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(descriptor)
        return factory.GetPrototype(descriptor)

    return cls("ServerReflectionRequest"), cls("ServerReflectionResponse")


class ClinicdServer:
    """One clinicd process on an ephemeral port with its own database."""

    def __init__(self, work_dir):
        self.db = os.path.join(work_dir, "clinic.db")
        self.log_path = os.path.join(work_dir, "clinicd.stderr")
        self.process = None
        self.port = None

    def create_admin_key(self):
        result = subprocess.run(
            [CLINICD_BINARY, "keys", "create", "--db=" + self.db, "--role=admin"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
            timeout=60)
        if result.returncode != 0:
            raise RuntimeError("keys create exited %d:\n%s%s" % (
                result.returncode, result.stdout, result.stderr))
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        if not lines:
            raise RuntimeError("keys create printed nothing")
        return lines[-1].strip()

    def start(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [CLINICD_BINARY, "--listen=127.0.0.1:0", "--db=" + self.db,
             "--plugin_dir=" + PLUGIN_DIR],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        pattern = re.compile(r"clinicd listening on 127\.0\.0\.1:(\d+)")
        deadline = time.monotonic() + LISTEN_TIMEOUT_S
        while time.monotonic() < deadline:
            match = pattern.search(self.stderr())
            if match:
                self.port = int(match.group(1))
                return
            if self.process.poll() is not None:
                raise RuntimeError("clinicd exited %d before listening:\n%s" % (
                    self.process.returncode, self.stderr()))
            time.sleep(0.05)
        raise RuntimeError("no 'clinicd listening on' line within %ds:\n%s" % (
            LISTEN_TIMEOUT_S, self.stderr()))

    def stderr(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM, then waits; returns the exit code, or None on timeout
        (after which the process is killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self.log.close()


class PythonClientInteropTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.work_dir = tempfile.mkdtemp(prefix="clinicd_interop_")
        cls.server = None
        cls.channel = None
        try:
            generate_stubs(os.path.join(cls.work_dir, "stubs"))
            global practice_pb2, practice_grpc, patient_pb2, patient_grpc
            global follow_up_pb2, follow_up_grpc, status_pb2, error_details_pb2
            global code_pb2, health_pb2, health_grpc
            from clinic.v1 import practice_service_pb2 as practice_pb2
            from clinic.v1 import practice_service_pb2_grpc as practice_grpc
            from clinic.v1 import patient_service_pb2 as patient_pb2
            from clinic.v1 import patient_service_pb2_grpc as patient_grpc
            from clinic.v1 import follow_up_service_pb2 as follow_up_pb2
            from clinic.v1 import follow_up_service_pb2_grpc as follow_up_grpc
            from google.rpc import code_pb2, error_details_pb2, status_pb2
            from interop_health import health_pb2
            from interop_health import health_pb2_grpc as health_grpc

            cls.server = ClinicdServer(cls.work_dir)
            cls.admin_key = cls.server.create_admin_key()
            cls.server.start()
            cls.channel = grpc.insecure_channel("127.0.0.1:%d" % cls.server.port)
            grpc.channel_ready_future(cls.channel).result(timeout=RPC_TIMEOUT_S)
            cls.practice = practice_grpc.PracticeServiceStub(cls.channel)
            cls.patients = patient_grpc.PatientServiceStub(cls.channel)
            cls.follow_up = follow_up_grpc.FollowUpServiceStub(cls.channel)
            cls.health = health_grpc.HealthStub(cls.channel)
        except BaseException:
            cls._cleanup()
            raise

    @classmethod
    def _cleanup(cls):
        if cls.channel is not None:
            cls.channel.close()
        if cls.server is not None and cls.server.process is not None:
            cls.server.stop()
        shutil.rmtree(cls.work_dir, ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        # Graceful shutdown is part of the contract: SIGTERM drains and exits 0.
        try:
            cls.channel.close()
            cls.channel = None
            code = cls.server.stop()
            log = cls.server.stderr()
            if code is None:
                raise AssertionError("clinicd did not exit within %ds of SIGTERM:\n%s"
                                     % (STOP_TIMEOUT_S, log))
            if code != 0:
                raise AssertionError("clinicd exited %d after SIGTERM:\n%s" % (code, log))
            if "stopped cleanly" not in log:
                raise AssertionError("clinicd log lacks 'stopped cleanly':\n%s" % log)
        finally:
            cls._cleanup()

    # Helpers.

    def admin(self):
        return [("authorization", "Bearer " + self.admin_key)]

    def create_clinic(self, display_name="Praxis Interop"):
        return self.practice.CreateClinic(
            practice_pb2.CreateClinicRequest(
                clinic=practice_pb2.Clinic(display_name=display_name,
                                           time_zone="Europe/Berlin",
                                           region_code="DE"),
                request_id=str(uuid.uuid4())),
            metadata=self.admin(), timeout=RPC_TIMEOUT_S)

    def create_patient(self, clinic, **fields):
        return self.patients.CreatePatient(
            patient_pb2.CreatePatientRequest(
                parent=clinic.name, patient=patient_pb2.Patient(**fields),
                request_id=str(uuid.uuid4())),
            metadata=self.admin(), timeout=RPC_TIMEOUT_S)

    @staticmethod
    def status_details(error):
        """The google.rpc.Status from grpc-status-details-bin, or None."""
        for key, value in error.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                status = status_pb2.Status()
                status.ParseFromString(value)
                return status
        return None

    # (a) Refused without a valid key.

    def test_a_create_clinic_without_key_is_unauthenticated(self):
        request = practice_pb2.CreateClinicRequest(
            clinic=practice_pb2.Clinic(display_name="No Key", time_zone="Europe/Berlin",
                                       region_code="DE"),
            request_id=str(uuid.uuid4()))
        with self.assertRaises(grpc.RpcError) as caught:
            self.practice.CreateClinic(request, timeout=RPC_TIMEOUT_S)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED,
                         caught.exception.details())

        with self.assertRaises(grpc.RpcError) as caught:
            self.practice.CreateClinic(
                request, metadata=[("authorization", "Bearer wrong-" + self.admin_key)],
                timeout=RPC_TIMEOUT_S)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED,
                         caught.exception.details())

    # (b) An admin creates a clinic.

    def test_b_create_clinic_with_admin_key(self):
        clinic = self.create_clinic()
        self.assertTrue(clinic.name.startswith("clinics/"), clinic.name)
        self.assertGreater(len(clinic.name), len("clinics/"))
        self.assertTrue(clinic.etag)
        self.assertEqual(clinic.display_name, "Praxis Interop")
        self.assertEqual(clinic.time_zone, "Europe/Berlin")
        self.assertEqual(clinic.region_code, "DE")

    # (c) A patient's national phone number is read in the clinic's region.

    def test_c_create_and_get_patient(self):
        clinic = self.create_clinic("Praxis Patienten")
        patient = self.create_patient(clinic, given_name="Erika", family_name="Mustermann",
                                      phone_number="030 1234567")
        self.assertTrue(patient.name.startswith(clinic.name + "/patients/"), patient.name)
        self.assertEqual(patient.phone_number, "+49301234567")
        self.assertEqual(patient.given_name, "Erika")
        self.assertEqual(patient.family_name, "Mustermann")
        self.assertTrue(patient.etag)

        fetched = self.patients.GetPatient(patient_pb2.GetPatientRequest(name=patient.name),
                                           metadata=self.admin(), timeout=RPC_TIMEOUT_S)
        self.assertEqual(fetched, patient)

    # (d) Validation errors carry google.rpc details and change nothing.

    def test_d_invalid_patient_is_rejected_with_details(self):
        clinic = self.create_clinic("Praxis Validierung")
        self.create_patient(clinic, given_name="Max", family_name="Muster")

        with self.assertRaises(grpc.RpcError) as caught:
            self.create_patient(clinic, given_name="Ohne", family_name="", email="nope")
        error = caught.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT, error.details())

        status = self.status_details(error)
        self.assertIsNotNone(status, "no grpc-status-details-bin trailer")
        self.assertEqual(status.code, code_pb2.INVALID_ARGUMENT)
        bad_requests, error_infos = [], []
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_requests.append(error_details_pb2.BadRequest())
                detail.Unpack(bad_requests[-1])
            elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                error_infos.append(error_details_pb2.ErrorInfo())
                detail.Unpack(error_infos[-1])
        self.assertEqual(len(bad_requests), 1, status)
        self.assertEqual(len(error_infos), 1, status)
        self.assertTrue(error_infos[0].reason, error_infos[0])
        self.assertTrue(error_infos[0].domain, error_infos[0])
        fields = {v.field for v in bad_requests[0].field_violations}
        self.assertEqual(fields, {"patient.family_name", "patient.email"},
                         bad_requests[0])
        for violation in bad_requests[0].field_violations:
            self.assertTrue(violation.description, violation)

        listed = self.patients.ListPatients(
            patient_pb2.ListPatientsRequest(parent=clinic.name),
            metadata=self.admin(), timeout=RPC_TIMEOUT_S)
        self.assertEqual(len(listed.patients), 1, listed)
        self.assertEqual(listed.patients[0].family_name, "Muster")

    # (e) Every service is visible through reflection.

    def test_e_reflection_lists_every_service(self):
        request_cls, response_cls = reflection_messages()
        call = self.channel.stream_stream(
            REFLECTION_METHOD,
            request_serializer=request_cls.SerializeToString,
            response_deserializer=response_cls.FromString)
        responses = list(call(iter([request_cls(list_services="*")]),
                              timeout=RPC_TIMEOUT_S))
        self.assertEqual(len(responses), 1)
        response = responses[0]
        self.assertEqual(response.WhichOneof("message_response"), "list_services_response",
                         response)
        services = {s.name for s in response.list_services_response.service}
        for name in CLINIC_SERVICES + [HEALTH_SERVICE]:
            self.assertIn(name, services)

        # The schema behind a service is served too, so a client can discover it.
        responses = list(call(iter([request_cls(
            file_containing_symbol="clinic.v1.PatientService")]), timeout=RPC_TIMEOUT_S))
        self.assertEqual(responses[0].WhichOneof("message_response"),
                         "file_descriptor_response", responses[0])
        names = set()
        for blob in responses[0].file_descriptor_response.file_descriptor_proto:
            names.add(descriptor_pb2.FileDescriptorProto.FromString(blob).name)
        self.assertIn("clinic/v1/patient_service.proto", names)

    # (f) Health answers without a key.

    def test_f_health_check_without_key(self):
        response = self.health.Check(health_pb2.HealthCheckRequest(),
                                     timeout=RPC_TIMEOUT_S)
        self.assertEqual(response.status, health_pb2.HealthCheckResponse.SERVING)

    # (g) A series planned from Python: the plugin's rule shapes it.

    def test_g_create_series_for_a_patient(self):
        clinic = self.create_clinic("Praxis Series")
        patient = self.create_patient(clinic, given_name="Ada", family_name="Lovelace")
        series = self.follow_up.CreateSeries(
            follow_up_pb2.CreateSeriesRequest(
                parent=clinic.name,
                series=follow_up_pb2.Series(patient=patient.name,
                                            treatment_type="treatmentTypes/microneedling",
                                            indication="acne_scars")),
            metadata=self.admin(), timeout=RPC_TIMEOUT_S)
        self.assertEqual(series.state, follow_up_pb2.SERIES_STATE_PLANNED)
        self.assertEqual(series.planned_sessions, len(series.sessions))
        self.assertGreaterEqual(series.planned_sessions, 6)  # scars: 6 to 8
        listed = self.follow_up.ListSeries(
            follow_up_pb2.ListSeriesRequest(parent=clinic.name, patient=patient.name),
            metadata=self.admin(), timeout=RPC_TIMEOUT_S)
        self.assertEqual([s.name for s in listed.series], [series.name])


if __name__ == "__main__":
    unittest.main(verbosity=2)
