"""A small SMTP server on loopback for the fault tests: Django's SMTP backend talks real SMTP to it over TCP.

Python 3.12 has no smtpd module any more and aiosmtpd is not a dependency; the part of RFC 5321 a sender needs
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) fits in a few lines. `stop()` closes the listening socket, so a
sender gets "connection refused" as from a mail server that is down; `start()` listens on the same port again.
"""

import socket
import socketserver
import threading
from email import message_from_bytes, policy


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost ESMTP test")
        envelope = {"from": None, "to": []}
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<> "), "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command[8:].strip("<> ")
                if address in self.server.refused:
                    self.reply("550 No such mailbox")
                    continue
                envelope["to"].append(address)
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.received.append(
                    {**envelope, "message": message_from_bytes(b"".join(lines), policy=policy.default)}
                )
                self.reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SMTPServer:
    def __init__(self):
        self.received = []
        self.refused = set()  # addresses whose RCPT is answered 550
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._server = None

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), _Session)
        self._server.received = self.received
        self._server.refused = self.refused
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def mailer(self):
        """The MAILERS entry that sends through this server."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 2},
        }
