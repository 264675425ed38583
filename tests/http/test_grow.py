"""Reconnect and grow over real HTTP, on SQLite and on PostgreSQL: the journal with sealed
private entries (the marker word never reaches the disk, a backup or a dump), closeness steps
that show only matches, moments and appreciations, values and goals, setbacks on the chart,
forgiveness notes and letting the past rest; another couple's ids are never found."""
import datetime, glob, os, re, subprocess, tempfile
from harness import Browser, test, check, eq, MEND
import harness
from test_foundation import srv, couple, signup, PW
from test_checkins import answers, iso_week


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def login(username, password=PW):
    r = srv().api("POST", "/login", {"username": username, "password": password})
    eq(r.status, 200, "login " + str(r.body))
    return r.json["token"]


@test
def journal_shared_private_and_written_together():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/journal", {"body": "Just for me: I am *tired*.", "private": True})
    eq((r.status, r.json["private"], r.json["locked"]), (201, True, False), "a private entry")
    secret_id = r.json["id"]
    r = api(A, "POST", "/journal", {"body": "We walked by the river.\n\n- cold\n- **good**"})
    eq((r.status, r.json["private"]), (201, False), "a shared entry")
    shared_id = r.json["id"]
    seen = api(B, "GET", "/journal").json["entries"]
    eq([e["id"] for e in seen], [shared_id], "the partner sees only the shared one")
    eq(api(B, "POST", "/journal/%d/additions" % secret_id, {"body": "Hi"}).status, 404, "nor can add to the private one")
    r = api(B, "POST", "/journal/%d/additions" % shared_id, {"body": "It was *good*."})
    eq((r.status, r.json["by"]), (201, b["user"]["id"]), "an addition, signed by its author")
    r = api(A, "POST", "/journal/%d/additions" % secret_id, {"body": "Later: less tired."})
    eq(r.status, 201, "the author adds to a private one")
    mine = {e["id"]: e for e in api(A, "GET", "/journal").json["entries"]}
    eq(sorted(mine), sorted([secret_id, shared_id]), "the author sees both")
    eq([(x["by"], x["body"]) for x in mine[shared_id]["additions"]], [(b["user"]["id"], "It was *good*.")], "with additions")
    eq(mine[secret_id]["body"], "Just for me: I am *tired*.", "private words opened with the author's key")
    eq(mine[secret_id]["additions"][0]["body"], "Later: less tired.", "and its addition")
    for body, field in [({"body": " "}, "body"), ({"body": "x" * 20001}, "body"), ({"body": 4}, "body"),
                        ({"body": "ok", "private": "yes"}, "private")]:
        r = api(A, "POST", "/journal", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused %r" % (body,)[:40])
    eq(len(api(A, "GET", "/journal").json["entries"]), 2, "nothing added by bad input")
    x, _ = couple()
    eq(api(x["token"], "POST", "/journal/%d/additions" % shared_id, {"body": "Hi"}).status, 404, "another couple: not found")
    eq(api(x["token"], "GET", "/journal").json["entries"], [], "another couple sees nothing")
    # the page renders Markdown without raw HTML
    br = Browser(srv())
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    api(A, "POST", "/journal", {"body": "_soft_ [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>"})
    page = br.get("/journal").text
    check("<strong>good</strong>" in page and "<li>cold</li>" in page, "Markdown rendered")
    check("<script>alert" not in page and "javascript:" not in page and "onerror" not in page, "raw HTML and script links dropped")
    check("<em>soft</em>" in page, "the rest kept")
    check("tired" not in page, "nothing private on the partner's page")
    # rendered words are kept by their text: shown again alike, and what is new is rendered at once
    again = br.get("/journal").text
    eq((again.count("<strong>good</strong>"), again.count("<em>soft</em>")), (1, 1), "the page again, rendered alike")
    api(A, "POST", "/journal/%d/additions" % shared_id, {"body": "And **later**, _warm_."})
    again = br.get("/journal").text
    check("<strong>later</strong>, <em>warm</em>" in again and "<strong>good</strong>" in again, "a new addition rendered at once")
    r = br.post("/journal/%d/additions" % shared_id, {"body-%d" % shared_id: "   "})
    check(r.status == 200 and "aria-invalid" in r.text, "an empty addition: the form again with its error")
    r = br.post("/journal", {"body": "From the page.", "private": "on"})
    eq(r.status, 303, "a private entry from the page")
    check("From the page." in br.get("/journal").text, "shown to its author")
    # the two buttons: what the page chose, and a save that says who can see it
    r = br.post("/journal", {"body": "Kept by the button.", "visibility": "private"})
    check(r.getheader("Location") == "/journal?saved=private", "kept private")
    check("Saved. Only you can see this." in br.get("/journal?saved=private").text, "said so")
    r = br.post("/journal", {"body": "Shared by the button.", "visibility": "shared"})
    check(r.getheader("Location") == "/journal?saved=shared", "shared")
    check("Shared with " in br.get("/journal?saved=shared").text, "said so, naming the partner")
    r = br.post("/journal", {"body": "Neither button."})
    check(r.getheader("Location") == "/journal?saved=private", "a page that chose nothing keeps it private")
    seen = {e["body"] for e in api(A, "GET", "/journal").json["entries"]}
    check("Shared by the button." in seen and "Kept by the button." not in seen and "Neither button." not in seen,
          "the partner sees only what was shared")
    # the readable export: the same words as the JSON, tool by tool, and nothing of the other's private ones
    r = br.get("/account/export.html")
    eq(r.status, 200, "the page to keep")
    check(r.getheader("Content-Type").startswith("text/html") and "attachment" in r.getheader("Content-Disposition"), "a file")
    page = r.text
    check("What we wrote in mend" in page and 'id="journal_entries"' in page and "Kept by the button." in page
          and "We walked by the river." in page, "the journal, with this partner's private words")
    check("I am *tired*" not in page, "never the other's private words")
    check("<script" not in page.lower(), "no script in it")


def marker_everywhere(s, marker):
    """Where the marker word can be found: the database file, its WAL, a backup, a dump."""
    found = []
    if s.db_args[0] == "--db":
        db = s.db_args[1]
        for path in [db, db + "-wal"]:
            if os.path.exists(path) and marker.encode() in open(path, "rb").read():
                found.append(os.path.basename(path))
        out = os.path.join(s.tmp, "backup-%s.db" % marker)
        r = subprocess.run([harness.MEND, "backup", out, "--db", db], capture_output=True, text=True)
        eq(r.returncode, 0, "backup " + r.stderr)
        if marker.encode() in open(out, "rb").read():
            found.append("backup")
    else:
        conn = dict(kv.split("=", 1) for kv in s.db_args[1].split())
        bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        dump = subprocess.run([bindir + "/pg_dump", "-h", conn["host"], "-p", conn["port"], "-U", conn["user"], conn["dbname"]],
                              capture_output=True)
        eq(dump.returncode, 0, "pg_dump " + dump.stderr.decode())
        check(b"journal_entries" in dump.stdout, "the dump holds the tables")
        if marker.encode() in dump.stdout:
            found.append("pg_dump")
    return found


@test
def sealed_entries_never_reach_the_disk_in_the_clear():
    s = srv()
    a, b = couple()
    A = a["token"]
    marker = "pelican%d" % os.getpid()
    eq(api(A, "POST", "/journal", {"body": "Only mine: " + marker, "private": True}).status, 201, "private entry")
    eq(api(A, "POST", "/feelings", {"emotion": "sad", "text": "feeling " + marker}).status, 201, "private feeling")
    eq(api(A, "POST", "/forgiveness", {"about": "partner", "text": "forgive " + marker}).status, 201, "forgiveness note")
    r = api(A, "POST", "/apologies", {"text": "I am sorry I lied about " + marker + ". It was my choice and it hurt you."})
    eq(r.status, 201, "an apology draft")
    draft = r.json["id"]
    eq(api(A, "PATCH", "/apologies/%d" % draft, {"text": "I am sorry I lied to you about " + marker + ". I chose it."}).status, 200,
       "rewritten")
    shared = "shared%d" % os.getpid()
    eq(api(A, "POST", "/journal", {"body": "For both: " + shared}).status, 201, "a shared entry, as a control")
    eq(marker_everywhere(s, marker), [], "the private words are nowhere on disk")
    check(marker_everywhere(s, shared), "while shared words are (the check can see text)")
    # a new session opens them again; the partner never
    A2 = login(a["account"]["username"])
    eq([e["body"] for e in api(A2, "GET", "/journal").json["entries"] if e["private"]], ["Only mine: " + marker], "re-opened")
    eq([f["text"] for f in api(A2, "GET", "/feelings").json["feelings"]], ["feeling " + marker], "the feeling too")
    check(marker not in api(b["token"], "GET", "/journal").body.decode(), "never for the partner")
    check(marker not in api(b["token"], "GET", "/apologies").body.decode(), "nor the draft")
    eq(api(A2, "GET", "/apologies").json["apologies"][0]["text"], "I am sorry I lied to you about " + marker + ". I chose it.",
       "the draft opens for its author")
    eq(api(A2, "POST", "/apologies/%d/deliver" % draft).status, 200, "given")
    eq(api(b["token"], "GET", "/apologies").json["apologies"][0]["text"], "I am sorry I lied to you about " + marker + ". I chose it.",
       "once given, the partner reads it")
    # a password change rewraps the key: the new password opens them, the old one logs in no more
    eq(api(A2, "PUT", "/account/password", {"current_password": PW, "new_password": "another calm password"}).status, 204, "changed")
    A3 = login(a["account"]["username"], "another calm password")
    eq([n["text"] for n in api(A3, "GET", "/forgiveness").json["notes"]], ["forgive " + marker], "open after the change")
    eq([e["locked"] for e in api(A3, "GET", "/journal").json["entries"] if e["private"]], [False], "not locked")
    # a session without the key (made before keys existed) refuses to seal, and says how to fix it
    s.sql("UPDATE sessions SET sealed_key = NULL WHERE user_id = %d" % a["user"]["id"])
    r = api(A3, "POST", "/journal", {"body": "x", "private": True})
    eq((r.status, r.json["error"]["code"]), (409, "locked"), "locked")
    check("log in again" in r.json["error"]["message"].lower(), "says how to open them")
    eq([e["locked"] for e in api(A3, "GET", "/journal").json["entries"] if e["private"]], [True], "shown as locked")
    A4 = login(a["account"]["username"], "another calm password")
    eq([e["body"] for e in api(A4, "GET", "/journal").json["entries"] if e["private"]], ["Only mine: " + marker], "a new log-in opens them")


@test
def words_from_before_sealing_are_sealed_at_the_next_log_in():
    s = srv()
    a, b = couple()
    c, u = a["couple"]["id"], a["user"]["id"]
    # as a database from before sealing holds them: open text
    s.sql("INSERT INTO feelings (couple_id, id, author_id, emotion, text, shared, created_at) "
          "VALUES (%d, 4242, %d, 'sad', 'an old private feeling', 0, 1000)" % (c, u))
    s.sql("INSERT INTO apologies (couple_id, id, author_id, text, created_at, updated_at) "
          "VALUES (%d, 4343, %d, 'an old draft', 1000, 1000)" % (c, u))
    A = login(a["account"]["username"])
    rows = s.query("SELECT text, sealed IS NOT NULL FROM feelings WHERE couple_id = %d AND id = 4242" % c)
    eq([(r[0], str(r[1]).lower() in ("1", "t", "true")) for r in rows], [("", True)], "the feeling is sealed now")
    rows = s.query("SELECT text, sealed IS NOT NULL FROM apologies WHERE couple_id = %d AND id = 4343" % c)
    eq([(r[0], str(r[1]).lower() in ("1", "t", "true")) for r in rows], [("", True)], "the draft too")
    eq([f["text"] for f in api(A, "GET", "/feelings").json["feelings"]], ["an old private feeling"], "still the author's to read")
    eq([x["text"] for x in api(A, "GET", "/apologies").json["apologies"]], ["an old draft"], "and the draft")
    eq(api(b["token"], "GET", "/feelings").json["feelings"], [], "never the partner's")


@test
def closeness_shows_only_what_both_are_ready_for():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "GET", "/closeness").json
    check(len(r["steps"]) >= 10 and all(s["mine"] is None for s in r["steps"]), "steps, none chosen")
    eq([x["id"] for x in r["steps"] if x["matched"]], [], "no matches")
    eq(api(A, "PUT", "/closeness/walk", {"choice": "ready"}).status, 200, "A ready for a walk")
    eq(api(B, "PUT", "/closeness/walk", {"choice": "not_yet"}).status, 200, "B not yet")
    eq(api(A, "PUT", "/closeness/hug", {"choice": "ready"}).status, 200, "A ready for a hug")
    eq(api(B, "PUT", "/closeness/hug", {"choice": "not_for_me"}).status, 200, "B: not for me")
    matches = lambda tok: [x["id"] for x in api(tok, "GET", "/closeness").json["steps"] if x["matched"]]
    for tok in (A, B):
        eq(matches(tok), [], "no match while one is not ready")
    body = api(A, "GET", "/closeness").body.decode()
    check("not_yet" not in body and "not_for_me" not in body, "A's answer never holds B's choices")
    r = api(B, "PUT", "/closeness/walk", {"choice": "ready"})
    eq((r.json["id"], r.json["mine"], r.json["matched"]), ("walk", "ready", False), "both ready today: not yet a match")
    eq(matches(A), [], "so marking ready and taking it back tells nothing")
    c = a["couple"]["id"]
    srv().sql("UPDATE closeness_choices SET updated_at = updated_at - 86400 WHERE couple_id = %d" % c)
    for _ in range(4):  # whichever event loop answers, and whatever it kept from before
        eq(matches(A), ["walk"], "the next day: a match")
    eq(api(A, "PUT", "/closeness/walk", {"choice": "ready"}).json["matched"], True, "saying ready again keeps its day")
    eq(api(A, "GET", "/closeness/walk").json, {"id": "walk", "title": "A walk together", "mine": "ready", "matched": True},
       "one step, as the list shows it")
    ra = api(A, "GET", "/closeness").json
    eq({s["id"]: s["mine"] for s in ra["steps"]}["hug"], "ready", "and only their own choice")
    eq(api(A, "PUT", "/closeness/walk", {"choice": "not_yet"}).json["matched"], False, "a change of mind at any time")
    eq(api(A, "PUT", "/closeness/flying", {"choice": "ready"}).status, 404, "unknown step")
    for bad in [{"choice": "maybe"}, {"choice": 1}, {}]:
        r = api(A, "PUT", "/closeness/walk", bad)
        eq((r.status, r.json["error"]["field"]), (422, "choice"), "refused %r" % (bad,))
    x, _ = couple()
    eq(matches(x["token"]), [], "another couple: nothing")
    # the page: B's own choices, the match, and nothing of A's
    br = Browser(srv())
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    r = br.post("/closeness", {"step-talk": "ready", "step-kiss": "not_yet"})
    check("Your choices are saved" in r.text, "saved from the page")
    eq({s["id"]: s["mine"] for s in api(B, "GET", "/closeness").json["steps"]}["kiss"], "not_yet", "stored")
    r = br.post("/closeness", {"step-talk": "sometimes"})
    check("Choose ready, not yet or not for me" in r.text, "a bad value: an error")


