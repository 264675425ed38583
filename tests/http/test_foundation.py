"""Foundation over real HTTP: sign-up, invites, joining, sessions, CSRF, errors, isolation,
throttling, graceful stop, logs and metrics. Runs on SQLite and on PostgreSQL."""
import hashlib, http.client, json, os, re, signal, socket, subprocess, time, urllib.parse
import harness
from harness import Server, Browser, test, check, eq

_shared = None
PW = "a calm long password"


def srv():
    global _shared
    if _shared is None:
        _shared = Server()
    return _shared


_n = 0


def uniq(prefix="user"):
    global _n
    _n += 1
    return "%s%d_%d" % (prefix, os.getpid() % 1000, _n)


def signup(s=None, name=None, password=PW):
    s = s or srv()
    name = name or uniq()
    r = s.api("POST", "/signup", {"username": name, "password": password, "display_name": name.title()})
    eq(r.status, 201, "signup status " + str(r.body))
    return r.json


def couple(s=None):
    """A full couple: returns (first, second) as signup/join responses."""
    s = s or srv()
    a = signup(s)
    inv = s.api("POST", "/invites", token=a["token"])
    eq(inv.status, 201, "invite")
    b_name = uniq("partner")
    b = s.api("POST", "/join", {"code": inv.json["code"], "username": b_name, "password": PW, "display_name": "B"})
    eq(b.status, 201, "join " + str(b.body))
    return a, b.json


@test
def welcome_page_has_security_headers():
    r = srv().request("GET", "/")
    eq(r.status, 200, "status")
    check(b"A quiet place to rebuild trust" in r.body, "welcome text")
    csp = r.getheader("Content-Security-Policy")
    check(csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, "CSP without inline script")
    check("frame-ancestors 'none'" in csp, "frame-ancestors none")
    eq(r.getheader("X-Content-Type-Options"), "nosniff", "nosniff")
    eq(r.getheader("Referrer-Policy"), "no-referrer", "referrer policy")
    check(b"Quick exit" in r.body, "quick exit link")
    eq(r.getheader("Cache-Control"), "no-store", "private pages are not cached")


