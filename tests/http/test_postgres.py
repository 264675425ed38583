"""PostgreSQL going away and coming back, on a PostgreSQL server of this module's own (started
by scripts/pg-start, stopped and started again here): during the outage every request that
needs the database answers 503 with Retry-After (never "log in first", never a redirect to
/login) and /healthz says 503; once it is back mend serves again by itself within 5 seconds,
and no write it acknowledged is lost; a server started while the database is down waits for it."""
import glob, os, subprocess, tempfile, threading, time
from harness import Server, Browser, WriteLoad, test, check, eq
import harness

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PW = "a calm long password"


class Pg:
    """A PostgreSQL server of our own that can be stopped and started again."""

    def __init__(self):
        self.dir = subprocess.run([os.path.join(ROOT, "scripts", "pg-start")], capture_output=True, text=True,
                                  check=True).stdout.strip()
        self.conninfo = open(os.path.join(self.dir, "conninfo")).read().strip()
        self.port = dict(kv.split("=", 1) for kv in self.conninfo.split())["port"]
        self.bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]

    def ctl(self, *args):
        cmd = [self.bindir + "/pg_ctl", "-D", self.dir + "/data", "-w", "-t", "60"] + list(args)
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        self.ctl("-m", "fast", "stop")

    def start(self):
        self.ctl("-l", self.dir + "/server.log", "-o", "-c listen_addresses=127.0.0.1 -c port=%s -c unix_socket_directories=%s "
                 "-c fsync=off -c max_connections=200" % (self.port, self.dir), "start")

    def remove(self):
        subprocess.run([os.path.join(ROOT, "scripts", "pg-stop"), self.dir], check=False)


def signup(s, name):
    r = s.api("POST", "/signup", {"username": name, "password": PW, "display_name": name.title()})
    eq(r.status, 201, "signed up")
    return r.json


@test
def a_database_restart_costs_a_few_503s_and_no_acknowledged_write():
    pg = Pg()
    s = None
    try:
        s = Server(db_args=["--pg", pg.conninfo])
        a = signup(s, "outage_a")
        tok = a["token"]
        br = Browser(s)
        br.post("/login", {"username": "outage_a", "password": PW})
        eq(br.get("/").status, 200, "the home page, logged in")
        load = WriteLoad(s, tok)
        time.sleep(0.5)
        pg.stop()
        # the outage, as each kind of client sees it
        for _ in range(3):
            r = s.api("GET", "/me", token=tok)
            eq((r.status, r.json["error"]["code"]), (503, "db"), "the API: 503, not 401")
            check(r.getheader("Retry-After"), "with Retry-After")
            check("logged in" in r.json["error"]["message"], "and says the session is fine")
            page = br.get("/journal")
            eq(page.status, 503, "a page: 503, not a redirect to /login (%s)" % page.getheader("Location"))
            check("not answering" in page.text and "<html" in page.text, "a page that says so")
            eq(s.request("GET", "/healthz").status, 503, "/healthz says so")
            eq(s.request("GET", "/static/style.css").status, 200, "files of ours are still served")
            time.sleep(0.2)
        pg.start()
        back = time.time()
        while True:
            r = s.api("GET", "/me", token=tok)
            if r.status == 200:
                break
            eq(r.status, 503, "only 503 while it comes back")
            check(time.time() - back < 5, "mend serves again within 5 s of the database")
            time.sleep(0.1)
        took = time.time() - back
        time.sleep(0.5)
        load.stop()
        acked, statuses = load.acked, load.statuses
        check(took < 5, "back in %.2f s" % took)
        # each loop makes its own connection again, at most 2 s after its last try
        for _ in range(8):
            codes = [s.request("GET", "/healthz").status for _ in range(4)]
            if codes == [200] * 4:
                break
            time.sleep(0.5)
        eq(codes, [200] * 4, "/healthz is well again on every loop")
        eq(br.get("/journal").status, 200, "and the page, with the same session")
        check(statuses.get(201, 0) > 10 and set(statuses) <= {201, 503}, "writes answered 201 or 503: %r" % statuses)
        stored = {int(x) for (x,) in s.query("SELECT id FROM appreciations")}
        eq(sorted(set(acked) - stored), [], "every acknowledged write is stored (%d)" % len(acked))
        print("# outage: %d writes acknowledged, %r; served again %.2f s after the database" % (len(acked), statuses, took))
    finally:
        if s:
            s.stop()
        pg.remove()