@test
def moments_with_a_note_from_each_and_appreciations():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/moments", {"title": "Dinner at the harbour", "kind": "date", "date": "2026-12-05"})
    eq((r.status, r.json["done"], r.json["date"]), (201, False, "2026-12-05"), "planned")
    mid = r.json["id"]
    eq(api(B, "PATCH", "/moments/%d" % mid, {"note": "Looking forward to it."}).status, 200, "B's note")
    r = api(A, "PATCH", "/moments/%d" % mid, {"done": True, "date": "2026-12-06", "note": "Lovely, even the rain."})
    eq(r.status, 200, "done, with A's note")
    m = r.json
    eq((m["id"], m["done"], m["date"]), (mid, True, "2026-12-06"), "lived, on the day given: the moment as it now is")
    eq(sorted((n["by"], n["note"]) for n in m["notes"]),
       sorted([(a["user"]["id"], "Lovely, even the rain."), (b["user"]["id"], "Looking forward to it.")]), "a note from each")
    for body, field in [({"title": "", "date": "2026-12-01"}, "title"), ({"title": "x", "date": "soon"}, "date"),
                        ({"title": "x", "date": "2026-12-01", "kind": "party"}, "kind")]:
        r = api(A, "POST", "/moments", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused %r" % (body,))
    eq(api(A, "PATCH", "/moments/%d" % mid, {"note": ""}).json["error"]["field"], "note", "an empty note")
    eq(len(api(A, "GET", "/moments").json["moments"]), 1, "nothing added by bad input")
    r = api(B, "POST", "/appreciations", {"text": "Thank you for cooking when I was tired."})
    eq((r.status, r.json["by"]), (201, b["user"]["id"]), "an appreciation")
    eq([x["text"] for x in api(A, "GET", "/appreciations").json["appreciations"]], ["Thank you for cooking when I was tired."],
       "shown to the partner")
    eq(api(A, "POST", "/appreciations", {"text": "x" * 501}).status, 422, "too long")
    x, _ = couple()
    eq(api(x["token"], "PATCH", "/moments/%d" % mid, {"note": "hi"}).status, 404, "another couple's moment: not found")
    eq(api(x["token"], "GET", "/appreciations").json["appreciations"], [], "and none of their thanks")
    br = Browser(srv())
    br.post("/login", {"username": a["account"]["username"], "password": PW})
    page = br.get("/moments").text
    check("Dinner at the harbour" in page and "Looking forward to it." in page and "cooking" in page, "the page")
    r = br.post("/moments", {"title": "A class together", "kind": "activity", "date": "2026-12-20"})
    eq(r.status, 303, "planned from the page")
    new = [m for m in api(A, "GET", "/moments").json["moments"] if m["title"] == "A class together"][0]
    eq(br.post("/moments/%d/done" % new["id"], {}).status, 303, "done from the page")
    eq([m["done"] for m in api(A, "GET", "/moments").json["moments"] if m["id"] == new["id"]], [True], "stored")


@test
def values_affirmed_by_the_other_and_goals_with_progress():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/values", {"text": "Honesty, even when it is hard."})
    eq((r.status, r.json["affirmed"]), (201, False), "proposed")
    vid = r.json["id"]
    eq(api(A, "POST", "/values/%d/affirm" % vid).status, 403, "not by the one who proposed it")
    r = api(B, "POST", "/values/%d/affirm" % vid)
    eq((r.status, r.json["id"], r.json["affirmed"]), (200, vid, True), "affirmed by the other: the value as it now is")
    eq(api(B, "POST", "/values/%d/affirm" % vid).status, 409, "once")
    eq(api(A, "POST", "/values", {"text": ""}).json["error"]["field"], "text", "empty refused")
    r = api(A, "POST", "/goals", {"title": "A week away next summer", "steps": ["Choose a place", {"text": "Save money", "done": True}]})
    eq((r.status, r.json["progress"], len(r.json["steps"])), (201, 0.5, 2), "a goal with steps")
    gid = r.json["id"]
    r = api(B, "PATCH", "/goals/%d" % gid, {"steps": [{"text": "Choose a place", "done": True}, {"text": "Save money", "done": True},
                                                   {"text": "Book it"}]})
    eq((r.status, r.json["title"], r.json["progress"]), (200, "A week away next summer", 0.67), "progress by either")
    for body, field in [({"title": ""}, "title"), ({"title": "x", "steps": "all"}, "steps"),
                        ({"title": "x", "steps": [{"text": ""}]}, "steps"), ({"title": "x", "steps": ["a"] * 31}, "steps")]:
        r = api(A, "POST", "/goals", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused %r" % (body,)[:40])
    eq(len(api(A, "GET", "/goals").json["goals"]), 1, "nothing added by bad input")
    x, _ = couple()
    X = x["token"]
    eq(api(X, "POST", "/values/%d/affirm" % vid).status, 404, "another couple's value")
    eq(api(X, "PATCH", "/goals/%d" % gid, {"title": "mine"}).status, 404, "another couple's goal")
    eq(api(X, "GET", "/values").json["values"], [], "sees no values")
    br = Browser(srv())
    br.post("/login", {"username": a["account"]["username"], "password": PW})
    r = br.post("/goals/%d" % gid, {"done-0": "on", "step-%d" % gid: "Pack"})
    eq(r.status, 303, "progress from the page")
    g = api(A, "GET", "/goals").json["goals"][0]
    eq([(s["text"], s["done"]) for s in g["steps"]], [("Choose a place", True), ("Save money", False), ("Book it", False),
                                                      ("Pack", False)], "checkboxes and a new step")
    check("2 of 4 steps done" not in br.get("/values").text and "1 of 4 steps done" in br.get("/values").text, "the page counts")


@test
def setbacks_are_logged_and_marked_without_resetting_anything():
    a, b = couple()
    A, B = a["token"], b["token"]
    # a revealed check-in this week and last, so the chart exists
    for w in (-1, 0):
        for tok in (A, B):
            eq(api(tok, "PUT", "/checkins/%s/answers" % iso_week(w), answers(5)).status, 200, "check-in")
    today = datetime.datetime.utcnow().date()
    r = api(B, "POST", "/setbacks", {"what": "A song in the shop brought it all back.", "severity": 4, "helped": "Talking that evening."})
    eq((r.status, r.json["date"], r.json["severity"]), (201, today.isoformat(), 4), "logged today")
    for body, field in [({"what": "x", "severity": 0}, "severity"), ({"what": "x", "severity": 6}, "severity"),
                        ({"what": "", "severity": 2}, "what"), ({"what": "x", "severity": 2, "date": "2999-01-01"}, "date"),
                        ({"what": "x", "severity": "2"}, "severity")]:
        r = api(A, "POST", "/setbacks", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused %r" % (body,))
    eq([s["severity"] for s in api(A, "GET", "/setbacks").json["setbacks"]], [4], "both see it; nothing added by bad input")
    m = api(A, "GET", "/measures").json
    eq(m["setbacks"], [today.isoformat()], "in the measures")
    eq(len(m["weeks"]), 2, "the weeks before still count")
    br = Browser(srv())
    br.post("/login", {"username": a["account"]["username"], "password": PW})
    page = br.get("/dashboard").text
    check('class="setback"' in page and "1 setback in these weeks" in page, "marked on the chart and said in words")
    x, _ = couple()
    eq(api(x["token"], "GET", "/setbacks").json["setbacks"], [], "another couple sees none")


@test
def forgiveness_is_private_until_shared():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(B, "POST", "/forgiveness", {"about": "partner", "text": "Not ready. Some days closer."})
    eq((r.status, r.json["shared"]), (201, False), "a sealed note")
    nid = r.json["id"]
    eq(api(A, "GET", "/forgiveness").json["notes"], [], "the partner sees nothing of it")
    eq(api(A, "POST", "/forgiveness/%d/share" % nid).status, 404, "nor can share it")
    eq(api(A, "POST", "/forgiveness", {"about": "self", "text": "Trying to forgive myself."}).status, 201, "for oneself")
    eq(api(A, "POST", "/forgiveness", {"about": "them", "text": "x"}).json["error"]["field"], "about", "about refused")
    r = api(B, "POST", "/forgiveness/%d/share" % nid)
    eq((r.status, r.json["id"], r.json["shared"]), (200, nid, True), "its author shares it")
    eq([(n["text"], n["shared"]) for n in api(A, "GET", "/forgiveness").json["notes"] if n["by"] == b["user"]["id"]],
       [("Not ready. Some days closer.", True)], "now the partner reads it")
    eq(api(B, "POST", "/forgiveness/%d/share" % nid).status, 409, "shared once")
    x, _ = couple()
    eq(api(x["token"], "POST", "/forgiveness/%d/share" % nid).status, 404, "another couple: not found")


@test
def the_past_rests_only_when_both_choose_it():
    a, b = couple()
    A, B = a["token"], b["token"]
    eq(api(A, "POST", "/rest").json, {"resting": False, "since": None, "mine": True}, "A's choice alone rests nothing")
    eq(api(B, "GET", "/rest").json, {"resting": False, "since": None, "mine": False}, "B is not told of it")
    eq(api(A, "DELETE", "/rest").status, 204, "A takes it back")
    eq(api(B, "POST", "/rest").json, {"resting": False, "since": None, "mine": True}, "B's answer says nothing of a choice taken back")
    eq(api(B, "GET", "/rest").json["resting"], False, "so B's choice alone rests nothing")
    r = api(A, "POST", "/rest").json
    check(r["resting"] and r["since"] and r["mine"], "A's choice, with B's, lets it rest")
    r = api(A, "GET", "/rest").json
    check(r["resting"] and r["since"], "both: it rests")
    br = Browser(srv())
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    home = br.get("/").text
    check('href="/archive"' in home and 'href="/questions"' not in home, "out of daily view, into the archive")
    check('href="/questions"' in br.get("/archive").text, "the archive opens them")
    eq(br.get("/questions").status, 200, "still readable")
    eq(api(B, "DELETE", "/rest").status, 204, "either brings it back")
    check('href="/questions"' in br.get("/").text, "back in daily view")
    eq(api(A, "GET", "/rest").json, {"resting": False, "since": None, "mine": True}, "withdrawing cleared only B's own choice")
