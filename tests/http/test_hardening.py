"""What a partner, a stranger or an operator could do to other people: erased words left in
SQLite's WAL, text cut inside a character, time zones crowding each other out, connections
held open by one address, and a graceful stop that cuts nobody off. Runs on both engines."""
import json, os, signal, socket, threading, time
import harness
from harness import Server, test, check, eq
from test_foundation import srv, couple, PW


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def on_disk(db_path, word):
    """How many copies of word the SQLite file and its WAL hold."""
    n = 0
    for p in (db_path, db_path + "-wal"):
        if os.path.exists(p):
            n += open(p, "rb").read().count(word.encode())
    return n


@test
def erased_words_leave_no_copy_in_the_wal():
    s = Server()
    try:
        A = s.api("POST", "/signup", {"username": "wal_a", "password": PW, "display_name": "A"}).json
        inv = s.api("POST", "/invites", token=A["token"]).json
        B = s.api("POST", "/join", {"code": inv["code"], "username": "wal_b", "password": PW, "display_name": "B"}).json
        secret_b = "Zorbleflax unrevealed words of B " * 8
        secret_a = "Quimbletrot unrevealed words of A " * 8
        eq(s.api("PUT", "/breach/account", {"text": secret_b, "root_cause": "why", "category": "other"}, token=B["token"]).status, 200, "B wrote")
        eq(s.api("POST", "/account/delete", {"password": PW}, token=B["token"]).status, 204, "B deleted their account")
        if s.db_args[0] == "--db":
            eq(on_disk(s.db_args[1], "Zorbleflax"), 0, "B's unrevealed account is in neither the file nor its WAL")
        eq(s.api("PUT", "/breach/account", {"text": secret_a, "root_cause": "why", "category": "other"}, token=A["token"]).status, 200, "A wrote")
        eq(s.api("POST", "/journal", {"body": "Quimbletrot in a shared entry"}, token=A["token"]).status, 201, "and shared")
        r = s.api("POST", "/couple/erase", {"password": PW}, token=A["token"])
        eq(r.json["erased"], True, "the couple is erased")
        if s.db_args[0] == "--db":
            eq(on_disk(s.db_args[1], "Quimbletrot"), 0, "nothing of theirs in the file or the WAL")
    finally:
        s.stop()


@test
def text_is_cut_on_whole_characters():
    a, b = couple()
    A, B = a["token"], b["token"]
    title = "\u20ac" * 200  # 600 bytes: the summary's quote is cut at 500 bytes, on a character
    r = api(A, "POST", "/agreements", {"title": title, "text": "Euros.", "category": "other"})
    eq(r.status, 201, "an agreement titled in euros")
    eq(api(B, "POST", "/agreements/%d/sign" % r.json["id"]).status, 200, "signed")
    raw = srv().api("GET", "/ledger", token=A).body
    entries = json.loads(raw.decode("utf-8"))["entries"]  # strict: fails on half a character
    check(any("\u20ac\u20ac" in e["summary"] for e in entries), "the quote is in the summary")
    export = srv().api("GET", "/export", token=A)
    eq(export.status, 200, "the couple's export")
    export.body.decode("utf-8")


@test
def made_up_time_zones_cannot_break_real_ones():
    a, _ = couple()
    A = a["token"]
    for i in range(80):
        r = api(A, "PUT", "/account/timezone", {"timezone": "Mars/Olympus_%d" % i})
        eq((r.status, r.json["error"]["field"]), (422, "timezone"), "a made-up zone is refused")
    for tz in ("Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Adelaide"):
        eq(api(A, "PUT", "/account/timezone", {"timezone": tz}).status, 200, "a real zone still works: " + tz)
    eq(api(A, "GET", "/me").json["account"]["timezone"], "Australia/Adelaide", "and is kept")


