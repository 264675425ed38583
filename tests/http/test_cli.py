"""The command line: help, versions, usage errors (exit 2), init, backup, a schema newer than
the binary, and serving TLS with HTTP/2 through ALPN."""
import os, re, sqlite3, subprocess, tempfile
import harness
from harness import Server, test, check, eq

PW = "a calm long password"


def mend(*args, env=None):
    e = dict(os.environ)
    e.pop("MEND_DB", None)
    e.pop("MEND_PG", None)
    e.update(env or {})
    return subprocess.run([harness.MEND] + list(args), capture_output=True, text=True, env=e, timeout=60)


@test
def help_and_version():
    r = mend("version")
    eq(r.returncode, 0, "version")
    check(r.stdout.startswith("mend "), "version text")
    r = mend("help")
    eq(r.returncode, 0, "help")
    for c in ("serve", "init", "backup", "version", "help", "report", "export", "import"):
        check("  " + c in r.stdout, "help lists " + c)
    for c in ("serve", "init", "backup"):
        r = mend(c, "--help")
        eq(r.returncode, 0, c + " --help")
        check(r.stdout.startswith("usage: mend " + c), c + " usage")
        eq(mend("help", c).stdout, r.stdout, "help " + c)


@test
def bad_arguments_exit_2_with_a_reason():
    for args, words in [(("frobnicate",), "unknown command"), (("serve", "--bogus"), "unknown option --bogus"),
                        (("serve", "--listen"), "needs a value"), (("serve", "--listen", "8080"), "ADDR:PORT"),
                        (("serve", "--loops", "zero"), "positive number"), (("backup",), "mend backup FILE"),
                        (("init", "--db", "a", "--pg", "b"), "either --db or --pg"), (("version", "x"), "no arguments"),
                        (("help", "nope"), "unknown command")]:
        r = mend(*args)
        eq(r.returncode, 2, "exit code for %r" % (args,))
        check(words in r.stderr, "%r says %r: %r" % (args, words, r.stderr))
    r = mend()
    eq(r.returncode, 2, "no command")


@test
def init_backup_and_environment():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "m.db")
    r = mend("init", env={"MEND_DB": db})
    eq(r.returncode, 0, "init via MEND_DB: " + r.stderr)
    check(os.path.exists(db), "database created")
    s = Server(db_args=["--db", db])
    try:
        eq(s.api("POST", "/signup", {"username": "backupme", "password": PW, "display_name": "B"}).status, 201, "signup")
        out = os.path.join(tmp, "copy.db")
        r = mend("backup", out, "--db", db)  # while the server runs
        eq(r.returncode, 0, "backup: " + r.stderr)
        con = sqlite3.connect(out)
        eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity")
        eq(con.execute("SELECT username FROM users").fetchall(), [("backupme",)], "data in the copy")
        con.close()
        r = mend("backup", out, "--db", db)
        eq(r.returncode, 2, "refuses to overwrite")
        check("exists already" in r.stderr, "says why")
        r = mend("backup", os.path.join(tmp, "x.db"), "--pg", "host=127.0.0.1 port=1")
        eq(r.returncode, 2, "PostgreSQL backup")
        check("pg_dump" in r.stderr, "points at pg_dump")
        r = mend("backup", os.path.join(tmp, "y.db"), "--db", os.path.join(tmp, "absent.db"))
        eq(r.returncode, 2, "no database")
    finally:
        s.stop()


@test
def a_newer_schema_is_refused():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "new.db")
    eq(mend("init", "--db", db).returncode, 0, "init")
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=DELETE")  # as a backup is: mend would switch it to WAL
    con.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
    con.commit()
    con.close()
    before = open(db, "rb").read()
    for args in (("init", "--db", db), ("serve", "--db", db, "--listen", "127.0.0.1:%d" % harness.free_port())):
        r = mend(*args)
        eq(r.returncode, 1, "refused: %r" % (args,))
        check("schema version 999" in r.stderr and "newer mend" in r.stderr, "clear message: " + r.stderr)
    eq(open(db, "rb").read(), before, "nothing changed, not even the journal mode in the header")
    check(not os.path.exists(db + "-wal"), "and no WAL was made")


