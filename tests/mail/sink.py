"""An SMTP server for the tests, on loopback (Debian's python3-aiosmtpd): it takes every mail,
parses it with the standard library as a mail client would, and appends it as one JSON line
(from, to, subject, the headers that matter, the decoded text) to the file given. It refuses
the addresses listed in that file's name + ".refused".
Usage: /usr/bin/python3 sink.py OUT.jsonl (prints its port, then serves until killed)."""
import email, email.policy, json, signal, socket, sys, time
from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out):
        self.out = out
        # addresses to refuse, one per line (a test writes them to play a mail server that
        # does not take a mail, for as long as it wants)
        self.refused = out + ".refused"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            refused = open(self.refused).read().split()
        except FileNotFoundError:
            refused = []
        if address in refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        m = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = m.get_body(preferencelist=("plain",))
        rec = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "from": str(m["From"]), "to": str(m["To"]),
               "subject": str(m["Subject"]), "date": str(m["Date"]), "message_id": str(m["Message-ID"]),
               "content_type": m.get_content_type(), "charset": m.get_content_charset(),
               "text": body.get_content() if body else ""}
        with open(self.out, "a") as f:
            f.write(json.dumps(rec) + "\n")
        return "250 OK"


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
c = Controller(Keep(sys.argv[1]), hostname="127.0.0.1", port=port)
c.start()
print(port, flush=True)
signal.signal(signal.SIGTERM, lambda *a: (c.stop(), sys.exit(0)))
while True:
    time.sleep(3600)
