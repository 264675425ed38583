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
        eq(s.api("DELETE", "/account", {"password": PW}, token=B["token"]).status, 204, "B deleted their account")
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
        eq(api(A, "PUT", "/account/timezone", {"timezone": tz}).status, 204, "a real zone still works: " + tz)
    eq(api(A, "GET", "/me").json["user"]["timezone"], "Australia/Adelaide", "and is kept")


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
        check(open_ones <= 8 * 2, "at most the cap were served (%d)" % open_ones)
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