@test
def a_server_started_while_the_database_is_down_waits_for_it():
    pg = Pg()
    s = None
    try:
        pg.stop()
        threading.Timer(2.0, pg.start).start()
        s = Server(db_args=["--pg", pg.conninfo])
        check("waiting for it" in s.output(), "it said it was waiting: " + s.output()[-300:])
        a = signup(s, "outage_b")
        eq(s.api("GET", "/me", token=a["token"]).status, 200, "and serves once the database is there")
    finally:
        if s:
            s.stop()
        pg.remove()


@test
def servers_started_at_the_same_moment_on_a_new_database_all_start():
    pg = Pg()
    servers = []
    try:
        results, lock = [], threading.Lock()

        def one():
            try:
                srv = Server(db_args=["--pg", pg.conninfo])
            except RuntimeError as e:
                with lock:
                    results.append(str(e)[-300:])
                return
            with lock:
                servers.append(srv)
                results.append(None)

        ts = [threading.Thread(target=one) for _ in range(12)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        eq([r for r in results if r], [], "every server started and migrated once")
        eq(len(servers), 12, "twelve servers")
        eq(servers[0].query("SELECT COUNT(*) FROM schema_migrations")[0][0], str(len(glob.glob(os.path.join(ROOT, "migrations", "*.sql")))),
           "each migration applied once")
    finally:
        for srv in servers:
            srv.stop()
        pg.remove()


@test
def two_servers_on_one_database_never_answer_from_a_stale_cache():
    one = Server(db_args=harness.fresh_db_args(tempfile.mkdtemp(prefix="mend-two-")))
    two = Server(db_args=one.db_args)
    try:
        a = signup(one, "two_a")
        inv = one.api("POST", "/invites", token=a["token"]).json
        b = two.api("POST", "/join", {"code": inv["code"], "username": "two_b", "password": PW, "display_name": "B"}).json
        A, B = a["token"], b["token"]
        for _ in range(4):  # whichever loop of each server answers, its cache warm
            eq(one.api("GET", "/program", token=A).json["ready"], {"me": False, "partner": False}, "nobody ready")
            eq([p["id"] for p in one.api("GET", "/me", token=A).json["couple"]["partners"]], [a["user"]["id"], b["user"]["id"]],
               "the partner who joined on the other server is there")
        eq(two.api("POST", "/program/ready", token=B).status, 200, "B ready, on the second server")
        for _ in range(4):
            eq(one.api("GET", "/program", token=A).json["ready"], {"me": False, "partner": True}, "the first server knows at once")
        one.api("PUT", "/closeness/walk", {"choice": "ready"}, token=A)
        for _ in range(4):
            eq(two.api("GET", "/closeness/walk", token=A).json["mine"], "ready", "a choice made on one, read on the other")
        for _ in range(4):
            eq(two.api("GET", "/inbox", token=B).json["items"], [], "nothing waits for B yet")
        q = one.api("POST", "/questions", {"text": "Asked on the first server"}, token=A).json["id"]
        for _ in range(4):
            eq([(i["kind"], i["id"]) for i in two.api("GET", "/inbox", token=B).json["items"]], [("question_answer", q)],
               "the second server's list has it at once")
        two.api("POST", "/questions/%d/answers" % q, {"text": "Answered on the second"}, token=B)
        for _ in range(4):
            eq(one.api("GET", "/inbox", token=B).json["items"], [], "and the first's has it gone at once")
    finally:
        two.stop()
        one.stop()


@test
def seeding_postgresql_in_its_pipeline_keeps_every_row_and_every_refusal():
    db = harness.fresh_db_args(tempfile.mkdtemp(prefix="mend-seed-"))
    lite = ["--db", os.path.join(tempfile.mkdtemp(prefix="mend-seed-"), "seed.db")]
    for args in (db, lite):
        r = subprocess.run([harness.MEND, "seed", "--couples", "3", "--years", "1"] + args, capture_output=True, text=True)
        eq(r.returncode, 0, "seeded: " + r.stderr)
    tables = ["couples", "users", "journal_entries", "journal_additions", "ledger", "promise_reports", "appreciations", "questions"]
    counts = lambda args: [int(harness.query_db(args, "SELECT COUNT(*) FROM %s" % t)[0][0]) for t in tables]
    eq(counts(db), counts(lite), "the same rows as SQLite's seed (%s)" % ", ".join(tables))
    for args in (db, lite):  # hundreds of entries appended in one transaction a couple
        v = subprocess.run([harness.MEND, "verify"] + args, capture_output=True, text=True)
        eq(v.returncode, 0, "every ledger verifies: " + v.stdout + v.stderr)
    again = subprocess.run([harness.MEND, "seed", "--couples", "1", "--years", "1"] + db, capture_output=True, text=True)
    check(again.returncode != 0 and "already exists" in again.stderr and "\n" not in again.stderr.strip(),
          "a write refused inside the pipeline is still refused, on one line: " + again.stderr)
    eq(counts(db)[0], 3, "and nothing of it was kept")
    s = Server(db_args=db)
    try:
        r = s.api("POST", "/login", {"username": "seed1a", "password": "seed password"})
        eq(r.status, 200, "a seeded partner logs in")
        check(len(s.api("GET", "/journal", token=r.json["token"]).json["entries"]) > 0, "and reads the journal")
    finally:
        s.stop()


def psql_session(conninfo):
    """An open psql session of our own (as another program on the database would hold one)."""
    conn = dict(kv.split("=", 1) for kv in conninfo.split())
    return subprocess.Popen(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", conn["host"], "-p", conn["port"],
                             "-U", conn["user"], "-d", conn["dbname"]],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@test
def a_stalled_backend_holds_only_the_requests_waiting_on_it():
    """A couple's row held by another session (a long transaction, a stalled backend): that
    couple's writes wait for it, and nothing else does: static files, /healthz, the other
    couple's reads and writes and pages go on being answered while they wait."""
    s = Server()
    held = None
    try:
        a = signup(s, "stall_a")
        b = signup(s, "stall_b")
        br = Browser(s)
        br.post("/login", {"username": "stall_b", "password": PW})
        couple = s.query("SELECT couple_id FROM users WHERE username = 'stall_a'")[0][0]
        held = psql_session(s.db_args[1])
        held.stdin.write("BEGIN; SELECT id FROM couples WHERE id = %s FOR UPDATE;\n" % couple)
        held.stdin.flush()
        eq(held.stdout.readline().strip(), str(couple), "the couple's row is held by another session")
        waiting = {}

        def write(k):
            waiting[k] = s.api("POST", "/feelings", {"emotion": "sad", "text": "waiting %d" % k}, token=a["token"]).status

        writers = [threading.Thread(target=write, args=(k,)) for k in range(2)]
        for t in writers:
            t.start()
        time.sleep(0.5)
        slowest = 0.0
        for i in range(20):
            for method, path, fn in (("GET", "/static/style.css", lambda: s.request("GET", "/static/style.css")),
                                     ("GET", "/healthz", lambda: s.request("GET", "/healthz")),
                                     ("GET", "/api/v1/me", lambda: s.api("GET", "/me", token=b["token"])),
                                     ("POST", "/api/v1/feelings", lambda: s.api("POST", "/feelings", {"emotion": "calm"}, token=b["token"])),
                                     ("GET", "/", lambda: br.get("/"))):
                t0 = time.time()
                r = fn()
                slowest = max(slowest, time.time() - t0)
                check(r.status in (200, 201), "%s %s answered while another couple waits: %d" % (method, path, r.status))
        check(not waiting, "the held couple's writes are still waiting (%s)" % waiting)
        print("# with one couple's row held: the slowest of 100 other requests took %.1f ms" % (slowest * 1000))
        check(slowest < 1.0, "nobody else waited for the held row (slowest %.3f s)" % slowest)
        held.stdin.write("COMMIT;\n")
        held.stdin.flush()
        for t in writers:
            t.join()
        eq(sorted(waiting.values()), [201] * 2, "the waiting writes were saved once the row was free")
        eq(int(s.query("SELECT COUNT(*) FROM feelings f JOIN users u ON u.id = f.author_id WHERE u.username = 'stall_a'")[0][0]),
           2, "each of them once")
    finally:
        if held:
            held.kill()
        s.stop()


@test
def serialization_failures_and_deadlocks_are_tried_again_a_few_times():
    """PostgreSQL may refuse a transaction for a serialization failure (40001) or a deadlock
    (40P01), no one's mistake: the request runs again by itself, a bounded number of times,
    and only then answers 503 with Retry-After, having saved nothing."""
    s = Server()
    try:
        a = signup(s, "retry_a")
        s.sql("CREATE SEQUENCE retry_probe; CREATE TABLE retry_limit (fail_until int, code text); "
              "INSERT INTO retry_limit VALUES (2, '40001'); "
              "CREATE FUNCTION retry_probe() RETURNS trigger AS $$ DECLARE l retry_limit; BEGIN "
              "SELECT * INTO l FROM retry_limit; IF nextval('retry_probe') <= l.fail_until THEN "
              "RAISE EXCEPTION 'probe' USING ERRCODE = l.code; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; "
              "CREATE TRIGGER retry_probe BEFORE INSERT ON feelings FOR EACH ROW EXECUTE FUNCTION retry_probe()", bump=False)
        r = s.api("POST", "/feelings", {"emotion": "sad", "text": "tried twice before"}, token=a["token"])
        eq(r.status, 201, "saved on the third run, after two serialization failures")
        eq(s.query("SELECT last_value FROM retry_probe")[0][0], "3", "three runs")
        eq(len(s.api("GET", "/feelings", token=a["token"]).json["feelings"]), 1, "saved once")
        s.sql("UPDATE retry_limit SET fail_until = 1000, code = '40P01'; SELECT setval('retry_probe', 100)", bump=False)
        r = s.api("POST", "/feelings", {"emotion": "sad", "text": "never"}, token=a["token"])
        eq(r.status, 503, "a deadlock every time: 503 after a few runs")
        check(r.headers.get("retry-after"), "with Retry-After")
        check("Nothing was saved" in r.json["error"]["message"], "and it says nothing was saved: " + r.json["error"]["message"])
        eq(s.query("SELECT last_value FROM retry_probe")[0][0], "104", "four runs, not more")
        eq(len(s.api("GET", "/feelings", token=a["token"]).json["feelings"]), 1, "nothing of it kept")
    finally:
        s.stop()


@test
def a_client_that_gives_up_while_its_request_waits_costs_nothing_else():
    """The client goes (a phone losing its signal, an HTTP/2 stream cancelled) while a database
    thread is still working on its request: the answer is dropped, nothing else is disturbed,
    and the server stops cleanly afterwards. Over HTTP/1 and HTTP/2 (TLS)."""
    tmp = tempfile.mkdtemp(prefix="mend-tls-")
    cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
    s = Server("--db-threads", "3", tls=(cert, key))
    held = None
    try:
        a = signup(s, "gone_a")
        b = signup(s, "gone_b")
        couple = s.query("SELECT couple_id FROM users WHERE username = 'gone_a'")[0][0]
        held = psql_session(s.db_args[1])
        held.stdin.write("BEGIN; SELECT id FROM couples WHERE id = %s FOR UPDATE;\n" % couple)
        held.stdin.flush()
        eq(held.stdout.readline().strip(), str(couple), "the couple's row is held by another session")
        url = "https://127.0.0.1:%d/api/v1/feelings" % s.port
        gave_up = [subprocess.Popen(["curl", "-sk", "--%s" % v, "--max-time", "0.5", "-o", "/dev/null", "-w", "%{http_code}",
                                     "-H", "Authorization: Bearer " + a["token"], "-H", "Content-Type: application/json",
                                     "-d", '{"emotion":"sad","text":"given up %d"}' % k, url],
                                    stdout=subprocess.PIPE, text=True) for k, v in enumerate(["http2", "http1.1"] * 2)]
        for p in gave_up:
            eq(p.wait(), 28, "the client gave up waiting (curl's timeout)")
        eq(s.request("GET", "/static/style.css").status, 200, "static files are served meanwhile")
        held.stdin.write("ROLLBACK;\n")
        held.stdin.flush()
        time.sleep(1)
        # three of the four waited on the three threads, and were saved once the row was free;
        # the fourth was still waiting for a thread when its client went: it was never run
        eq(int(s.query("SELECT COUNT(*) FROM feelings f JOIN users u ON u.id = f.author_id WHERE u.username = 'gone_a'")[0][0]),
           3, "the requests that had started were finished, the one whose client went first was not run")
        eq(s.request("GET", "/healthz").status, 200, "the server is well once the row is free")
        r = s.api("POST", "/feelings", {"emotion": "calm"}, token=a["token"])
        eq(r.status, 201, "and the couple that waited is answered again")
        s.stop()
        eq(s.proc.wait(timeout=20), 0, "the server stops cleanly")
        check("ERROR: AddressSanitizer" not in s.output(), "no memory error")
    finally:
        if held:
            held.kill()
        s.stop()