@test
def a_migration_changed_after_it_was_applied_is_refused():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "old.db")
    eq(mend("init", "--db", db).returncode, 0, "init")
    con = sqlite3.connect(db)
    sums = dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    check(all(len(v or "") == 64 for v in sums.values()), "every applied migration has its checksum")
    # as if migration 3 had been edited after this database was made
    con.execute("UPDATE schema_migrations SET checksum = '%s' WHERE version = 3" % ("0" * 64))
    con.commit()
    con.close()
    before = open(db, "rb").read()
    r = mend("serve", "--db", db, "--listen", "127.0.0.1:%d" % harness.free_port())
    eq(r.returncode, 1, "refused")
    check("0003_commitments.sql" in r.stderr and "different form" in r.stderr, "names the migration: " + r.stderr)
    eq(open(db, "rb").read(), before, "nothing changed")
    # a database from before checksums gets them on its next start, and then starts
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_migrations SET checksum = NULL")
    con.commit()
    con.close()
    eq(mend("init", "--db", db).returncode, 0, "an older database is accepted")
    con = sqlite3.connect(db)
    eq(dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall()), sums, "and its checksums recorded")
    con.close()


@test
def migrations_are_append_only():
    import hashlib
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    known = {}
    for line in open(os.path.join(root, "tests", "migrations.sha256")):
        digest, name = line.split()
        known[name] = digest
    files = sorted(f for f in os.listdir(os.path.join(root, "migrations")) if f.endswith(".sql"))
    for name, digest in known.items():
        check(name in files, "released migration %s is still there" % name)
        got = hashlib.sha256(open(os.path.join(root, "migrations", name), "rb").read()).hexdigest()
        eq(got, digest, "released migration %s is unchanged (add a new one instead)" % name)
    for name in files:
        check(name in known, "new migration %s is listed in tests/migrations.sha256" % name)


@test
def restore_puts_a_backup_back_safely_after_a_crash():
    import signal
    tmp = tempfile.mkdtemp()
    db, bak = os.path.join(tmp, "live.db"), os.path.join(tmp, "backup.db")
    s = Server(db_args=["--db", db])
    first = s.api("POST", "/signup", {"username": "before_backup", "password": PW, "display_name": "B"})
    eq(first.status, 201, "an account before the backup")
    eq(mend("backup", bak, "--db", db).returncode, 0, "backup")
    eq(open(bak, "rb").read(100)[18:20], b"\x01\x01", "the backup is in rollback-journal mode")
    eq(s.api("POST", "/signup", {"username": "after_backup", "password": PW, "display_name": "A"}).status, 201, "and one after")
    r = mend("restore", bak, "--db", db)
    eq(r.returncode, 1, "refused while the server holds the database")
    check("stop it first" in r.stderr, "clear message: " + r.stderr)
    s.stop(signal.SIGKILL)  # a crash: the WAL and its index stay behind
    check(os.path.exists(db + "-wal"), "a stale WAL is left")
    bad = os.path.join(tmp, "bad.db")
    open(bad, "wb").write(b"SQLite format 3\x00" + b"\x10" * 4000)
    before = open(db, "rb").read()
    r = mend("restore", bad, "--db", db)
    eq(r.returncode, 1, "a damaged backup is refused")
    check("nothing was changed" in r.stderr, r.stderr)
    eq(open(db, "rb").read(), before, "and the database is as it was")
    r = mend("restore", bak, "--db", db)
    eq(r.returncode, 0, "restored: " + r.stderr)
    check("ledger" in r.stdout and "intact" in r.stdout, r.stdout)
    check(not os.path.exists(db + "-wal") and not os.path.exists(db + "-shm"), "the stale WAL is gone")
    s = Server(db_args=["--db", db])
    eq(s.api("POST", "/login", {"username": "before_backup", "password": PW}).status, 200, "the backup's account is there")
    eq(s.api("POST", "/login", {"username": "after_backup", "password": PW}).status, 401, "what came after is not")
    s.stop()
    con = sqlite3.connect(db)
    eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "and the database is sound")
    con.close()


