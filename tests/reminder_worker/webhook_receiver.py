#!/usr/bin/python3
"""A real HTTP receiver on loopback for the webhook channel's tests.

    WEBHOOK_SECRET=... webhook_receiver.py DIR

Serves HTTP/1.1 on 127.0.0.1 at a free port, prints the port on stdout, and
serves until its standard input closes. Each POST is written to DIR as N.json
before the reply: path, headers (lower-case names), body, whether the body
parsed as JSON, and whether X-Clinicd-Signature verifies with
WEBHOOK_SECRET, computed here with Python's hmac as a receiver would.

The path picks the reply:
    /status/NNN    answers NNN
    /sleep/S       answers 200 after S seconds
    anything else  answers 200
"""

import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time

# How old a signature may be before a receiver should refuse it.
TOLERANCE_SECONDS = 300


def signature_valid(header, body, secret):
    """Checks `t=<seconds>,v1=<hex>` against HMAC-SHA256("<t>.<body>")."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if "t" not in fields or "v1" not in fields:
        return False
    if abs(time.time() - int(fields["t"])) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Keep-alive, as a real receiver would.
    lock = threading.Lock()
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        record = {
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "json_ok": isinstance(parsed, dict),
            "signature_valid": signature_valid(self.headers.get("X-Clinicd-Signature", ""), body,
                                               self.server.secret),
        }
        with Handler.lock:
            number = Handler.count
            Handler.count += 1
        temporary = os.path.join(self.server.directory, f".{number}.json")
        with open(temporary, "w") as out:
            json.dump(record, out)
        os.rename(temporary, os.path.join(self.server.directory, f"{number}.json"))

        status = 200
        parts = self.path.strip("/").split("/")
        if parts[0] == "status" and len(parts) == 2:
            status = int(parts[1])
        elif parts[0] == "sleep" and len(parts) == 2:
            time.sleep(float(parts[1]))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # Quiet: the test reads the records.
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.directory = sys.argv[1]
    server.secret = os.environ["WEBHOOK_SECRET"].encode()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