@test
def one_address_cannot_hold_every_connection():
    s = Server("--max-conns-per-addr", "8")
    held = []
    try:
        for _ in range(20):
            c = socket.create_connection(("127.0.0.1", s.port))
            held.append(c)
        time.sleep(0.5)
        open_ones = 0
        for c in held:
            c.settimeout(2)
            try:
                c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if c.recv(100).startswith(b"HTTP/1.1 200"):
                    open_ones += 1
            except OSError:
                pass
        eq(open_ones, 8, "exactly the cap was served; the others were refused at once")
        for c in held:
            c.close()
        held = []
        time.sleep(0.5)
        eq(s.request("GET", "/healthz").status, 200, "once they are closed, the address is served again")
    finally:
        for c in held:
            c.close()
        s.stop()


@test
def a_graceful_stop_answers_every_connection_it_accepted():
    s = Server()
    name = "stop_%d" % os.getpid()
    eq(s.api("POST", "/signup", {"username": name, "password": PW, "display_name": "S"}).status, 201, "an account")
    body = json.dumps({"username": name, "password": PW}).encode()
    req = (b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body)) + body
    results = []

    def one():
        try:
            c = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        except OSError:
            results.append("refused")  # after the stop: the kernel refuses, nothing is cut off
            return
        try:
            c.sendall(req)
            data = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
            results.append("answered" if data.startswith(b"HTTP/1.1 ") else "empty")
        except OSError:
            results.append("reset")
        finally:
            c.close()

    threads = [threading.Thread(target=one) for _ in range(40)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    s.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join()
    s.proc.wait(30)
    eq(results.count("reset") + results.count("empty"), 0, "no connection the server took was cut off: %r" % results)


def stuck_get(port, path, token, rcvbuf=2048):
    """A client that asks and never reads: a tiny receive buffer, nothing read."""
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    c.connect(("127.0.0.1", port))
    c.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % (path, token)).encode())
    return c


@test
def clients_that_never_read_cannot_hold_the_memory():
    s = Server("--write-timeout", "3", "--max-conns-per-addr", "100")
    held = []
    try:
        a = s.api("POST", "/signup", {"username": "reader_%d" % os.getpid(), "password": PW, "display_name": "R"}).json
        T = a["token"]
        for i in range(70):  # an export of about 1.3 MB
            eq(s.api("POST", "/journal", {"body": ("entry %d " % i) + "w" * 19000}, token=T).status, 201, "entry")
        held = [stuck_get(s.port, "/api/v1/export", T) for _ in range(12)]
        time.sleep(1.0)
        r = s.api("GET", "/export", token=T)
        eq(r.status, 503, "the large downloads in flight are bounded")
        check(int(r.getheader("Retry-After")) > 0, "with Retry-After")
        eq(r.json["error"]["code"], "busy", "in the JSON shape")
        eq(s.api("GET", "/me", token=T).status, 200, "everything else goes on")
        time.sleep(4.0)  # past the write timeout: the clients that never read are cut off
        r = s.api("GET", "/export", token=T)
        eq(r.status, 200, "and the downloads are open again")
        eq(len(json.loads(r.body)["tables"]["journal_entries"]), 70, "the whole export")
    finally:
        for c in held:
            c.close()
        s.stop()


def raw(port, data, timeout=5):
    """Sends bytes on a fresh connection; returns what came back and whether it was closed."""
    c = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    c.sendall(data)
    got, closed = b"", False
    try:
        while True:
            chunk = c.recv(65536)
            if not chunk:
                closed = True
                break
            got += chunk
    except socket.timeout:
        pass
    c.close()
    return got, closed