@test
def api_signup_returns_token_user_and_couple():
    name = uniq("Alex")
    r = srv().api("POST", "/signup", {"username": name, "password": PW, "display_name": "  Alex  "})
    eq(r.status, 201, "status")
    j = r.json
    eq(sorted(j), ["account", "couple", "token", "user"], "shape")
    eq(r.getheader("Location"), "/api/v1/users/%d" % j["user"]["id"], "where the new person is")
    eq(sorted(j["user"]), ["deleted", "display_name", "id", "joined_at", "language", "path"], "a person has one shape")
    eq(j["user"]["path"], None, "no path said yet")
    eq(len(j["token"]), 43, "256-bit token")
    eq(j["account"]["username"], name.lower(), "usernames are lower-cased")
    eq(j["user"]["display_name"], "Alex", "display name trimmed")
    check(isinstance(j["couple"]["id"], int) and j["couple"]["id"] > 0, "couple id")
    me = srv().api("GET", "/me", token=j["token"])
    eq(me.status, 200, "me")
    eq(me.json["couple"]["partners"][0]["display_name"], "Alex", "partner listed")
    check(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", me.json["couple"]["partners"][0]["joined_at"]), "joined_at ISO")


@test
def signup_refuses_bad_input_and_changes_nothing():
    s = srv()
    cases = [
        ({"password": PW, "display_name": "X"}, 422, "username"),
        ({"username": uniq(), "password": "short", "display_name": "X"}, 422, "password"),
        ({"username": "a b", "password": PW, "display_name": "X"}, 422, "username"),
        ({"username": uniq(), "password": PW, "display_name": "   "}, 422, "display_name"),
        ({"username": 42, "password": PW, "display_name": "X"}, 422, "username"),
        ({"username": uniq(), "password": PW, "display_name": "x" * 61}, 422, "display_name"),
    ]
    for body, status, field in cases:
        r = s.api("POST", "/signup", body)
        eq(r.status, status, "status for %r" % body)
        eq(r.json["error"]["field"], field, "field for %r" % body)
        check(r.json["error"]["message"], "a message")
        if isinstance(body.get("username"), str):
            eq(s.api("POST", "/login", {"username": body["username"], "password": PW}).status, 401, "no user made")
    taken = signup(s)["account"]["username"]
    r = s.api("POST", "/signup", {"username": taken.upper(), "password": PW, "display_name": "Y"})
    eq(r.status, 409, "taken")
    eq(r.json["error"]["field"], "username", "taken field")


@test
def malformed_bodies_get_clear_errors():
    s = srv()
    for body in ["{", "[1,2]", "\"str\"", "{\"a\":1,\"a\":2}", "\xff\xfe"]:
        r = s.request("POST", "/api/v1/signup", body.encode("latin-1"), {"Content-Type": "application/json"})
        eq(r.status, 400, "malformed %r" % body)
        eq(r.json["error"]["code"], "bad_json", "code")
    r = s.request("POST", "/api/v1/signup", b"username=x", {"Content-Type": "application/x-www-form-urlencoded"})
    eq(r.status, 415, "content type")
    big = b'{"username":"' + b"a" * (1024 * 1024) + b'"}'
    r = s.request("POST", "/api/v1/signup", big, {"Content-Type": "application/json"})
    eq(r.status, 413, "oversized")
    eq(r.json["error"]["code"], "too_large", "413 code")
    eq(s.request("GET", "/healthz").status, 200, "still serving")


@test
def login_logout_and_wrong_passwords():
    s = srv()
    u = signup(s)
    name = u["account"]["username"]
    r = s.api("POST", "/login", {"username": name.upper(), "password": PW})
    eq(r.status, 200, "login")
    eq(sorted(r.json), ["account", "couple", "token", "user"], "shape")
    eq(r.json["user"]["id"], u["user"]["id"], "same user")
    token = r.json["token"]
    r = s.api("POST", "/login", {"username": name, "password": PW + "x"})
    eq(r.status, 401, "wrong password")
    eq(r.json["error"]["code"], "bad_credentials", "code")
    r = s.api("POST", "/login", {"username": uniq("ghost"), "password": PW})
    eq(r.status, 401, "unknown user: same answer")
    eq(s.api("POST", "/logout", token=token).status, 204, "logout")
    eq(s.api("GET", "/me", token=token).status, 401, "token gone")
    eq(s.api("GET", "/me", token=u["token"]).status, 200, "other session unaffected")


@test
def invite_join_and_a_couple_of_exactly_two():
    s = srv()
    a = signup(s)
    inv = s.api("POST", "/invites", token=a["token"])
    eq(inv.status, 201, "invite")
    eq(sorted(inv.json), ["code", "expires_at", "url"], "invite shape")
    check(re.match(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", inv.json["code"]), "code format")
    check(inv.json["url"].endswith("/join/" + inv.json["code"]), "url carries the code")
    r = s.api("POST", "/join", {"code": "0000-0000-0000-0000", "username": uniq(), "password": PW, "display_name": "B"})
    eq(r.status, 404, "unknown code")
    eq(r.json["error"]["field"], "code", "field")
    r = s.api("POST", "/join", {"code": "nope", "username": uniq(), "password": PW, "display_name": "B"})
    eq(r.status, 422, "malformed code")
    b_name = uniq("b")
    r = s.api("POST", "/join", {"code": inv.json["code"].lower(), "username": b_name, "password": PW, "display_name": "Bea"})
    eq(r.status, 201, "join")
    eq(r.json["couple"]["id"], a["couple"]["id"], "same couple")
    me = s.api("GET", "/me", token=a["token"])
    eq([p["display_name"] for p in me.json["couple"]["partners"]], [a["user"]["display_name"], "Bea"], "both partners")
    r = s.api("POST", "/join", {"code": inv.json["code"], "username": uniq(), "password": PW, "display_name": "C"})
    eq(r.status, 410, "used code")
    r = s.api("POST", "/invites", token=a["token"])
    eq(r.status, 409, "couple full")
    eq(len(s.api("GET", "/me", token=a["token"]).json["couple"]["partners"]), 2, "still two")


@test
def a_new_invite_replaces_the_old_one():
    s = srv()
    a = signup(s)
    first = s.api("POST", "/invites", token=a["token"]).json["code"]
    second = s.api("POST", "/invites", token=a["token"]).json["code"]
    r = s.api("POST", "/join", {"code": first, "username": uniq(), "password": PW, "display_name": "B"})
    eq(r.status, 404, "old invite no longer works")
    r = s.api("POST", "/join", {"code": second, "username": uniq(), "password": PW, "display_name": "B"})
    eq(r.status, 201, "new invite works")


@test
def logout_everywhere_and_password_change():
    s = srv()
    u = signup(s)
    name = u["account"]["username"]
    t2 = s.api("POST", "/login", {"username": name, "password": PW}).json["token"]
    r = s.api("PUT", "/account/password", {"current_password": "wrong wrong wrong", "new_password": "another long one"}, token=u["token"])
    eq(r.status, 422, "wrong current password")
    eq(r.json["error"]["field"], "current_password", "field")
    r = s.api("PUT", "/account/password", {"current_password": PW, "new_password": "short"}, token=u["token"])
    eq(r.status, 422, "short new password")
    eq(r.json["error"]["field"], "new_password", "field")
    r = s.api("PUT", "/account/password", {"current_password": PW, "new_password": "another long one"}, token=u["token"])
    eq(r.status, 204, "changed")
    eq(s.api("GET", "/me", token=t2).status, 401, "other sessions ended")
    eq(s.api("GET", "/me", token=u["token"]).status, 200, "this session kept")
    eq(s.api("POST", "/login", {"username": name, "password": PW}).status, 401, "old password refused")
    t3 = s.api("POST", "/login", {"username": name, "password": "another long one"}).json["token"]
    eq(s.api("POST", "/logout-everywhere", token=t3).status, 204, "logout everywhere")
    eq(s.api("GET", "/me", token=t3).status, 401, "ended")
    eq(s.api("GET", "/me", token=u["token"]).status, 401, "all ended")


@test
def couples_cannot_see_each_other():
    s = srv()
    a, b = couple(s)
    x, y = couple(s)
    for tok in (a["token"], b["token"]):
        for uid in (x["user"]["id"], y["user"]["id"]):
            eq(s.api("GET", "/users/%d" % uid, token=tok).status, 404, "other couple's user")
        eq(s.api("GET", "/couples/%d" % x["couple"]["id"], token=tok).status, 404, "other couple")
        eq(s.api("GET", "/users/%d" % b["user"]["id"], token=tok).status, 200, "own partner")
        eq(s.api("GET", "/couples/%d" % a["couple"]["id"], token=tok).status, 200, "own couple")
    eq(s.api("GET", "/users/abc", token=a["token"]).status, 404, "bad id")
    me = s.api("GET", "/me", token=a["token"]).json
    ids = {p["id"] for p in me["couple"]["partners"]}
    eq(ids, {a["user"]["id"], b["user"]["id"]}, "only own partners")


@test
def api_needs_a_bearer_token_and_ignores_cookies():
    s = srv()
    u = signup(s)
    for method, path in [("GET", "/me"), ("POST", "/logout"), ("POST", "/invites"), ("GET", "/users/1"),
                         ("GET", "/couples/1"), ("PUT", "/account/password"), ("POST", "/logout-everywhere")]:
        r = s.api(method, path, {} if method != "GET" else None)
        eq(r.status, 401, "%s %s without token" % (method, path))
        eq(r.json["error"]["code"], "unauthorized", "code")
        r = s.api(method, path, None, token="x" * 43)
        eq(r.status, 401, "%s %s with a made-up token" % (method, path))
        r = s.request(method, "/api/v1" + path, headers={"Cookie": "mend_session=" + u["token"]})
        eq(r.status, 401, "%s %s with a cookie instead" % (method, path))


@test
def unknown_paths_and_methods():
    s = srv()
    r = s.request("GET", "/api/v1/nothing")
    eq(r.status, 404, "api 404")
    eq(r.json["error"]["code"], "not_found", "json error")
    r = s.request("GET", "/no/such/page")
    eq(r.status, 404, "page 404")
    check(b"<h1>Not found</h1>" in r.body, "a page")
    r = s.request("DELETE", "/api/v1/me")
    eq(r.status, 405, "method")
    eq(r.getheader("Allow"), "GET, HEAD", "405 says which methods the address takes")
    r = s.request("PUT", "/feelings")
    eq((r.status, r.getheader("Allow")), (405, "GET, HEAD, POST"), "a page and its form")


def _form_signup(br, name, password=PW):
    page = br.get("/signup")
    eq(page.status, 200, "signup page")
    return br.post("/signup", {"display_name": "Robin", "username": name, "password": password})


@test
def pages_sign_up_invite_join_log_in_and_out():
    s = srv()
    first, second = Browser(s), Browser(s)
    name = uniq("robin")
    r = _form_signup(first, name)
    eq(r.status, 303, "signed up")
    eq(r.getheader("Location"), "/", "to home")
    cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("mend_session=")][0]
    check("HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie, "cookie flags: " + cookie)
    home = first.get("/")
    check("Hello, Robin" in home.text, "home greets")
    check("has not joined yet" in home.text, "partner missing")
    r = first.post("/invites", {})
    eq(r.status, 200, "invite made")
    code = re.search(r'id="invite-code">([0-9A-Z-]{19})<', r.text).group(1)
    check("/join/" + code in r.text, "invite link shown")
    home = first.get("/")
    check("An invite is waiting" in home.text and code not in home.text, "code shown only once")
    join = second.get("/join/" + code)
    eq(join.status, 200, "join page")
    check('value="%s"' % code in join.text, "code filled in")
    r = second.post("/join", {"code": code, "display_name": "Sam", "username": uniq("sam"), "password": PW})
    eq(r.status, 303, "joined " + r.text[:300])
    home = second.get("/")
    check("Robin" in home.text and "Sam" in home.text and "(you)" in home.text, "both partners on home")
    check("Make an invite" not in home.text, "no invite once full")
    eq(first.get("/account").status, 200, "account page")
    r = first.post("/logout", {})
    eq(r.status, 303, "logged out")
    eq(first.get("/account").status, 303, "account needs login")
    r = first.post("/login", {"username": name, "password": "wrong password!"})
    eq(r.status, 200, "the form again")
    check("do not match" in r.text and 'aria-invalid="true"' in r.text, "error shown at the field")
    r = first.post("/login", {"username": name, "password": PW})
    eq(r.status, 303, "logged in")
    check("Hello, Robin" in first.get("/").text, "home again")


@test
def form_errors_keep_what_was_typed_but_never_the_password():
    s = srv()
    br = Browser(s)
    br.get("/signup")
    r = br.post("/signup", {"display_name": "Kim <b>", "username": uniq("kim"), "password": "short pw"})
    eq(r.status, 200, "the form again")
    check("at least 10 characters" in r.text, "message")
    check("Kim &lt;b&gt;" in r.text, "name kept, escaped")
    check("short pw" not in r.text, "password not echoed")


@test
def forms_without_a_valid_csrf_token_are_refused():
    s = srv()
    br = Browser(s)
    br.get("/signup")
    name = uniq("csrf")
    r = br.post("/signup", {"display_name": "C", "username": name, "password": PW}, csrf=False)
    eq(r.status, 403, "no token")
    r = br.post("/signup", {"display_name": "C", "username": name, "password": PW}, csrf="A" * 43)
    eq(r.status, 403, "wrong token")
    eq(s.api("POST", "/login", {"username": name, "password": PW}).status, 401, "nothing was created")
    # a session's forms need the session's token; a pre-session token does not do
    r = _form_signup(br, name)
    eq(r.status, 303, "signed up with the right token")
    r = br.post("/logout", {}, csrf=False)
    eq(r.status, 403, "logout without token")
    check("Hello" in br.get("/").text, "still logged in")
    r = br.post("/account/logout-everywhere", {}, csrf="B" * 43)
    eq(r.status, 403, "wrong token")
    check("Hello" in br.get("/").text, "still logged in")


@test
def the_database_alone_cannot_forge_a_form():
    import base64
    s = srv()
    u = signup(s)
    br = Browser(s)
    eq(br.post("/login", {"username": u["account"]["username"], "password": PW}).status, 303, "logged in")
    token = br.csrf
    check(token, "the form's token")
    # what someone holding a copy of the database could compute: a keyed hash under each stored
    # session hash (the old derivation); none of them is the token a form needs
    for (h,) in s.query("SELECT token_hash FROM sessions WHERE user_id = %d" % u["user"]["id"]):
        key = bytes(h) if isinstance(h, (bytes, memoryview)) else bytes.fromhex(h[2:] if h.startswith("\\x") else h)
        guess = base64.urlsafe_b64encode(hashlib.blake2b(b"csrf", key=key, digest_size=32).digest()).rstrip(b"=").decode()
        check(guess != token, "a stored hash does not give the CSRF token")


@test
def secure_cookies_behind_a_tls_proxy():
    s = Server("--trust-proxy")
    try:
        https = {"X-Forwarded-Proto": "https"}
        page = s.request("GET", "/signup", headers=https)
        set_csrf = [v for k, v in page.getheaders() if k.lower() == "set-cookie"][0]
        check(set_csrf.startswith("__Host-mend_csrf=") and "Secure" in set_csrf and "Path=/" in set_csrf, "a __Host- cookie: " + set_csrf)
        csrf = set_csrf.split("=", 1)[1].split(";", 1)[0]
        fields = urllib.parse.urlencode({"display_name": "P", "username": uniq("proxy"), "password": PW, "csrf": csrf})
        r = s.request("POST", "/signup", fields, dict(https, **{"Content-Type": "application/x-www-form-urlencoded",
                      "Cookie": "__Host-mend_csrf=" + csrf}), raw=True)
        eq(r.status, 303, "signed up")
        cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("__Host-mend_session=")][0]
        check("Secure" in cookie and "Domain" not in cookie, "Secure, host-only, behind an https proxy")
        token = cookie.split("=", 1)[1].split(";", 1)[0]
        eq(s.request("GET", "/account", headers=dict(https, Cookie="__Host-mend_session=" + token)).status, 200, "and it logs in")
        eq(s.request("GET", "/account", headers=dict(https, Cookie="mend_session=" + token)).status, 303,
           "a cookie without the prefix is not taken over https")
    finally:
        s.stop()


@test
def login_throttling_per_account_and_per_address():
    s = Server("--trust-proxy")
    try:
        u = signup(s)
        name = u["account"]["username"]
        here, there = {"X-Forwarded-For": "198.51.100.7"}, {"X-Forwarded-For": "203.0.113.9"}
        for i in range(5):
            eq(s.api("POST", "/login", {"username": name, "password": "wrong password %d" % i}, headers=here).status, 401, "try %d" % i)
        r = s.api("POST", "/login", {"username": name, "password": PW}, headers=here)
        eq(r.status, 429, "the failing address waits, even with the right password")
        check(0 < int(r.getheader("Retry-After")) <= 30, "Retry-After: a short wait first")
        eq(r.json["error"]["code"], "too_many_attempts", "code")
        r = s.api("POST", "/login", {"username": name, "password": PW}, headers=there)
        eq(r.status, 200, "nobody can lock a partner out: an address that has not been failing logs in at once")
        # the address limit: many names from one address
        for i in range(20):
            s.api("POST", "/login", {"username": uniq("nobody"), "password": "whatever pass"}, headers={"X-Forwarded-For": "192.0.2.1"})
        r = s.api("POST", "/login", {"username": uniq("other"), "password": "whatever pass"}, headers={"X-Forwarded-For": "192.0.2.1"})
        eq(r.status, 429, "an address trying many names waits")
    finally:
        s.stop()


@test
def a_burst_of_wrong_passwords_is_counted_before_hashing():
    import threading
    s = Server("--trust-proxy")
    try:
        u = signup(s)
        name = u["account"]["username"]
        statuses = []
        gate = threading.Barrier(40)

        def one(i):
            gate.wait()
            r = s.api("POST", "/login", {"username": name, "password": "wrong guess %d" % i}, headers={"X-Forwarded-For": "198.51.100.8"})
            statuses.append(r.status)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(all(x in (401, 429, 503) for x in statuses), "only refusals: %r" % sorted(set(statuses)))
        eq(statuses.count(401), 5, "exactly the free attempts were checked, in parallel too")
        eq(s.api("POST", "/login", {"username": name, "password": PW}, headers={"X-Forwarded-For": "203.0.113.10"}).status,
           200, "and the partner logs in from their own phone")
    finally:
        s.stop()


@test
def sign_ups_are_limited_per_address():
    s = Server("--trust-proxy", "--signup-limit", "3")
    try:
        addr = {"X-Forwarded-For": "198.51.100.20"}
        for i in range(3):
            r = s.api("POST", "/signup", {"username": uniq("many"), "password": PW, "display_name": "M"}, headers=addr)
            eq(r.status, 201, "sign-up %d" % i)
        name = uniq("fourth")
        r = s.api("POST", "/signup", {"username": name, "password": PW, "display_name": "M"}, headers=addr)
        eq((r.status, r.json["error"]["code"]), (429, "too_many_attempts"), "the fourth waits")
        check(int(r.getheader("Retry-After")) > 0, "with Retry-After")
        eq(s.api("POST", "/login", {"username": name, "password": PW}).status, 401, "and no account was made")
        r = s.api("POST", "/signup", {"username": name, "password": PW, "display_name": "M"}, headers={"X-Forwarded-For": "203.0.113.20"})
        eq(r.status, 201, "another address signs up")
    finally:
        s.stop()


@test
def graceful_stop_finishes_requests_in_flight():
    s = Server()
    body = json.dumps({"username": uniq("late"), "password": PW, "display_name": "Late"}).encode()
    sock = socket.create_connection(("127.0.0.1", s.port))
    # a first request makes sure the server has accepted this connection and is reading it
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(20)
    first = b""
    while not first.endswith(b"}"):
        first += sock.recv(65536)
    sock.sendall(b"POST /api/v1/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body)
    time.sleep(0.005)  # the password hash takes far longer than this
    s.proc.send_signal(signal.SIGTERM)
    data = b""
    sock.settimeout(20)
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    check(data.startswith(b"HTTP/1.1 201"), "in-flight request answered: %r" % data[:80])
    eq(s.proc.wait(20), 0, "exit status; the server said: " + s.output()[-800:])
    check("stopped cleanly" in s.output(), "clean stop logged")
    # and what it answered is there after a restart
    s2 = Server(db_args=s.db_args)
    try:
        name = json.loads(body)["username"]
        eq(s2.api("POST", "/login", {"username": name, "password": PW}).status, 200, "signup survived the stop")
    finally:
        s2.stop()


@test
def access_log_and_metrics():
    mport = harness.free_port()
    s = Server("--metrics-listen", "127.0.0.1:%d" % mport)
    try:
        a = signup(s)
        code = s.api("POST", "/invites", token=a["token"]).json["code"]
        s.request("GET", "/join/" + code)
        s.request("GET", "/login?secret=hunter2")
        eq(s.request("GET", "/metrics").status, 404, "no metrics where partners are served: they would tell one of the other")
        c = http.client.HTTPConnection("127.0.0.1", mport, timeout=10)
        c.request("GET", "/metrics")
        m = c.getresponse()
        m.body = m.read()
        c.close()
        eq(m.status, 200, "metrics on the operator's own address")
        text = m.body.decode()
        check('mend_http_requests_total{route="POST /api/v1/signup",status="201"} 1' in text, "requests by route and status")
        check('mend_http_request_duration_seconds_bucket{route="GET /healthz",le="+Inf"}' in text, "latency histogram")
        if s.db_args[0] == "--db":
            check("mend_db_connections 2" in text, "database pool: one a loop (the housekeeping's opens for a sweep only)")
        else:
            check("mend_db_connections 4" in text, "database pool: four threads (two a loop), each with its connection")
        s.stop()
        log = s.output()
        check(re.search(r"method=POST path=/api/v1/signup status=201 dur_ms=[0-9.]+", log), "structured line")
        check("path=/join/{code}" in log and code not in log, "invite code kept out of the log")
        check("hunter2" not in log and "path=/login status=200" in log, "query strings kept out of the log")
    finally:
        s.stop()


@test
def sessions_expire_when_idle_or_old():
    s = srv()
    u = signup(s)
    t2 = s.api("POST", "/login", {"username": u["account"]["username"], "password": PW}).json["token"]
    eq(s.api("GET", "/me", token=u["token"]).status, 200, "fresh")
    day = 86400

    def where(token):  # the database knows a session only by the hash of its token
        return "token_hash = " + s.blob(hashlib.blake2b(token.encode(), digest_size=32).digest())

    # idle for 15 days (the idle limit is 14)
    s.sql("UPDATE sessions SET seen_at = seen_at - %d WHERE %s" % (15 * day, where(t2)))
    eq(s.api("GET", "/me", token=t2).status, 401, "the idle session ended")
    eq(s.api("GET", "/me", token=u["token"]).status, 200, "the other one did not")
    # active every day, but started 61 days ago (the absolute limit is 60)
    s.sql("UPDATE sessions SET created_at = created_at - %d WHERE %s" % (61 * day, where(u["token"])))
    eq(s.api("GET", "/me", token=u["token"]).status, 401, "too old")


@test
def connections_over_the_limit_are_refused():
    s = Server("--loops", "1", "--max-conns", "2")
    try:
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(2)]
        for h in held:
            h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            check(h.recv(4096).startswith(b"HTTP/1.1 200"), "within the limit")
        extra = socket.create_connection(("127.0.0.1", s.port))
        extra.settimeout(5)
        try:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            got = extra.recv(4096)
        except OSError:
            got = b""
        eq(got, b"", "the third connection is closed unanswered")
        for h in held:
            h.close()
        time.sleep(0.2)
        eq(s.request("GET", "/healthz").status, 200, "room again once they closed")
    finally:
        s.stop()


@test
def bytes_that_are_not_text_get_a_clear_answer_on_every_engine():
    s = srv()
    r = s.request("POST", "/api/v1/login", b'{"username":"\xff\xfe","password":"whatever pass"}', {"Content-Type": "application/json"})
    eq(r.status, 400, "not JSON text")
    br = Browser(s)
    br.get("/login")
    r = br._keep(s.request("POST", "/login", b"username=%FF%FE&password=whatever+pass&csrf=" + br.csrf.encode(),
                           br._headers({"Content-Type": "application/x-www-form-urlencoded"}), raw=True))
    eq(r.status, 200, "a wrong login, not a server error")
    check("do not match" in r.text, "the usual message")
    eq(s.request("GET", "/calendar/%FF%FE.ics").status, 404, "a calendar address that cannot exist")


@test
def every_route_that_needs_a_session_refuses_without_one():
    """Walks the joined route table (`mend routes`): no page or API route marked auth answers
    anything but "log in first" to a visitor without a session."""
    s = srv()
    listing = subprocess.run([harness.MEND, "routes"], capture_output=True, text=True, check=True).stdout
    routes = [line.split()[:3] for line in listing.splitlines()]
    check(all(len(r) == 3 and r[0] in ("GET", "POST", "PUT", "PATCH", "DELETE") for r in routes), "every line is METHOD PATH FLAGS")
    guarded = [(m, p) for m, p, flags in routes if "auth" in flags.split(",")]
    check(len(guarded) > 100, "the table is read (%d guarded routes)" % len(guarded))
    for method, pattern in guarded:
        path = re.sub(r"\{[^}]+\}", "1", pattern)
        body = b"{}" if method != "GET" and path.startswith("/api/") else (b"" if method != "GET" else None)
        headers = {"Content-Type": "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"}
        r = s.request(method, path, body, headers=headers, raw=True)
        if path.startswith("/api/"):
            eq(r.status, 401, "%s %s without a session" % (method, path))
        else:
            eq((r.status, r.getheader("Location")), (303, "/login"), "%s %s without a session" % (method, path))


@test
def static_assets_come_compressed_when_asked_and_pages_never_do():
    import gzip, re, subprocess
    s = srv()
    home = s.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    eq(home.getheader("Content-Encoding"), None, "a page is never compressed (it holds secrets beside chosen words)")
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', home.body.decode()).group(1)
    plain = s.request("GET", css)
    eq((plain.status, plain.getheader("Content-Encoding"), plain.getheader("Vary")), (200, None, "accept-encoding"),
       "plain for a client that does not ask")
    packed = s.request("GET", css, headers={"Accept-Encoding": "gzip, deflate"})
    eq(packed.getheader("Content-Encoding"), "gzip", "gzip when asked")
    eq(gzip.decompress(packed.body), plain.body, "the same stylesheet")
    check(len(packed.body) * 2 < len(plain.body), "and much smaller (%d of %d bytes)" % (len(packed.body), len(plain.body)))
    br = s.request("GET", css, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # what Chromium sends
    eq(br.getheader("Content-Encoding"), "br", "brotli where the browser takes it")
    unpacked = subprocess.run(["brotli", "-d", "-c"], input=br.body, stdout=subprocess.PIPE, check=True).stdout
    eq(unpacked, plain.body, "the same stylesheet again")
    check(len(br.body) < len(packed.body), "smaller than gzip (%d of %d bytes)" % (len(br.body), len(packed.body)))
    eq(s.request("GET", css, headers={"Accept-Encoding": "br;q=0, gzip"}).getheader("Content-Encoding"), "gzip",
       "gzip when brotli is refused")
    eq(s.request("GET", css, headers={"Accept-Encoding": "gzip;q=0, identity"}).getheader("Content-Encoding"), None,
       "not when gzip is refused (q=0)")
    api = s.request("GET", "/api/v1/openapi.yaml", headers={"Accept-Encoding": "gzip"})
    eq(api.getheader("Content-Encoding"), None, "the API answers plain")


@test
def the_quick_exit_ends_the_session_only_with_its_token_and_always_leaves():
    import re
    s = srv()
    a = signup(s)
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": a["account"]["username"], "password": PW}).status, 303, "logged in")
    home = br.get("/").text
    form = re.search(r'<form method="post" action="/exit" class="quick-exit-form"><input type="hidden" name="csrf" value="([^"]+)">'
                     r'<button type="submit" class="quick-exit" data-quick-exit data-href="https://www.bbc.com/weather">', home)
    check(form, "the quick exit is a form with the page's token, so it works without script")
    r = br.post("/exit", {}, csrf="x" * len(form.group(1)))
    eq(r.status, 200, "a stale token still leaves")
    check('<meta http-equiv="refresh" content="0;url=https://www.bbc.com/weather">' in r.text and "<title>Weather</title>" in r.text
          and "mend" not in r.text, "on to the neutral site, naming nothing of mend")
    check("Hello," in br.get("/").text, "but the session stays: the token did not match")
    r = br.post("/exit", {}, csrf=form.group(1))
    eq(r.status, 200, "the form (or the beacon) with the page's token")
    check("Max-Age=0" in (r.getheader("Set-Cookie") or ""), "the cookie is cleared on this device")
    check("Hello," not in br.get("/").text and "A quiet place to rebuild trust" in br.get("/").text, "the session ended")
    stranger = br.get("/").text
    check("quick-exit-form" not in stranger and 'class="quick-exit" href="https://www.bbc.com/weather"' in stranger,
          "a stranger's page has the plain link: no session to end")
    eq(br.post("/exit", {}).status, 200, "and /exit without a session still leaves")
