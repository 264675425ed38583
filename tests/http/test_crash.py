"""Crash safety on SQLite: acknowledged writes survive SIGKILL at random moments, the
database stays intact, and requests that fail validation change nothing at all.
To put a new kind of write under this test, add one entry to WRITES."""
import json, os, random, sqlite3, signal, threading, time, urllib.parse
from harness import Server, Browser, test, check, eq

PW = "a calm long password"


def w_signup(s, tag, i):
    name = "crash_%s_%d" % (tag, i)
    r = s.api("POST", "/signup", {"username": name, "password": PW, "display_name": "C %d" % i})
    return name if r.status == 201 else None


# Each write: (a name, a function that makes one write over HTTP and returns a key when the
# server acknowledged it, SQL that lists the keys present in the database).
WRITES = [
    ("signup", w_signup, "SELECT username FROM users"),
]


def present(db, sql):
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute(sql)}
    finally:
        con.close()


@test
def acknowledged_writes_survive_sigkill():
    s = Server("--hash-workers", "2")
    db = s.db_args[1]
    acked = {name: set() for name, _, _ in WRITES}
    rnd = random.Random(1234)
    for rnd_no in range(4):
        if rnd_no:
            s = Server(db_args=["--db", db])
        stop = threading.Event()
        lock = threading.Lock()

        def worker(k):
            i = 0
            while not stop.is_set():
                for name, fn, _ in WRITES:
                    try:
                        key = fn(s, "%d_%d" % (rnd_no, k), i)
                    except OSError:
                        return  # the server is gone: an unanswered write proves nothing
                    if key is not None:
                        with lock:
                            acked[name].add(key)
                i += 1

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        time.sleep(rnd.uniform(0.3, 0.9))
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        stop.set()
        for t in threads:
            t.join()
        con = sqlite3.connect(db)
        eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity after kill %d" % rnd_no)
        con.close()
        for name, _, sql in WRITES:
            missing = acked[name] - present(db, sql)
            eq(sorted(missing), [], "acknowledged %s writes missing after kill %d" % (name, rnd_no))
    check(sum(len(v) for v in acked.values()) > 10, "enough writes were made: %r" % {k: len(v) for k, v in acked.items()})
    s = Server(db_args=["--db", db])  # and it starts again over what the kills left
    try:
        some = sorted(acked["signup"])[0]
        eq(s.api("POST", "/login", {"username": some, "password": PW}).status, 200, "a survivor logs in")
    finally:
        s.stop()


def dump(db):
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@test
def invalid_requests_change_nothing():
    s = Server()
    try:
        a = s.api("POST", "/signup", {"username": "keeper", "password": PW, "display_name": "K"}).json
        br = Browser(s)
        br.get("/signup")
        time.sleep(0.1)
        s.request("GET", "/healthz")
        before = dump(s.db_args[1])
        bad = [
            ("POST", "/signup", b"{", "application/json"),
            ("POST", "/signup", json.dumps({"username": "x y", "password": PW, "display_name": "X"}), "application/json"),
            ("POST", "/signup", json.dumps({"username": "newname", "password": "short", "display_name": "X"}), "application/json"),
            ("POST", "/signup", json.dumps({"username": "keeper", "password": PW, "display_name": "X"}), "application/json"),
            ("POST", "/signup", json.dumps({"username": "newname2", "password": PW, "display_name": ""}), "application/json"),
            ("POST", "/signup", "username=formuser&password=a+calm+long+password&display_name=F", "text/plain"),
            ("POST", "/login", json.dumps({"username": "keeper"}), "application/json"),
            ("POST", "/join", json.dumps({"code": "0000-0000-0000-0000", "username": "j1", "password": PW, "display_name": "J"}), "application/json"),
            ("POST", "/join", json.dumps({"code": "bad", "username": "j2", "password": PW, "display_name": "J"}), "application/json"),
            ("POST", "/signup", b'{"username":"' + b"a" * (1024 * 1024) + b'"}', "application/json"),
        ]
        for method, path, body, ctype in bad:
            r = s.request(method, "/api/v1" + path, body, {"Content-Type": ctype}, raw=True)
            check(400 <= r.status < 500, "%s %s refused (%d)" % (method, path, r.status))
        tok = a["token"]
        r = s.api("PUT", "/account/password", {"current_password": PW, "new_password": "short"}, token=tok)
        eq(r.status, 422, "short new password")
        r = s.api("PUT", "/account/password", {"current_password": PW}, token=tok)
        eq(r.status, 422, "missing new password")
        for path, fields in [("/signup", {"display_name": "F", "username": "formuser", "password": PW}),
                             ("/join", {"code": "0000-0000-0000-0000", "display_name": "F", "username": "f2", "password": PW})]:
            eq(br.post(path, fields, csrf=False).status, 403, "no CSRF token: " + path)
        r = br.post("/signup", {"display_name": "F", "username": "formuser", "password": "short"})
        eq(r.status, 200, "form again")
        eq(dump(s.db_args[1]), before, "the database is byte for byte the same")
    finally:
        s.stop()
