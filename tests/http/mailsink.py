"""The test SMTP server (tests/mail/sink.py) and a mend that mails through it: shared by the
suites that read what mend mailed."""
import atexit, json, os, subprocess, tempfile, time
from harness import Server

HERE = os.path.dirname(os.path.abspath(__file__))
_sink = None
_mail_srv = None


def sink():
    """The test SMTP server: (its port, the file of mails it took)."""
    global _sink
    if _sink is None:
        out = os.path.join(tempfile.mkdtemp(prefix="mend-mail-"), "mails.jsonl")
        open(out, "w").close()
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "..", "mail", "sink.py"), out], stdout=subprocess.PIPE, text=True)
        _sink = (int(p.stdout.readline()), out)
        atexit.register(lambda: (p.terminate(), p.wait(5)))
    return _sink


def mails(to):
    with open(sink()[1]) as f:
        return [m for m in map(json.loads, f) if to in m["rcpt_tos"]]


def refuse(*addresses):
    """The sink refuses these addresses (550) from now on, and only these."""
    with open(sink()[1] + ".refused", "w") as f:
        f.write("\n".join(addresses) + "\n")


def wait_mail(to, n=1, seconds=15):
    end = time.time() + seconds
    while time.time() < end and len(mails(to)) < n:
        time.sleep(0.2)
    return mails(to)


def mail_srv():
    """A mend that sends mail (and pushes) every second, at https://mend.test."""
    global _mail_srv
    if _mail_srv is None:
        _mail_srv = Server("--push-every", "1", "--smtp", "smtp://127.0.0.1:%d" % sink()[0], "--smtp-from", "mend@mend.test",
                           "--base-url", "https://mend.test")
    return _mail_srv