@test
def a_damaged_database_is_not_served():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "d.db")
    eq(mend("init", "--db", db).returncode, 0, "init")
    data = bytearray(open(db, "rb").read())
    for i in range(4096, 4096 + 12):  # scribble over the second page's b-tree header
        data[i] = 0x5A
    open(db, "wb").write(bytes(data))
    r = mend("serve", "--db", db, "--listen", "127.0.0.1:%d" % harness.free_port())
    eq(r.returncode, 1, "refused")
    check("damaged" in r.stderr and "mend restore" in r.stderr, "says what to do: " + r.stderr)


@test
def tls_with_http2():
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
    port = harness.free_port()
    db = os.path.join(tmp, "t.db")
    p = subprocess.Popen([harness.MEND, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                          "--tls-cert", cert, "--tls-key", key], stderr=subprocess.PIPE, text=True)
    try:
        out = ""
        for _ in range(100):
            r = subprocess.run(["curl", "-sk", "--http2", "-o", "/dev/null", "-D", "-", "https://127.0.0.1:%d/" % port],
                               capture_output=True, text=True)
            out = r.stdout
            if r.returncode == 0:
                break
            subprocess.run(["sleep", "0.1"])
        check(out.startswith("HTTP/2 200"), "HTTP/2 over TLS: %r" % out[:40])
        check("strict-transport-security" in out.lower(), "HSTS over TLS")
        r = subprocess.run(["curl", "-sk", "--http1.1", "-o", "/dev/null", "-w", "%{http_version}",
                            "https://127.0.0.1:%d/healthz" % port], capture_output=True, text=True)
        eq(r.stdout, "1.1", "HTTP/1.1 over TLS too")
    finally:
        p.terminate()
        p.wait(20)
    r = mend("serve", "--db", db, "--tls-cert", cert)
    eq(r.returncode, 2, "cert without key")


def coach(text, *args):
    e = dict(os.environ)
    return subprocess.run([harness.MEND, "coach"] + list(args), input=text, capture_output=True, env=e, timeout=30)


@test
def coach_from_the_command_line():
    import json
    text = "I'm sorry if you felt hurt. You always twist my words.".encode()
    r = coach(text, "--json")
    eq(r.returncode, 0, "exit")
    j = json.loads(r.stdout)
    eq(sorted(j), ["components", "kind", "patterns", "summary"], "shape")
    eq(j["kind"], "apology", "default kind")
    eq(j["components"]["regret"], True, "regret")
    eq([p["id"] for p in j["patterns"]], ["conditional", "absolute"], "patterns in order")
    for p in j["patterns"]:
        eq(text[p["start"]:p["end"]].decode(), p["text"], "span is a byte range of the input")
        check(p["why"], "a reason")
    r = coach("Tu es là ? ¿Dónde estás? You never call.".encode(), "--kind", "message", "--json")
    p = json.loads(r.stdout)["patterns"][0]
    eq("Tu es là ? ¿Dónde estás? You never call.".encode()[p["start"]:p["end"]], b"You never", "UTF-8 byte offsets")
    r = coach(text)
    check(b"[x] regret" in r.stdout and b"conditional at 4-21" in r.stdout, "human output: %r" % r.stdout[:200])
    for bad, words in [(b"", b"nothing to read"), (b"  \n ", b"nothing to read"), (b"\xff\xfe", b"not UTF-8"),
                       (b"a" * (64 * 1024 + 1), b"64 KiB")]:
        r = coach(bad)
        eq(r.returncode, 2, "exit 2 for %r" % bad[:10])
        check(words in r.stderr, "says why: %r" % r.stderr)
    r = coach(b"hello", "--kind", "poem")
    eq(r.returncode, 2, "bad kind")
    # --lang: the text's language picks the rules, and the reasons come in it
    de = "Es tut mir leid, aber du übertreibst.".encode()
    j = json.loads(coach(de, "--lang", "de", "--json").stdout)
    eq((j["components"]["regret"], [p["id"] for p in j["patterns"]]), (True, ["minimizing"]), "German read with German rules")
    eq(de[j["patterns"][0]["start"]:j["patterns"][0]["end"]].decode(), "du übertreibst", "the span on the bytes as written")
    check("Schmerz" in j["patterns"][0]["why"] and "Teile" in j["summary"], "and explained in German: %r" % j["summary"])
    j = json.loads(coach(de, "--json").stdout)
    eq((j["components"]["regret"], j["patterns"]), (False, []), "without --lang, English rules: nothing found")
    r = coach(b"hello", "--lang", "xx")
    eq(r.returncode, 2, "a language mend does not speak")
    check(b"en, de, fr, es" in r.stderr, "says which: %r" % r.stderr)
    eq(coach(b"x" * (64 * 1024)).returncode, 0, "64 KiB exactly is fine")


