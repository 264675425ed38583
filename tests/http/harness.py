"""A small harness for HTTP tests against a real `mend serve`: starts servers on free
loopback ports over a fresh SQLite file or a fresh PostgreSQL database, speaks HTTP with
http.client, keeps cookies for page flows, and reports results as TAP."""
import atexit, http.client, json, os, re, signal, socket, subprocess, sys, tempfile, threading, time, traceback, urllib.parse
import contract

MEND = None          # path of the binary under test
_servers = []        # every server started, stopped when the suite ends (run.py, atexit)
PG_ADMIN = None      # conninfo of a PostgreSQL server, or None for SQLite
LABEL = ""           # the suite's label (asan-... for the sanitizer build)
_dbs = 0
_results = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def fresh_db_args(tmp):
    """A brand-new database: a file for SQLite, a new database on the PostgreSQL server."""
    global _dbs
    _dbs += 1
    if not PG_ADMIN:
        return ["--db", os.path.join(tmp, "mend-%d.db" % _dbs)]
    name = "mend_http_%d_%d" % (os.getpid(), _dbs)
    conn = dict(kv.split("=", 1) for kv in PG_ADMIN.split())
    subprocess.run(["psql", "-q", "-h", conn["host"], "-p", conn["port"], "-U", conn["user"], "-d", conn["dbname"],
                    "-c", "CREATE DATABASE %s" % name], check=True, stdout=subprocess.DEVNULL)
    conn["dbname"] = name
    return ["--pg", " ".join("%s=%s" % kv for kv in conn.items())]


def query_db(db_args, statement):
    """Rows of a query on a database given as mend's --db/--pg arguments."""
    if db_args[0] == "--db":
        import sqlite3
        con = sqlite3.connect(db_args[1])
        try:
            return con.execute(statement).fetchall()
        finally:
            con.close()
    conn = dict(kv.split("=", 1) for kv in db_args[1].split())
    out = subprocess.run(["psql", "-At", "-F", "|", "-h", conn["host"], "-p", conn["port"], "-U", conn["user"], "-d", conn["dbname"],
                          "-c", statement], capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("|")) for line in out.splitlines() if line]


