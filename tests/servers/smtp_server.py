"""A real SMTP server for the test suite, built on aiosmtpd.

Listens on two ports: one that requires STARTTLS and then AUTH, one that speaks
implicit TLS (SMTPS) and requires AUTH. Every accepted message is written as
an .eml file into a folder, where the tests read it back.

usage: smtp_server.py FOLDER STARTTLS_PORT TLS_PORT CERT KEY USER PASSWORD
"""

import asyncio
import os
import signal
import ssl
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        partial = os.path.join(self.folder, f".{name}.tmp")
        with open(partial, "wb") as out:
            out.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            out.write(envelope.original_content)
        # Renamed into place so a reader never sees half a message.
        os.rename(partial, os.path.join(self.folder, f"{name}.eml"))
        return "250 Message accepted"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def main():
    folder, starttls_port, tls_port, cert, key, user, password = sys.argv[1:8]
    os.makedirs(folder, exist_ok=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = SaveToFolder(folder)
    auth = authenticator_for(user, password)
    starttls = Controller(
        handler, hostname="127.0.0.1", port=int(starttls_port),
        tls_context=context, require_starttls=True,
        authenticator=auth, auth_required=True, auth_require_tls=True,
    )
    implicit = Controller(
        handler, hostname="127.0.0.1", port=int(tls_port),
        ssl_context=context, server_hostname="127.0.0.1",
        authenticator=auth, auth_required=True, auth_require_tls=False,
    )
    starttls.start()
    implicit.start()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    starttls.stop()
    implicit.stop()


if __name__ == "__main__":
    main()