@test
def seed_fills_every_kind_and_the_ledger_verifies():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "seed.db")
    r = mend("seed", "--couples", "3", "--years", "1", "--db", db)
    eq(r.returncode, 0, "seed: " + r.stderr)
    con = sqlite3.connect(db)
    for table in ("users", "sessions", "breach_accounts", "feelings", "questions", "answers", "apologies",
                  "agreements", "promises", "promise_reports", "ledger", "journal_entries", "journal_additions",
                  "closeness_choices", "moments", "moment_notes", "appreciations", "shared_values", "goals", "goal_steps",
                  "setbacks", "forgiveness_notes"):
        check(con.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0] > 0, "seeded " + table)
    con.close()
    r = mend("verify", "--db", db)
    eq(r.returncode, 0, "verify: " + r.stdout)
    eq(mend("seed", "--couples", "0", "--db", db).returncode, 2, "a bad count")
    s = Server(db_args=["--db", db])
    try:
        r = s.api("POST", "/login", {"username": "seed2b", "password": "seed password"})
        eq(r.status, 200, "seeded users log in")
        notes = s.api("GET", "/forgiveness", token=r.json["token"]).json["notes"]
        eq([n["text"] for n in notes], ["Closer than last month. Not there yet."], "their sealed entries open with the password")
        eq([x["id"] for x in s.api("GET", "/closeness", token=r.json["token"]).json["steps"] if x["matched"]], ["talk", "walk", "meal"],
       "matches, in the steps' order")
    finally:
        s.stop()


def commands():
    """The commands `mend help` lists."""
    out = mend("help").stdout
    return [line.split()[0] for line in out.split("commands:\n", 1)[1].split("\n\n", 1)[0].splitlines() if line.strip()]


@test
def every_command_answers_help_and_the_readme_agrees():
    names = commands()
    check(len(names) >= 12, "help lists the commands (%s)" % names)
    readme = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")).read()
    synopsis = readme.split("## Command line", 1)[1].split("```", 2)[1]
    for c in names:
        r = mend(c, "--help")
        eq(r.returncode, 0, c + " --help")
        check(r.stdout.startswith("usage: mend " + c), c + " --help shows its usage")
        eq(mend("help", c).stdout, r.stdout, "mend help %s is mend %s --help" % (c, c))
        lines = [l for l in synopsis.splitlines() if l.startswith("mend %s " % c) or l.strip() == "mend " + c]
        check(lines, "the README's synopsis has mend " + c)
        usage = r.stdout.splitlines()[0]
        for flag in sorted(set(re.findall(r"--[a-z][a-z-]*", usage))):
            check(any(flag in l for l in lines), "the README's mend %s shows %s, as its usage does" % (c, flag))


@test
def unknown_couples_and_future_reports_are_refused():
    tmp = tempfile.mkdtemp(prefix="mend-cli-")
    db = os.path.join(tmp, "m.db")
    eq(mend("init", "--db", db).returncode, 0, "init")
    for args in (("verify", "--couple", "424242"), ("report", "--couple", "424242", "--from", "2026-01-01", "--to", "2026-01-31"),
                 ("export", "--couple", "424242")):
        r = mend(*(args + ("--db", db)))
        eq(r.returncode, 2, "mend %s for a couple that does not exist" % args[0])
        check("no couple 424242" in r.stderr, "it says so: " + r.stderr)
    seeded = mend("seed", "--couples", "1", "--years", "1", "--db", db)
    eq(seeded.returncode, 0, "seed: " + seeded.stderr)
    couple = str(sqlite3.connect(db).execute("SELECT id FROM couples").fetchone()[0])
    r = mend("report", "--couple", couple, "--from", "2030-01-01", "--to", "2030-01-31", "--db", db)
    eq(r.returncode, 2, "a report that ends in the future, refused as the API refuses it")
    check("future" in r.stderr, r.stderr)
    eq(mend("verify", "--couple", couple, "--db", db).returncode, 0, "a couple that exists verifies")
