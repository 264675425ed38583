"""The counsellor's report, export and import, and erasure over real HTTP, on SQLite and on
PostgreSQL: a report holds no private entry and no other couple's data, its link expires and
can be revoked; an export round-trips through `mend import` (SQLite to PostgreSQL and back on
the PostgreSQL run) and compares equal; deleting an account erases what was private; erasing a
couple leaves no row of it in any table."""
import calendar, datetime, json, os, re, subprocess, tempfile, time
from harness import Server, Browser, test, check, eq
import harness
from test_foundation import srv, couple, signup, PW
from test_checkins import answers, iso_week


def api(tok, method, path, body=None, s=None):
    return (s or srv()).api(method, path, body, token=tok)


def today():
    return datetime.datetime.utcnow().date()


def mend(*args, stdin=None):
    return subprocess.run([harness.MEND] + list(args), capture_output=True, text=True, input=stdin)


def query(s, sql):
    return s.query(sql)


def couple_tables(s):
    if s.db_args[0] == "--db":
        names = [r[0] for r in query(s, "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [n for n in names if any(c[1] == "couple_id" for c in query(s, "PRAGMA table_info(%s)" % n))]
    return [r[0] for r in query(s, "SELECT table_name FROM information_schema.columns WHERE column_name = 'couple_id' "
                                   "AND table_schema = 'public'")]


def rows_of_couple(s, cid):
    n = {t: int(query(s, "SELECT COUNT(*) FROM %s WHERE couple_id = %d" % (t, cid))[0][0]) for t in couple_tables(s)}
    n["couples"] = int(query(s, "SELECT COUNT(*) FROM couples WHERE id = %d" % cid)[0][0])
    return n


def busy_couple():
    """A couple with something of every kind, shared and private."""
    a, b = couple()
    A, B = a["token"], b["token"]
    mk = "otter%d" % os.getpid()
    for tok in (A, B):
        eq(api(tok, "PUT", "/checkins/%s/answers" % iso_week(0), answers(5)).status, 200, "check-in")
    api(A, "PUT", "/checkins/%s/answers" % iso_week(-1), answers(4))  # B never answered that week: A's stays unrevealed
    r = api(A, "POST", "/journal", {"body": "We walked by the *river*."})
    api(A, "PATCH", "/journal/%d" % r.json["id"], {"in_report": True})
    api(B, "POST", "/journal/%d/additions" % r.json["id"], {"body": "It was cold and good."})
    api(A, "POST", "/journal", {"body": "A's private " + mk, "private": True})
    api(B, "POST", "/journal", {"body": "B's private " + mk, "private": True})
    api(B, "POST", "/journal", {"body": "B's shared note, not for reports"})
    api(A, "POST", "/feelings", {"emotion": "sad", "text": "A feels " + mk})
    api(A, "POST", "/feelings", {"emotion": "hopeful", "text": "Shared hope", "shared": True})
    api(B, "POST", "/forgiveness", {"about": "partner", "text": "B forgives " + mk})
    api(A, "POST", "/apologies", {"text": "A's draft " + mk})
    api(B, "PUT", "/closeness/kiss", {"choice": "not_for_me"})
    api(A, "PUT", "/closeness/walk", {"choice": "ready"})
    api(B, "POST", "/questions", {"text": "Where were you that night?"})
    api(B, "POST", "/setbacks", {"what": "A hard evening.", "severity": 3})
    ag = api(A, "POST", "/agreements", {"title": "Phones on the table", "text": "We keep our phones open to each other.",
                                         "category": "transparency"})
    api(B, "POST", "/agreements/%d/sign" % ag.json["id"])
    api(A, "POST", "/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}})
    api(A, "POST", "/values", {"text": "Honesty"})
    api(B, "POST", "/moments", {"title": "A walk", "kind": "date", "date": today().isoformat()})
    api(A, "PUT", "/path", {"path": "broke_trust"})
    lt = api(A, "POST", "/letters", {"kind": "disclosure", "body": "The facts as they were."}).json
    api(A, "POST", "/letters/%d/give" % lt["id"])
    api(A, "POST", "/letters", {"kind": "restitution", "body": "A's letter draft " + mk})
    api(B, "POST", "/hard-dates", {"title": "The day it came out", "date": today().isoformat()})
    api(A, "PUT", "/timeout-rule", {"minutes": 20, "text": "We meet in the kitchen."})
    api(B, "POST", "/timeouts")
    talk = api(A, "POST", "/talks", {"topic": "The evenings", "in_person": True}).json
    api(A, "POST", "/talks/%d/steps" % talk["id"], {"kind": "say", "text": "A's words aloud, not for reports"})
    api(A, "POST", "/rest")
    return a, b, mk


@test
def a_report_holds_the_shared_period_and_nothing_private():
    a, b, mk = busy_couple()
    A, B = a["token"], b["token"]
    x, _ = couple()
    api(x["token"], "POST", "/journal", {"body": "Another couple's words"})
    t = today()
    r = api(A, "POST", "/reports", {"from": (t - datetime.timedelta(days=30)).isoformat(), "to": t.isoformat()})
    eq(r.status, 201, "made")
    html, rid = r.json["html"], r.json["id"]
    for want in ["Report for a counsellor", "Acknowledge", "Phones on the table", "Call at lunch", "<svg", "A hard evening.",
                 "Where were you that night?", "<em>river</em>", "Ledger:", "Between sessions", "The day it came out",
                 "A disclosure by", "Time-outs taken in the period: 1", "in the period: 1, with 1 step."]:
        check(want in html, "the report holds " + want)
    for never in [mk, "Another couple", "B's shared note, not for reports", "not_for_me", "Shared hope", "The facts as they were.",
                  "A's words aloud", "The evenings"]:
        check(never not in html, "the report never holds " + never)
    # both partners see it was made, when and by whom
    seen = api(B, "GET", "/reports").json["reports"]
    eq([(x["id"], x["by"]) for x in seen], [(rid, a["user"]["id"])], "B sees A made it")
    br = Browser(srv())
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    check("made a" in br.get("/").text and "report for a counsellor" in br.get("/").text, "and B's home page says so")
    page = br.get("/reports/%d" % rid)
    eq(page.status, 200, "B reads it")
    check('href="/static/report.css' in page.text and "@media" not in page.text, "a page of its own with the print stylesheet")
    for body, field in [({"from": "2026-13-01", "to": t.isoformat()}, "from"), ({"from": t.isoformat(), "to": "2999-01-01"}, "to"),
                        ({"from": t.isoformat(), "to": (t - datetime.timedelta(days=1)).isoformat()}, "from"),
                        ({"from": "2020-01-01", "to": t.isoformat()}, "from")]:
        r = api(A, "POST", "/reports", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused %r" % (body,))
    eq(api(x["token"], "GET", "/reports/%d" % rid).status, 404, "another couple: not found")
    eq(api(x["token"], "POST", "/reports/%d/links" % rid, {"days": 3}).status, 404, "nor shared")
    eq(br.get("/reports").status, 200, "the reports page")


@test
def a_share_link_shows_the_report_only_until_it_expires_or_is_revoked():
    a, b, mk = busy_couple()
    A, B = a["token"], b["token"]
    t = today().isoformat()
    rid = api(A, "POST", "/reports", {"from": t, "to": t}).json["id"]
    for days in (0, 15, "7"):
        eq(api(A, "POST", "/reports/%d/links" % rid, {"days": days}).status, 422, "days %r refused" % (days,))
    r = api(A, "POST", "/reports/%d/links" % rid, {"days": 14})
    eq(r.status, 201, "a link")
    url, lid = r.json["url"], r.json["id"]
    path = url[url.index("/r/"):]
    page = srv().request("GET", path)
    eq(page.status, 200, "open without a session")
    text = page.body.decode()
    check("Report for a counsellor" in text and "<nav" not in text and "Log out" not in text, "the report and nothing else")
    check(mk not in text, "nothing private")
    eq(page.getheader("Cache-Control"), "no-store", "not cached")
    eq(r.getheader("Location"), "/api/v1/reports/%d" % rid, "the link lives in its report")
    eq([l["id"] for l in api(B, "GET", "/reports").json["reports"][0]["links"]], [lid], "B sees the open link")
    eq([l["id"] for l in api(B, "GET", "/reports/%d" % rid).json["links"]], [lid], "in the report itself too")
    check("url" not in api(B, "GET", "/reports").json["reports"][0]["links"][0], "its address is shown only once")
    x, _ = couple()
    xr = api(x["token"], "POST", "/reports", {"from": t, "to": t}).json["id"]
    eq(api(x["token"], "DELETE", "/reports/%d/links/%d" % (rid, lid)).status, 404, "another couple cannot revoke it")
    eq(api(x["token"], "DELETE", "/reports/%d/links/%d" % (xr, lid)).status, 404, "not through a report of their own either")
    other = api(A, "POST", "/reports", {"from": t, "to": t}).json["id"]
    eq(api(B, "DELETE", "/reports/%d/links/%d" % (other, lid)).status, 404, "a link is revoked through its own report")
    eq(api(B, "DELETE", "/reports/%d/links/%d" % (rid, lid)).status, 204, "either partner revokes it")
    eq(srv().request("GET", path).status, 404, "revoked: gone")
    eq(api(A, "DELETE", "/reports/%d/links/%d" % (rid, lid)).status, 404, "once")
    r = api(A, "POST", "/reports/%d/links" % rid, {"days": 1})
    path2 = r.json["url"][r.json["url"].index("/r/"):]
    srv().sql("UPDATE report_links SET expires_at = 1000 WHERE id = %d" % r.json["id"])
    eq(srv().request("GET", path2).status, 404, "expired: gone")
    eq(srv().request("GET", "/r/" + "x" * 43).status, 404, "unknown: gone")
    eq([r["links"] for r in api(A, "GET", "/reports").json["reports"]], [[], []], "no open links left")


@test
def the_operator_report_from_the_command_line():
    a, b, mk = busy_couple()
    cid = a["couple"]["id"]
    t = today().isoformat()
    r = mend("report", "--couple", str(cid), "--from", t, "--to", t, *srv().db_args)
    eq(r.returncode, 0, "mend report: " + r.stderr)
    check(r.stdout.startswith("<!DOCTYPE html>") and "<style>" in r.stdout and "@media print" in r.stdout, "standalone, print-ready")
    check("Phones on the table" in r.stdout and mk not in r.stdout, "shared only")
    made = api(a["token"], "GET", "/reports").json["reports"]
    eq([m["by"] for m in made], [None], "the couple sees the operator made one")
    for args, msg in [(("--couple", "x", "--from", t, "--to", t), "--couple"), (("--couple", str(cid), "--from", "soon", "--to", t), "--from"),
                      (("--couple", "1", "--from", t, "--to", t), "no couple"), (("--couple", str(cid), "--to", t), "--from")]:
        r = mend("report", *args, *srv().db_args)
        eq(r.returncode, 2, "exit 2 for %r" % (args,))
        check(msg in r.stderr, "says %s: %s" % (msg, r.stderr))


def without_time(doc):
    d = json.loads(doc) if isinstance(doc, (str, bytes)) else doc
    d.pop("exported_at")
    return d


@test
def exports_hold_what_the_reader_may_see():
    a, b, mk = busy_couple()
    A = a["token"]
    r = api(A, "GET", "/export")
    eq(r.status, 200, "export")
    check("attachment" in r.getheader("Content-Disposition"), "a download")
    d = r.json
    eq((d["format"], d["scope"], d["exported_by"]), ("mend-export/2", "partner", a["user"]["id"]), "format")
    text = r.body.decode()
    check("A's private " + mk in text and "A feels " + mk in text and "A's draft " + mk in text, "A's own private words, opened")
    check("B's private" not in text and "B forgives" not in text, "never B's private words")
    eq([c["user_id"] for c in d["tables"]["closeness_choices"]], [a["user"]["id"]], "only A's own closeness choices")
    eq(sorted(c["user_id"] for c in d["tables"]["checkin_answers"]), sorted([a["user"]["id"], b["user"]["id"], a["user"]["id"]]),
       "revealed answers and A's own")
    eq([c["user_id"] for c in d["tables"]["rest_choices"]], [a["user"]["id"]], "A's own wish to rest")
    eq(json.loads(api(b["token"], "GET", "/export").body)["tables"]["rest_choices"], [], "not told to B")
    check(all(r.get("sealed") is None for t in d["tables"].values() for r in t), "no ciphertext in an export")
    op = mend("export", "--couple", str(a["couple"]["id"]), *srv().db_args)
    eq(op.returncode, 0, "mend export: " + op.stderr)
    o = json.loads(op.stdout)
    eq((o["scope"], o["exported_by"]), ("operator", None), "the operator's")
    check(mk not in op.stdout and "not_for_me" not in op.stdout, "nothing private at all")
    eq(len(o["tables"]["journal_entries"]), 2, "the shared entries")
    eq(mend("export", "--couple", "12", *srv().db_args).returncode, 2, "no such couple: exit 2")


def restore(doc_text, db_args):
    """Imports a document into a database; returns {username: temporary password}."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(doc_text)
    r = mend("import", f.name, *db_args)
    eq(r.returncode, 0, "mend import: " + r.stderr)
    return dict(re.findall(r"^  (\S+)  (\S+)$", r.stdout, re.M))


def login_export(s, username, password):
    t = s.api("POST", "/login", {"username": username, "password": password})
    eq(t.status, 200, "log in on the restored copy")
    r = s.api("GET", "/export", token=t.json["token"])
    eq(r.status, 200, "export of the restored copy")
    return r.body.decode()


@test
def an_export_round_trips_through_import():
    a, b, mk = busy_couple()
    first = api(a["token"], "GET", "/export").body.decode()
    # into a fresh SQLite database, then (on the PostgreSQL run) into a fresh PostgreSQL one
    tmp = tempfile.mkdtemp(prefix="mend-import-")
    hops = [["--db", os.path.join(tmp, "copy.db")]]
    if harness.PG_ADMIN:
        hops.append(harness.fresh_db_args(tmp))
    doc = first
    for hop in hops:
        pw = restore(doc, hop)
        eq(sorted(pw), sorted([a["account"]["username"], b["account"]["username"]]), "both partners restored")
        s = Server(db_args=hop)
        try:
            doc = login_export(s, a["account"]["username"], pw[a["account"]["username"]])
            eq(without_time(doc), without_time(first), "the restored copy exports the same document (%s)" % hop[0])
            check(("A's private " + mk) in doc, "private words sealed again under the new password, and opened")
            eq(query(s, "SELECT COUNT(*) FROM journal_entries WHERE body LIKE '%%%s%%'" % mk)[0][0] in (0, "0"), True,
               "and not stored open")
            v = mend("verify", *hop)
            eq(v.returncode, 0, "the ledger verifies on the copy: " + v.stdout + v.stderr)
        finally:
            s.stop()
    # a document of the first format (times in seconds, days and weeks as day numbers) still imports
    def to_v1(d):
        secs = lambda t: calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ"))
        days = lambda t: (datetime.date.fromisoformat(t) - datetime.date(1970, 1, 1)).days
        week = lambda t: (datetime.date.fromisocalendar(int(t[:4]), int(t[6:]), 1) - datetime.date(1970, 1, 1)).days
        def col(k, v):
            if not isinstance(v, str):
                return v
            if k == "at" or k.endswith("_at"):
                return secs(v)
            if k == "day" or k.endswith("_day"):
                return days(v)
            return week(v) if k == "week" else v
        d = json.loads(d)
        d["format"] = "mend-export/1"
        d["couple"]["created_at"] = secs(d["couple"]["created_at"])
        d["users"] = [{k: col(k, v) for k, v in u.items()} for u in d["users"]]
        d["tables"] = {t: [{k: col(k, v) for k, v in row.items()} for row in rows] for t, rows in d["tables"].items()}
        return json.dumps(d)
    old_doc = to_v1(first)
    check('"created_at": 17' in old_doc or '"created_at":17' in old_doc, "the old document has times in seconds")
    hop = ["--db", os.path.join(tmp, "from-v1.db")]
    pw = restore(old_doc, hop)
    s = Server(db_args=hop)
    try:
        again = login_export(s, a["account"]["username"], pw[a["account"]["username"]])
        eq(without_time(again), without_time(first), "a mend-export/1 document imports as the same couple")
    finally:
        s.stop()
    r = mend("import", "-", *hops[0], stdin=first)
    eq(r.returncode, 2, "importing the same couple twice is refused")
    check("already" in r.stderr and "nothing was imported" in r.stderr, r.stderr)
    for bad, msg in [("{", "not JSON"), ('{"format":"other/1"}', "not a mend export"),
                     (json.dumps(dict(json.loads(first), tables=dict(json.loads(first)["tables"], answers=[{"id": "x"}]))),
                      "answers.id")]:
        r = mend("import", "-", "--db", os.path.join(tmp, "bad.db"), stdin=bad)
        eq(r.returncode, 2, "refused: " + msg)
        check(msg in r.stderr, "says why: " + r.stderr)
    eq(harness.query_db(["--db", os.path.join(tmp, "bad.db")], "SELECT COUNT(*) FROM couples")[0][0], 0,
       "a failed import leaves nothing")


@test
def deleting_an_account_erases_what_was_private_and_keeps_the_shared():
    s = srv()
    a, b, mk = busy_couple()
    A, B = a["token"], b["token"]
    eq(api(B, "POST", "/account/delete", {"password": "wrong password!"}).status, 422, "a wrong password changes nothing")
    eq(api(B, "POST", "/account/delete", {}).status, 422, "nor a missing one")
    eq(api(B, "GET", "/me").status, 200, "still there")
    eq(api(B, "POST", "/account/delete", {"password": PW}).status, 204, "deleted")
    eq(api(B, "GET", "/me").status, 401, "the session is gone")
    eq(s.api("POST", "/login", {"username": b["account"]["username"], "password": PW}).status, 401, "no log-in any more")
    cid, bid = a["couple"]["id"], b["user"]["id"]
    for table, col in [("journal_entries", "author_id"), ("forgiveness_notes", "author_id"), ("closeness_choices", "user_id"),
                       ("sessions", "user_id")]:
        eq(int(query(s, "SELECT COUNT(*) FROM %s WHERE couple_id = %d AND %s = %d AND %s" % (
            table, cid, col, bid, "is_private = 1" if table == "journal_entries" else "1 = 1"))[0][0]), 0, "B's private " + table)
    shared = [e["body"] for e in api(A, "GET", "/journal").json["entries"]]
    check("B's shared note, not for reports" in shared, "B's shared words stay for A")
    eq([p["deleted"] for p in api(A, "GET", "/me").json["couple"]["partners"]], [False, True], "A sees B left")
    # A alone can now erase the couple
    r = api(A, "POST", "/couple/erase", {"password": PW})
    eq(r.json["erased"], True, "erased")
    eq(api(A, "GET", "/me").status, 401, "and A's session with it")
    left = {t: n for t, n in rows_of_couple(s, cid).items() if n}
    eq(left, {}, "no row of the couple in any table")


@test
def the_last_partner_to_leave_takes_the_couple_with_them():
    s = srv()
    a = signup(s)
    api(a["token"], "POST", "/journal", {"body": "Alone here."})
    eq(api(a["token"], "POST", "/account/delete", {"password": PW}).status, 204, "deleted")
    left = {t: n for t, n in rows_of_couple(s, a["couple"]["id"]).items() if n}
    eq(left, {}, "nobody is left to keep the shared history for: nothing of the couple stays")


@test
def erasing_a_couple_needs_both():
    s = srv()
    a, b, mk = busy_couple()
    A, B = a["token"], b["token"]
    cid = a["couple"]["id"]
    eq(api(A, "POST", "/couple/erase", {"password": "not it at all"}).status, 422, "password checked")
    eq(api(A, "POST", "/couple/erase", {"password": PW}).json, {"erased": False, "mine": True, "partner": False}, "A asks")
    eq(api(B, "GET", "/couple/erase").json, {"erased": False, "mine": False, "partner": True}, "B sees the request")
    eq(api(A, "DELETE", "/couple/erase").status, 204, "A takes it back")
    eq(api(A, "GET", "/couple/erase").json["mine"], False, "taken back")
    eq(api(B, "POST", "/couple/erase", {"password": PW}).json["erased"], False, "B alone erases nothing")
    check(rows_of_couple(s, cid)["journal_entries"] > 0, "all still there")
    br = Browser(s)
    br.post("/login", {"username": a["account"]["username"], "password": PW})
    check("asked to erase your couple space" in br.get("/account").text, "the account page tells A")
    r = br.post("/couple/erase", {"erase_password": PW})
    check("Your couple space is erased" in r.text, "erased from the page")
    left = {t: n for t, n in rows_of_couple(s, cid).items() if n}
    eq(left, {}, "no row of the couple in any table")
    eq(api(B, "GET", "/me").status, 401, "B's session is gone too")
