#!/usr/bin/python3
"""Mirrors a clinic's appointments into a local JSON file by following
clinicd's event feed: an example of a third-party integration built from the
repository's proto/ files alone.

It generates Python stubs from proto/ with Debian's python3-grpc-tools, opens
NotificationService.WatchEvents with an `integration` API key, and for every
appointment event fetches the appointment (BookingService.GetAppointment) and
writes it into the mirror. The cursor of the last event applied is saved next
to the mirror *after* the mirror, so a crash between the two re-applies one
event, which is harmless: applying an event is an upsert. Reconnecting resumes
after the saved cursor, so nothing is missed and nothing is applied twice.

Usage:
  CLINICD_API_KEY=clinicd_... mirror_appointments.py --server=127.0.0.1:50051 \\
      --state-dir=./mirror [--clinic=clinics/ID] [--run-for=SECONDS]

Files in --state-dir: appointments.json (appointment name -> the appointment
as proto JSON), cursor (the last event's cursor), stubs/ (generated code).
"""

import argparse
import glob
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "proto"))
DEFAULT_GOOGLEAPIS_DIR = "/usr/share/gocode/src/github.com/gogo/googleapis"

APPOINTMENT_EVENTS = {
    "EVENT_KIND_APPOINTMENT_BOOKED", "EVENT_KIND_APPOINTMENT_RESCHEDULED",
    "EVENT_KIND_APPOINTMENT_CHECKED_IN", "EVENT_KIND_APPOINTMENT_COMPLETED",
    "EVENT_KIND_APPOINTMENT_CANCELLED", "EVENT_KIND_APPOINTMENT_NO_SHOW",
}


def generate_stubs(proto_dir, googleapis_dir, out_dir):
    """Generates the clinic.v1 stubs into out_dir once and imports from there."""
    marker = os.path.join(out_dir, "clinic", "v1", "notification_service_pb2_grpc.py")
    if not os.path.exists(marker):
        import grpc_tools
        os.makedirs(out_dir, exist_ok=True)
        protos = sorted(glob.glob(os.path.join(proto_dir, "clinic", "v1", "*.proto")))
        protos += sorted(glob.glob(os.path.join(googleapis_dir, "google", "type", "*.proto")))
        well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
        subprocess.run(
            [sys.executable, "-m", "grpc_tools.protoc", "-I", proto_dir, "-I", googleapis_dir,
             "-I", well_known, "--python_out", out_dir, "--grpc_python_out", out_dir] + protos,
            check=True)
    sys.path.insert(0, out_dir)


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


class Mirror:
    """The mirror file and the cursor, kept on disk."""

    def __init__(self, state_dir):
        self.mirror_path = os.path.join(state_dir, "appointments.json")
        self.cursor_path = os.path.join(state_dir, "cursor")
        self.appointments = {}
        self.cursor = ""
        if os.path.exists(self.mirror_path):
            with open(self.mirror_path) as f:
                self.appointments = json.load(f)
        if os.path.exists(self.cursor_path):
            with open(self.cursor_path) as f:
                self.cursor = f.read().strip()

    def apply(self, name, appointment, cursor):
        self.appointments[name] = appointment
        write_atomically(self.mirror_path, json.dumps(self.appointments, indent=2, sort_keys=True))
        self.advance(cursor)

    def advance(self, cursor):
        write_atomically(self.cursor_path, cursor + "\n")
        self.cursor = cursor


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("CLINICD_ADDRESS", "localhost:50051"))
    parser.add_argument("--clinic", default="", help="only this clinic, clinics/ID")
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR)
    parser.add_argument("--googleapis-dir", default=DEFAULT_GOOGLEAPIS_DIR)
    parser.add_argument("--run-for", type=float, default=0,
                        help="exit after this many seconds (0: run until SIGTERM)")
    args = parser.parse_args()
    api_key = os.environ.get("CLINICD_API_KEY", "")
    if not api_key:
        parser.error("set CLINICD_API_KEY to an API key with the integration role")
    os.makedirs(args.state_dir, exist_ok=True)
    generate_stubs(args.proto_dir, args.googleapis_dir, os.path.join(args.state_dir, "stubs"))

    import grpc
    from google.protobuf import json_format
    from clinic.v1 import booking_service_pb2, booking_service_pb2_grpc
    from clinic.v1 import notification_service_pb2, notification_service_pb2_grpc

    metadata = [("authorization", "Bearer " + api_key)]
    channel = grpc.insecure_channel(args.server)
    feed = notification_service_pb2_grpc.NotificationServiceStub(channel)
    booking = booking_service_pb2_grpc.BookingServiceStub(channel)
    mirror = Mirror(args.state_dir)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    applied = 0
    backoff = 0.5
    while not stopping:
        request = notification_service_pb2.WatchEventsRequest(
            parent=args.clinic, after_cursor=mirror.cursor)
        # With --run-for the stream's deadline ends the run.
        timeout = args.run_for if args.run_for > 0 else None
        try:
            for response in feed.WatchEvents(request, metadata=metadata, timeout=timeout):
                for event in response.events:
                    kind = notification_service_pb2.EventKind.Name(event.kind)
                    if kind in APPOINTMENT_EVENTS:
                        appointment = booking.GetAppointment(
                            booking_service_pb2.GetAppointmentRequest(name=event.resource),
                            metadata=metadata, timeout=10)
                        mirror.apply(event.resource,
                                     json_format.MessageToDict(appointment), event.cursor)
                        applied += 1
                    else:
                        mirror.advance(event.cursor)
                    print("%s %s %s" % (event.cursor, kind, event.resource), flush=True)
                if stopping:
                    break
            backoff = 0.5
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED and args.run_for > 0:
                break
            if error.code() in (grpc.StatusCode.UNAUTHENTICATED,
                                grpc.StatusCode.PERMISSION_DENIED,
                                grpc.StatusCode.INVALID_ARGUMENT):
                print("refused: %s" % error.details(), file=sys.stderr)
                return 1
            # UNAVAILABLE (server restarting) and the like: resume from the
            # saved cursor after a pause.
            print("feed interrupted (%s); resuming after %s" % (error.code().name, mirror.cursor),
                  file=sys.stderr, flush=True)
            time.sleep(backoff)
            backoff = min(backoff * 2, 30)
    print("applied %d appointment events; %d appointments mirrored" % (
        applied, len(mirror.appointments)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
