"""A webhook receiver for the Telescope newswire, with nothing but Python's standard library.

Outlets can copy it. It checks each push's signature, rejects replays (a timestamp more than five
minutes from its clock) and repeats (a Webhook-Id it has already taken), and prints what arrived:

    python newswire/receiver_example.py --port 8199 --secret whsec_…   (or RECEIVER_SECRET=whsec_…)

`--log FILE` also appends each accepted delivery to FILE as a JSON line, with the time it arrived.
"""

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def verify(secret: str, headers, body: bytes, now: float | None = None, tolerance: int = TOLERANCE_SECONDS) -> str:
    """Check one push; returns its Webhook-Id, or raises Rejected saying why not."""
    message_id = headers.get("Webhook-Id") or ""
    timestamp = headers.get("Webhook-Timestamp") or ""
    signatures = (headers.get("Webhook-Signature") or "").split()
    if not message_id or not timestamp.isdigit() or not signatures:
        raise Rejected(400, "missing Webhook-Id, Webhook-Timestamp or Webhook-Signature")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        raise Rejected(400, "timestamp more than five minutes away: a replay, or a wrong clock")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(
        hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    # The header may hold several signatures (during a secret's rotation): one must match.
    if not any(
        hmac.compare_digest(expected, signature.partition(",")[2])
        for signature in signatures
        if signature.startswith("v1,")
    ):
        raise Rejected(401, "bad signature")
    return message_id


class Receiver(ThreadingHTTPServer):
    def __init__(self, address, secret: str, log_path: str | None = None, quiet: bool = False):
        super().__init__(address, Handler)
        self.secret = secret
        self.log_path = log_path
        self.quiet = quiet
        self.seen: set[str] = set()
        self.received: list[dict] = []
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 10 * 1024 * 1024:
            return self._answer(413, "too large")
        body = self.rfile.read(length)
        try:
            message_id = verify(self.server.secret, self.headers, body)
        except Rejected as rejected:
            return self._answer(rejected.status, str(rejected))
        with self.server.lock:
            if message_id in self.server.seen:
                return self._answer(200, "already received")
            self.server.seen.add(message_id)
            item = json.loads(body)
            record = {
                "received_at": time.time(),
                "id": message_id,
                "event": self.headers.get("Telescope-Event"),
                "uri": item.get("uri"),
                "version": item.get("version"),
                "pubstatus": item.get("pubstatus"),
                "embargoed": item.get("embargoed"),
                "headline": (item.get("headlines") or [{}])[0].get("value"),
            }
            self.server.received.append(record)
            if self.server.log_path:
                with open(self.server.log_path, "a", encoding="utf-8") as log:
                    log.write(json.dumps(record, ensure_ascii=False) + "\n")
        if not self.server.quiet:
            print(
                f"{record['event']}: {record['uri']} v{record['version']} {record['pubstatus']}"
                + (f" embargoed until {record['embargoed']}" if record["embargoed"] else "")
                + f" — {record['headline']}",
                flush=True,
            )
        self._answer(204, "")

    def _answer(self, status: int, text: str):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        if text:
            self.wfile.write(text.encode())

    def log_message(self, format, *args):  # the deliveries are printed above
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--secret", default=os.environ.get("RECEIVER_SECRET", ""))
    parser.add_argument("--log", help="append each accepted delivery to this file as a JSON line")
    args = parser.parse_args(argv)
    if not args.secret.startswith("whsec_"):
        parser.error("give the subscriber's signing secret (whsec_…) with --secret or RECEIVER_SECRET")
    server = Receiver(("127.0.0.1", args.port), args.secret, args.log)
    print(f"Receiving on http://127.0.0.1:{args.port}/", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
