#!/usr/bin/python3
"""A real SMTP server on loopback for the SMTP channel's tests.

    smtp_receiver.py DIR

Runs Debian's python3-aiosmtpd on 127.0.0.1 at a free port, prints the port
on stdout, and serves until its standard input closes (the test ends or
dies). Each accepted message is written to DIR as N.eml (the bytes received)
and then N.json: the envelope, and the message as Python's own e-mail parser
reads it (decoded subject and body, defects), so the C++ test checks the
channel's MIME against an independent reader.

The addresses steer the replies:
    RCPT reject@...      550 (permanent)
    RCPT tempfail@...    451 after DATA (temporary)
    RCPT slow@...        250 after DATA, two seconds late
    MAIL refused@...     553 (sender not allowed)
AUTH PLAIN/LOGIN accepts user "worker" with password "relay-password" only;
authentication is optional.
"""

import asyncio
import email
import email.policy
import email.utils
import json
import os
import socket
import sys
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = b"worker"
PASSWORD = b"relay-password"


class Recorder:
    """aiosmtpd handler that records accepted messages in a directory."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address.startswith("refused@"):
            return "553 5.7.1 sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(rcpt.startswith("tempfail@") for rcpt in envelope.rcpt_tos):
            return "451 4.3.0 try again later"
        if any(rcpt.startswith("slow@") for rcpt in envelope.rcpt_tos):
            await asyncio.sleep(2)
        number = self.count
        self.count += 1
        raw = envelope.original_content or envelope.content
        self._write(f"{number}.eml", raw)
        self._write(f"{number}.json", json.dumps(self._describe(session, envelope, raw)).encode())
        return "250 2.0.0 queued"

    @staticmethod
    def _describe(session, envelope, raw):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        date = message["Date"]
        return {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "date_parses": date is not None and date.datetime is not None,
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message["Content-Transfer-Encoding"]),
            "mime_version": str(message["MIME-Version"]),
            "body": message.get_content().replace("\r\n", "\n"),
            "defects": [str(defect) for defect in message.defects]
            + [str(d) for name in message.keys() for d in message[name].defects],
        }

    def _write(self, name, data):
        temporary = os.path.join(self.directory, "." + name)
        with open(temporary, "wb") as out:
            out.write(data)
        os.rename(temporary, os.path.join(self.directory, name))


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER
          and auth_data.password == PASSWORD)
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    # aiosmtpd 1.4 warns about its own use of Session.login_data.
    warnings.filterwarnings("ignore", message="Session.login_data")
    recorder = Recorder(sys.argv[1])
    # The Controller checks its port by connecting to it, so it cannot take
    # port 0; a free port is picked first and another tried if it is taken.
    for attempt in range(20):
        controller = Controller(recorder, hostname="127.0.0.1", port=free_port(),
                                authenticator=authenticate, auth_require_tls=False)
        try:
            controller.start()
            break
        except Exception:  # The port was taken in between.
            time.sleep(0.05)
    else:
        sys.exit("smtp_receiver: no free port")
    print(controller.port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
