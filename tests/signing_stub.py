"""A local stand-in for a BSrE-style remote signing API (see kompeten/signing/remote.py).

It signs with the demo key through kompeten.signing.pdf.sign_local. NIK "3171000000000001"
with passphrase "rahasia-bsre" signs; anything else gets HTTP 400 with a JSON error, as BSrE
answers a wrong passphrase. `server.mode` switches to misbehaviour: "slow" (answers after
`delay` seconds), "html" (200 with an HTML page), "unsigned" (200 with the PDF unsigned).
"""

from __future__ import annotations

import json
import threading
import time
from email import message_from_bytes
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kompeten.signing.pdf import sign_local

NIK = "3171000000000001"
PASSPHRASE = "rahasia-bsre"


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    message = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP
    )
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()}


class Handler(BaseHTTPRequestHandler):
    server: StubServer

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        fields = parse_multipart(self.headers["Content-Type"], body)
        self.server.requests.append({name: value for name, value in fields.items()
                                     if name != "file"})
        mode = self.server.mode
        if mode == "slow":
            time.sleep(self.server.delay)
        if mode == "html":
            self._send(200, "text/html", b"<html><body>Maintenance</body></html>")
            return
        if fields.get("nik", b"").decode() != NIK or \
                fields.get("passphrase", b"").decode() != PASSPHRASE:
            self._send(400, "application/json", json.dumps(
                {"error": "Passphrase anda salah", "status_code": 2031}).encode())
            return
        if mode == "unsigned":
            self._send(200, "application/pdf", fields["file"])
            return
        try:
            signed = sign_local(fields["file"], reason=fields["reason"].decode(),
                                location=fields["location"].decode())
        except Exception:  # noqa: BLE001 - a stub answers 500 like a real service
            self._send(500, "application/json", b'{"message": "Internal error"}')
            return
        self._send(200, "application/pdf", signed)


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), Handler)
        self.mode = "ok"
        self.delay = 2.0
        self.requests: list[dict[str, bytes]] = []

    def handle_error(self, request, client_address):
        # A client that gave up (the timeout test) closes the socket: not a stub failure.
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/sign/pdf"


def start(port: int = 0) -> tuple[StubServer, threading.Thread]:
    server = StubServer(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