class Server:
    def __init__(self, *extra, db_args=None, wrap=None, tls=None):
        """tls: (certificate, key) files to serve HTTPS (and HTTP/2) with; requests go over it."""
        self.tmp = tempfile.mkdtemp(prefix="mend-http-")
        self.tls = tls
        if tls:
            extra = tuple(extra) + ("--tls-cert", tls[0], "--tls-key", tls[1])
        self.port = free_port()
        self.db_args = db_args or fresh_db_args(self.tmp)
        extra = list(extra)
        if "--signup-limit" not in extra:
            # the suites make hundreds of accounts from one address; the limit has its own test
            extra += ["--signup-limit", "100000"]
        self.args = list(wrap or []) + [MEND, "serve", "--listen", "127.0.0.1:%d" % self.port, "--loops", "2"] + self.db_args + extra
        self.log = open(os.path.join(self.tmp, "server.log"), "w+")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        _servers.append(self)
        deadline = time.time() + (120 if wrap else 20)
        while True:
            try:
                if self.request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + self.output())
            time.sleep(0.05)

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def request(self, method, path, body=None, headers=None, raw=False):
        if self.tls:
            import ssl
            c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=ssl._create_unverified_context())
        else:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        data = body
        if body is not None and not raw and not isinstance(body, (bytes, str)):
            data = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        r.body = r.read()
        c.close()
        r.json = None
        if r.getheader("Content-Type", "").startswith("application/json") and r.body:
            r.json = json.loads(r.body)
        # every answer of the API is held to its document
        contract.check(method, path, r.status, r.getheader, r.body)
        return r

    def api(self, method, path, body=None, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        return self.request(method, "/api/v1" + path, body, h)

    def sql(self, statement, bump=True):
        """Runs SQL on this server's database behind its back, as an operator (or an
        attacker with the file) could. What mend keeps of a couple goes by the couple's data
        version, so a change by hand is followed by a new version (as README says to do),
        unless bump is False."""
        statements = [statement] + (["UPDATE couples SET data_version = data_version + 1"] if bump else [])
        if self.db_args[0] == "--db":
            import sqlite3
            con = sqlite3.connect(self.db_args[1])
            try:
                for st in statements:
                    con.execute(st)
                con.commit()
            finally:
                con.close()
        else:
            conn = dict(kv.split("=", 1) for kv in self.db_args[1].split())
            subprocess.run(["psql", "-q", "-h", conn["host"], "-p", conn["port"], "-U", conn["user"], "-d", conn["dbname"],
                            "-c", "; ".join(statements)], check=True, stdout=subprocess.DEVNULL)

    def query(self, statement):
        """Rows of a query on this server's database, behind its back (as text on PostgreSQL)."""
        return query_db(self.db_args, statement)

    def blob(self, data):
        """A SQL literal of bytes for this server's engine."""
        return ("X'%s'" if self.db_args[0] == "--db" else "'\\x%s'::bytea") % data.hex()

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class WriteLoad:
    """Partners writing appreciations as fast as they can on a few threads, until stop():
    the ids of the writes answered 201, the count of each status, and when writes were refused."""

    def __init__(self, server, token, threads=3):
        self.acked, self.statuses, self.refused = [], {}, []
        # thanks need someone to thank: a partner joins first when there is none yet
        inv = server.api("POST", "/invites", token=token)
        if inv.status == 201:
            j = server.api("POST", "/join", {"code": inv.json["code"], "username": "load_%d_%d" % (os.getpid(), id(self) % 100000),
                                             "password": "a calm long password", "display_name": "L"})
            assert j.status == 201, "the partner joins: %r" % (j.body,)
        self._stop = threading.Event()
        # daemons: a test that fails before stop() must not leave them writing forever
        self._threads = [threading.Thread(target=self._write, args=(server, token, k), daemon=True) for k in range(threads)]
        for t in self._threads:
            t.start()

    def _write(self, s, token, k):
        i = 0
        while not self._stop.is_set():
            i += 1
            try:
                r = s.api("POST", "/appreciations", {"text": "thanks %d-%d" % (k, i)}, token=token)
            except OSError:
                time.sleep(0.01)
                continue
            self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
            if r.status == 201:
                self.acked.append(r.json["id"])
            else:
                self.refused.append(time.time())
            time.sleep(0.01)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join()


class Browser:
    """A cookie-keeping client for the HTML pages, as a phone's browser would be."""

    def __init__(self, server):
        self.s = server
        self.cookies = {}

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        return h

    def _keep(self, r):
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, rest = v.split("=", 1)
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        r.text = r.body.decode("utf-8", "replace")
        return r

    def get(self, path):
        return self._keep(self.s.request("GET", path, headers=self._headers()))

    def post(self, path, fields, csrf=True):
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = self.csrf
        elif csrf:
            fields["csrf"] = csrf
        body = urllib.parse.urlencode(fields)
        return self._keep(self.s.request("POST", path, body,
                          self._headers({"Content-Type": "application/x-www-form-urlencoded"}), raw=True))

    @property
    def csrf(self):
        page = self.get("/account" if "mend_session" in self.cookies else "/login")
        m = re.search(r'name="csrf" value="([^"]+)"', page.text)
        return m.group(1) if m else ""


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def test(fn):
    """Registers a test function; run_all runs them in order."""
    _results.append(fn)
    return fn


def run_all(label):
    passed = failed = 0
    print("1..%d" % len(_results))
    sys.stdout.flush()
    for i, fn in enumerate(_results, 1):
        name = "%s: %s" % (label, fn.__name__)
        try:
            fn()
            print("ok %d - %s" % (i, name))
            passed += 1
        except Exception:
            print("not ok %d - %s" % (i, name))
            for line in traceback.format_exc().splitlines():
                print("#   " + line)
            failed += 1
        sys.stdout.flush()
    ops = contract.operations()
    done = {(t, m) for t, m, _ in contract.seen}
    if done:
        print("# contract: %d of %d documented operations answered, every answer checked against docs/openapi.yaml" % (len(done & ops), len(ops)))
        if len(done & ops) * 2 > len(ops):  # a suite that means to cover the API: what it missed
            for t, m in sorted(ops - done):
                print("#   not answered here: %s %s" % (m.upper(), t))
    return failed


def stop_all():
    """Stops every server this suite started, whatever happened to the suite."""
    for s in list(_servers):
        try:
            s.stop()
        except Exception:
            s.proc.kill()


atexit.register(stop_all)


def _on_signal(sig, frame):
    stop_all()
    sys.exit(128 + sig)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)