@test
def an_ambiguous_length_is_refused_and_the_connection_closed():
    s = srv()
    head = b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    for extra, body in [(b"Content-Length: 2\r\nContent-Length: 40\r\n", b"{}"),
                        (b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n")]:
        got, closed = raw(s.port, head + extra + b"\r\n" + body + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        check(got.startswith(b"HTTP/1.1 400 "), "refused: %r" % got[:60])
        check(b'"code":"bad_request"' in got, "in the JSON shape")
        eq(got.count(b"HTTP/1.1 "), 1, "what followed on the connection was not served")
        check(closed, "and the connection is closed")
    got, _ = raw(s.port, head + b"Content-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    check(got.startswith(b"HTTP/1.1 422 "), "two equal lengths are one length: %r" % got[:40])


@test
def a_body_too_large_gets_the_json_shape_or_a_page_that_keeps_the_words():
    s = srv()
    # past what h2o reads at all: answered from the headers, in our shape
    got, _ = raw(s.port, b"POST /api/v1/journal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 9000000\r\n\r\n")
    check(got.startswith(b"HTTP/1.1 413 "), "413: %r" % got[:40])
    body = json.loads(got.split(b"\r\n\r\n", 1)[1])
    eq(body["error"]["code"], "too_large", "the API's error shape")
    got, _ = raw(s.port, b"POST /journal HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 9000000\r\n\r\n")
    check(got.startswith(b"HTTP/1.1 413 ") and b"text/html" in got and b"<main" in got and b"stylesheet" in got,
          "a page like the others: %r" % got[:200])
    # over the limit but read: the API refuses in JSON, a form's words come back on the page
    r = s.api("POST", "/journal", {"body": "x" * (1024 * 1024 + 10)})
    eq((r.status, r.json["error"]["code"]), (413, "too_large"), "JSON")
    import urllib.parse
    words = "Mes mots, tous.\r\n" + "\u00e9" * 190000
    r = s.request("POST", "/journal", urllib.parse.urlencode({"csrf": "x", "body": words}),
                  {"Content-Type": "application/x-www-form-urlencoded"}, raw=True)
    eq(r.status, 413, "too large")
    page = r.body.decode()
    check("Mes mots, tous.\n" in page and "\u00e9" * 1000 in page, "the words are on the page, nothing lost")


@test
def fifty_log_ins_at_once_stay_in_bounded_memory():
    if "asan" in harness.LABEL:
        return  # the sanitizers' shadow memory says nothing about the server's own
    s = Server("--trust-proxy")
    try:
        name = "many_%d" % os.getpid()
        eq(s.api("POST", "/signup", {"username": name, "password": PW, "display_name": "M"}).status, 201, "an account")
        out = []
        gate = threading.Barrier(50)

        def one(i):
            gate.wait()
            r = s.api("POST", "/login", {"username": name, "password": PW}, headers={"X-Forwarded-For": "10.1.%d.%d" % (i // 100, i % 100)})
            out.append((r.status, r.getheader("Retry-After")))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(all(st in (200, 503) for st, _ in out), "logged in, or told at once to retry: %r" % sorted(set(out)))
        check(all(ra for st, ra in out if st == 503), "every 503 says when to retry")
        check(any(st == 200 for st, _ in out), "those in the queue logged in")
        peak = [int(l.split()[1]) for l in open("/proc/%d/status" % s.proc.pid) if l.startswith("VmHWM:")][0]
        check(peak < 48 * 1024, "peak memory %.1f MiB, under 48 MiB" % (peak / 1024.0))
        eq(s.api("POST", "/login", {"username": name, "password": PW}).status, 200, "and afterwards a log-in goes straight through")
    finally:
        s.stop()


@test
def sign_ups_whose_clients_left_cost_no_hash():
    s = Server("--trust-proxy")
    try:
        names = ["gone_%d_%d" % (os.getpid(), i) for i in range(12)]
        for i, name in enumerate(names):
            body = json.dumps({"username": name, "password": PW, "display_name": "G"}).encode()
            c = socket.create_connection(("127.0.0.1", s.port))
            c.sendall(b"POST /api/v1/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 10.2.0.%d\r\n"
                      b"Content-Length: %d\r\n\r\n" % (i + 1, len(body)) + body)
            c.close()  # the client leaves at once
        r = s.api("POST", "/signup", {"username": "honest_%d" % os.getpid(), "password": PW, "display_name": "H"})
        eq(r.status, 201, "an honest sign-up after them goes through")
        made = [n for n in names if s.api("POST", "/login", {"username": n, "password": PW}).status == 200]
        check(len(made) <= 2, "the queued sign-ups of clients that left were dropped, not hashed (%d made)" % len(made))
    finally:
        s.stop()


@test
def a_trusted_proxy_on_loopback_is_not_capped():
    s = Server("--max-conns-per-addr", "4", "--trust-proxy")
    held = []
    try:
        for _ in range(10):
            held.append(socket.create_connection(("127.0.0.1", s.port)))
        served = 0
        for c in held:
            c.settimeout(5)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            if c.recv(100).startswith(b"HTTP/1.1 200"):
                served += 1
        eq(served, 10, "every connection from the proxy is served")
    finally:
        for c in held:
            c.close()
        s.stop()


@test
def a_second_server_on_a_taken_port_refuses_to_start():
    """Two servers on one address would split the connections between two databases: the
    second says so and exits, unless --share-port asks for it."""
    import subprocess, tempfile
    s = Server()
    tmp = tempfile.mkdtemp(prefix="mend-port-")
    db = ["--db", os.path.join(tmp, "other.db")] if "--db" in s.db_args else s.db_args
    r = subprocess.run([harness.MEND, "serve", "--listen", "127.0.0.1:%d" % s.port] + db, capture_output=True, text=True,
                       timeout=20)
    check(r.returncode != 0, "the second server did not start (exit %d)" % r.returncode)
    check("in use" in r.stderr and "--share-port" in r.stderr, "it says why and what to do: " + r.stderr)
    eq(s.request("GET", "/healthz").status, 200, "the first one still answers")
    shared = subprocess.Popen([harness.MEND, "serve", "--listen", "127.0.0.1:%d" % s.port, "--share-port"] + db,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)
        check(shared.poll() is None, "with --share-port the second one runs")
    finally:
        shared.send_signal(signal.SIGTERM)
        shared.wait(20)


@test
def what_has_expired_is_swept_in_the_background():
    s = Server("--sweep-every", "1")
    try:
        a = s.api("POST", "/signup", {"username": "sweep_a", "password": PW, "display_name": "A"}).json
        old = [s.api("POST", "/login", {"username": "sweep_a", "password": PW}).json["token"] for _ in range(2)]
        c, u = a["couple"]["id"], a["user"]["id"]
        day = 86400
        # every session so far idle for 15 days, or made 61 days ago
        s.sql("UPDATE sessions SET seen_at = seen_at - 15 * %d WHERE user_id = %d AND kind = 'api'" % (day, u))
        fresh = s.api("POST", "/login", {"username": "sweep_a", "password": PW}).json["token"]
        s.sql("INSERT INTO login_throttle (scope, key, window_start, failures) VALUES ('addr', '192.0.2.7', 1000, 4)")
        s.sql("INSERT INTO login_throttle (scope, key, window_start, failures) VALUES ('addr', '192.0.2.8', %d, 1)" % int(time.time()))
        s.sql("INSERT INTO invites (couple_id, code_hash, created_by, created_at, expires_at) VALUES (%d, %s, %d, 1000, 2000)"
              % (c, s.blob(b"\x01" * 32), u))
        deadline = time.time() + 10
        while time.time() < deadline:
            left = int(s.query("SELECT COUNT(*) FROM sessions WHERE user_id = %d" % u)[0][0])
            throttles = int(s.query("SELECT COUNT(*) FROM login_throttle WHERE key LIKE '192.0.2.%'")[0][0])
            invites = int(s.query("SELECT COUNT(*) FROM invites WHERE couple_id = %d" % c)[0][0])
            if (left, throttles, invites) == (1, 1, 0):
                break
            time.sleep(0.2)
        eq((left, throttles, invites), (1, 1, 0), "expired sessions, an old throttle window and an old invite are gone")
        eq(s.api("GET", "/me", token=fresh).status, 200, "the fresh session stays")
        for tok in old:
            eq(s.api("GET", "/me", token=tok).status, 401, "an expired one is gone")
        check("housekeeping removed" in s.output(), "the log says what was removed")
    finally:
        s.stop()
