"""A counsellor in the loop over real HTTP, on SQLite and on PostgreSQL: `mend counsellor add`
and its one-time password; one partner asks, the other agrees, either ends it, with races; the
counsellor's list with its signs, the live report of only the chosen parts, notes sealed under
the counsellor's key, suggestions in both inboxes; the couple's log of every opening; the
ledger; isolation (another counsellor, another couple, ended access, a partner on counsellor
routes: 404); export and erasure."""
import json, re, subprocess, threading
import harness
from harness import Browser, test, check, eq
from test_foundation import srv, couple, uniq, PW
from test_checkins import answers, iso_week
from test_inbox import page_of
from mailsink import mail_srv, mails, refuse, wait_mail


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def add_counsellor(name=None, s=None):
    """A counsellor made by the operator, logged in with their own password: (username, token)."""
    s = s or srv()
    user = name or uniq("counsellor")
    p = subprocess.run([harness.MEND, "counsellor", "add", user, "--name", "Dr. " + user.title()] + s.db_args,
                       capture_output=True, text=True)
    eq(p.returncode, 0, "mend counsellor add: " + p.stderr)
    once = p.stdout.strip().split("\n")[-1].strip()
    r = s.api("POST", "/login", {"username": user, "password": once})
    eq(r.status, 200, "logs in with the password given")
    tok = r.json["token"]
    r = s.api("PUT", "/account/password", {"current_password": once, "new_password": PW}, token=tok)
    eq(r.status, 204, "chooses their own")
    return user, s.api("POST", "/login", {"username": user, "password": PW}).json["token"]


def unmailed(s, cid):
    """The couple's invitations whose code is still kept to be mailed."""
    return int(s.query("SELECT COUNT(*) FROM counsellor_invites WHERE couple_id = %d AND code_mail IS NOT NULL" % cid)[0][0])


def mailed(s, cid, to):
    """The mails to that address once mend has heard the mail server take it (the sink keeps a
    mail a moment before mend hears its 250 and forgets the code)."""
    import time
    got = wait_mail(to)
    end = time.time() + 15
    while time.time() < end and unmailed(s, cid):
        time.sleep(0.1)
    return got


def let_in(a, b, user, tools=None):
    body = {"counsellor": user}
    if tools is not None:
        body["tools"] = tools
    r = api(a["token"], "POST", "/counsellor-access", body)
    eq(r.status, 201, "asked: %s" % r.body)
    eq(api(b["token"], "POST", "/counsellor-access/%d/agree" % r.json["id"]).status, 200, "agreed")
    return r.json["id"]


@test
def the_operator_adds_a_counsellor_whose_first_password_opens_nothing_but_the_account():
    s = srv()
    user = uniq("counsellor")
    bad = subprocess.run([harness.MEND, "counsellor", "add", user] + s.db_args, capture_output=True, text=True)
    eq((bad.returncode, "--name" in bad.stderr), (2, True), "a name is needed")
    p = subprocess.run([harness.MEND, "counsellor", "add", user, "--name", "Dr. Reyes"] + s.db_args, capture_output=True, text=True)
    eq(p.returncode, 0, p.stderr)
    again = subprocess.run([harness.MEND, "counsellor", "add", user, "--name", "X"] + s.db_args, capture_output=True, text=True)
    eq((again.returncode, "taken" in again.stderr), (2, True), "a username once")
    listed = subprocess.run([harness.MEND, "counsellor", "list"] + s.db_args, capture_output=True, text=True).stdout
    check("%s\tDr. Reyes" % user in listed, "listed: %r" % listed)
    once = p.stdout.strip().split("\n")[-1].strip()
    tok = s.api("POST", "/login", {"username": user, "password": once}).json["token"]
    r = api(tok, "GET", "/counsellor/couples")
    eq((r.status, r.json["error"]["code"]), (403, "password_change"), "their own password first")
    me = api(tok, "GET", "/me")
    eq((me.status, me.json["account"]["role"]), (200, "counsellor"), "/me says who they are")
    eq(api(tok, "PUT", "/account/password", {"current_password": once, "new_password": PW}).status, 204, "changed")
    tok = s.api("POST", "/login", {"username": user, "password": PW}).json["token"]
    r = api(tok, "GET", "/counsellor/couples")
    eq((r.status, r.json), (200, {"couples": []}), "nothing until a couple lets them in")
    # a counsellor holds no couple's tools, and cannot invite a partner into their space
    for method, path in (("GET", "/questions"), ("POST", "/invites"), ("GET", "/inbox"), ("GET", "/export")):
        eq(api(tok, method, path).status, 404, "%s %s is not theirs" % (method, path))
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": user, "password": PW}).status, 303, "logs in on the page")
    home = br.get("/")
    eq(home.status, 303, "home leads to their couples")
    page = br.get("/counsellor").text
    check("Your couples" in page and "No couple has let you in yet" in page, "their list, empty")


@test
def one_partner_asks_the_other_agrees_and_only_then_the_counsellor_sees():
    a, b = couple()
    user, C = add_counsellor()
    A, B = a["token"], b["token"]
    cid = a["couple"]["id"]
    eq(api(A, "POST", "/counsellor-access", {"counsellor": "nobody_here"}).json["error"]["field"], "counsellor", "unknown")
    eq(api(A, "POST", "/counsellor-access", {"counsellor": b["account"]["username"]}).status, 422, "a partner is no counsellor")
    eq(api(A, "POST", "/counsellor-access", {"counsellor": user, "tools": ["diary"]}).json["error"]["field"], "tools", "unknown part")
    eq(api(A, "POST", "/counsellor-access", {"counsellor": user, "tools": []}).json["error"]["field"], "tools", "none")
    r = api(A, "POST", "/counsellor-access", {"counsellor": user, "tools": ["agreements", "questions"]})
    eq((r.status, r.json["state"], r.json["tools"]), (201, "asked", ["agreements", "questions"]), "asked")
    aid = r.json["id"]
    eq(api(A, "POST", "/counsellor-access", {"counsellor": user}).status, 409, "asked once")
    eq(api(C, "GET", "/counsellor/couples").json["couples"], [], "nothing before the other agrees")
    eq(api(C, "GET", "/counsellor/couples/%d/report" % cid).status, 404, "nor the report")
    waits = [x for x in api(B, "GET", "/inbox").json["items"] if x["kind"] == "counsellor_agree"]
    eq([x["id"] for x in waits], [aid], "it waits in B's inbox")
    eq(api(A, "POST", "/counsellor-access/%d/agree" % aid).json["error"]["code"], "not_your_turn", "the asker cannot agree")
    r = api(B, "POST", "/counsellor-access/%d/agree" % aid)
    eq((r.status, r.json["state"], r.json["agreed_by"]), (200, "active", b["user"]["id"]), "agreed")
    eq(api(B, "POST", "/counsellor-access/%d/agree" % aid).status, 409, "once")
    listed = api(C, "GET", "/counsellor/couples").json["couples"]
    eq([(x["id"], sorted(x["names"])) for x in listed], [(cid, sorted([a["user"]["display_name"], "B"]))], "now they see the couple")
    check(set(listed[0]["signs"]) >= {"trust", "checkins_missed", "setbacks", "stuck", "open_questions", "promises_kept"},
          "with the signs: %r" % listed[0]["signs"])
    rep = api(C, "GET", "/counsellor/couples/%d/report" % cid)
    eq(rep.status, 200, "the live report")
    check("Agreements" in rep.json["html"] and "Open questions" in rep.json["html"], "the chosen parts")
    check("Promises" not in rep.json["html"] and "Trust" not in rep.json["html"], "and only those")
    log = api(A, "GET", "/counsellor-access/%d/log" % aid).json["views"]
    eq([v["page"] for v in log], ["api_report"], "the couple sees the opening")
    kinds = [e["kind"] for e in api(A, "GET", "/ledger").json["entries"]]
    eq(kinds[-2:], ["counsellor_asked", "counsellor_agreed"], "in the ledger")
    eq(api(A, "DELETE", "/counsellor-access/%d" % aid).status, 204, "either ends it, at once")
    r = api(B, "GET", "/counsellor-access/%d" % aid)
    eq((r.json["state"], r.json["ended_by"]), ("ended", a["user"]["id"]), "and both see it ended")
    eq(api(C, "GET", "/counsellor/couples/%d/report" % cid).status, 404, "gone for the counsellor")
    eq(api(C, "GET", "/counsellor/couples").json["couples"], [], "and from their list")
    br = Browser(srv())
    br.get("/login")
    br.post("/login", {"username": user, "password": PW})
    check("ended your access" in br.get("/counsellor").text, "the counsellor sees that it ended")
    eq(api(B, "DELETE", "/counsellor-access/%d" % aid).status, 409, "ended once")
    eq(api(A, "GET", "/ledger").json["entries"][-1]["kind"], "counsellor_ended", "in the ledger too")


@test
def two_partners_asking_at_once_make_one_access_and_agreeing_and_ending_at_once_end_it():
    a, b = couple()
    user, C = add_counsellor()
    out = []
    def ask(tok):
        out.append(api(tok, "POST", "/counsellor-access", {"counsellor": user}).status)
    ts = [threading.Thread(target=ask, args=(t,)) for t in (a["token"], b["token"])]
    for t in ts: t.start()
    for t in ts: t.join()
    eq(sorted(out), [201, 409], "one access")
    acc = api(a["token"], "GET", "/counsellor-access").json["accesses"]
    eq(len(acc), 1, "one row")
    aid, asker = acc[0]["id"], acc[0]["asked_by"]
    other = b if asker == a["user"]["id"] else a
    res = {}
    def agree():
        res["agree"] = api(other["token"], "POST", "/counsellor-access/%d/agree" % aid).status
    def end():
        res["end"] = api((a if other is b else b)["token"], "DELETE", "/counsellor-access/%d" % aid).status
    ts = [threading.Thread(target=agree), threading.Thread(target=end)]
    for t in ts: t.start()
    for t in ts: t.join()
    final = api(a["token"], "GET", "/counsellor-access/%d" % aid).json
    eq(res["end"], 204, "ending always holds")
    eq(final["state"], "ended", "whatever the order, it ended")
    eq(api(C, "GET", "/counsellor/couples/%d/report" % a["couple"]["id"]).status, 404, "and nothing is visible")


@test
def notes_are_sealed_for_the_counsellor_and_suggestions_reach_both_inboxes():
    a, b = couple()
    user, C = add_counsellor()
    cid = a["couple"]["id"]
    let_in(a, b, user)
    secret = "zebra%d" % cid
    r = api(C, "POST", "/counsellor/couples/%d/notes" % cid, {"text": "Session one: " + secret})
    eq(r.status, 201, "a note")
    eq(api(C, "POST", "/counsellor/couples/%d/notes" % cid, {"text": ""}).json["error"]["field"], "text", "a note has words")
    notes = api(C, "GET", "/counsellor/couples/%d/notes" % cid).json["notes"]
    eq([n["text"] for n in notes], ["Session one: " + secret], "the counsellor reads it again")
    rows = srv().query("SELECT sealed FROM counsellor_notes WHERE couple_id = %d" % cid)
    v = rows[0][0] if rows else None
    stored = bytes(v) if isinstance(v, (bytes, bytearray, memoryview)) else str(v).encode()
    check(v is not None and secret.encode() not in stored and secret.encode().hex().encode() not in stored, "sealed at rest")
    for tok in (a["token"], b["token"]):
        eq(api(tok, "GET", "/counsellor/couples/%d/notes" % cid).status, 404, "the couple never sees notes")
    export = api(a["token"], "GET", "/export")
    check(secret not in export.body.decode(), "nor in their export")
    r = api(C, "POST", "/counsellor/couples/%d/suggestions" % cid, {"text": "This week, try the meeting agenda."})
    eq(r.status, 201, "a suggestion")
    sid = r.json["id"]
    for who in (a, b):
        items = [x for x in api(who["token"], "GET", "/inbox").json["items"] if x["kind"] == "counsellor_suggestion"]
        eq([x["id"] for x in items], [sid], "in each inbox")
    eq([x["text"] for x in api(a["token"], "GET", "/counsellor-suggestions").json["suggestions"]],
       ["This week, try the meeting agenda."], "with its words")
    eq(api(a["token"], "DELETE", "/counsellor-suggestions/%d" % sid).status, 204, "A sets it aside")
    eq([x for x in api(a["token"], "GET", "/inbox").json["items"] if x["kind"] == "counsellor_suggestion"], [], "gone for A")
    eq(len([x for x in api(b["token"], "GET", "/inbox").json["items"] if x["kind"] == "counsellor_suggestion"]), 1,
       "still there for B")


@test
def nobody_reaches_a_couple_they_were_not_let_into():
    a, b = couple()
    c, d = couple()
    user, C = add_counsellor()
    _, other = add_counsellor()
    cid, did = a["couple"]["id"], c["couple"]["id"]
    aid = let_in(a, b, user)
    for tok, who in ((other, "another counsellor"), (C, "the counsellor, on another couple")):
        target = cid if tok == other else did
        for method, path, body in (("GET", "/counsellor/couples/%d/report", None), ("GET", "/counsellor/couples/%d/notes", None),
                                   ("POST", "/counsellor/couples/%d/notes", {"text": "x"}),
                                   ("POST", "/counsellor/couples/%d/suggestions", {"text": "x"})):
            eq(api(tok, method, path % target, body).status, 404, "%s: %s %s" % (who, method, path))
    # partners on counsellor routes, and another couple on this couple's access
    for tok in (a["token"], c["token"]):
        eq(api(tok, "GET", "/counsellor/couples").status, 404, "a partner has no counsellor's list")
    for method, path in (("GET", "/counsellor-access/%d"), ("GET", "/counsellor-access/%d/log"),
                         ("POST", "/counsellor-access/%d/agree"), ("DELETE", "/counsellor-access/%d")):
        eq(api(d["token"], method, path % aid).status, 404, "another couple: %s %s" % (method, path))
    sid = api(C, "POST", "/counsellor/couples/%d/suggestions" % cid, {"text": "a walk"}).json["id"]
    eq(api(d["token"], "DELETE", "/counsellor-suggestions/%d" % sid).status, 404, "another couple's suggestion")
    # a private entry never reaches the report
    mark = "quokka%d" % cid
    api(a["token"], "POST", "/journal", {"body": "private " + mark, "private": True})
    api(a["token"], "POST", "/questions", {"text": "shared question " + mark})
    html = api(C, "GET", "/counsellor/couples/%d/report" % cid).json["html"]
    check(("shared question " + mark) in html and ("private " + mark) not in html, "what is shared, never what is private")


@test
def the_pages_ask_agree_show_the_log_and_end():
    a, b = couple()
    user, C = add_counsellor()
    s = srv()
    pa, pb = page_of(s, a), page_of(s, b)
    page = pa.get("/counsellor-access").text
    check("Let a counsellor in" in page and 'name="tool-agreements"' in page, "the form")
    form = {"counsellor": user, "tool-agreements": "1", "tool-trust": "1"}
    r = pa.post("/counsellor-access", form)
    eq(r.status, 303, "asked on the page")
    check("Nothing is visible to them until" in pa.get("/counsellor-access").text, "A sees it waits for B")
    bpage = pb.get("/counsellor-access").text
    m = re.search(r'action="/counsellor-access/(\d+)/agree"', bpage)
    check(m is not None, "B can agree")
    eq(pb.post("/counsellor-access/%s/agree" % m.group(1), {}).status, 303, "B agrees")
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": user, "password": PW})
    cid = a["couple"]["id"]
    view = br.get("/counsellor/couples/%d" % cid).text
    check("Agreements" in view and "Your notes" in view, "the counsellor's view")
    check("Open questions" not in view.split("Your notes")[0], "only the parts chosen")
    eq(br.post("/counsellor/couples/%d/notes" % cid, {"note": "First session, calm."}).status, 303, "a note on the page")
    check("First session, calm." in br.get("/counsellor/couples/%d" % cid).text, "kept and shown")
    log = pa.get("/counsellor-access").text
    check("Each time they opened your space" in log and "the report" in log, "the couple sees the openings")
    eq(len(api(a["token"], "GET", "/counsellor-access/%s/log" % m.group(1)).json["views"]), 2, "two openings")
    eq(pa.post("/counsellor-access/%s/end" % m.group(1), {}).status, 303, "A ends it")
    eq(br.get("/counsellor/couples/%d" % cid).status, 404, "closed for the counsellor at once")


@test
def an_erased_couple_leaves_the_counsellor_s_list_with_the_notes_about_them():
    a, b = couple()
    user, C = add_counsellor()
    cid = a["couple"]["id"]
    let_in(a, b, user)
    api(C, "POST", "/counsellor/couples/%d/notes" % cid, {"text": "about them"})
    api(C, "POST", "/counsellor/couples/%d/suggestions" % cid, {"text": "try a walk"})
    exported = json.loads(api(a["token"], "GET", "/export").body)
    check(exported["tables"]["counsellor_access"] and "counsellor_notes" not in exported["tables"],
          "the export holds the access, never the counsellor's notes")
    eq(api(a["token"], "POST", "/couple/erase", {"password": PW}).json["erased"], False, "A asks to erase")
    eq(api(b["token"], "POST", "/couple/erase", {"password": PW}).json["erased"], True, "B too: erased")
    eq(api(C, "GET", "/counsellor/couples").json["couples"], [], "gone from the list")
    for t in ("counsellor_access", "counsellor_notes", "counsellor_suggestions", "counsellor_views"):
        eq(int(srv().query("SELECT COUNT(*) FROM %s WHERE couple_id = %d" % (t, cid))[0][0]), 0, "no row of them in " + t)


@test
def a_counsellor_and_a_couple_each_read_the_counsellor_pages_in_their_own_language():
    from test_languages import english_words
    a, b = couple()
    user, C = add_counsellor()
    cid = a["couple"]["id"]
    api(C, "PUT", "/account/language", {"language": "fr"})
    api(a["token"], "PUT", "/account/language", {"language": "de"})
    api(a["token"], "POST", "/questions", {"text": "Wann hat es angefangen?"})
    aid = let_in(a, b, user)
    api(C, "POST", "/counsellor/couples/%d/notes" % cid, {"text": "Calme."})
    api(C, "POST", "/counsellor/couples/%d/suggestions" % cid, {"text": "Une promenade."})
    names = [a["user"]["display_name"], "B", a["account"]["username"], b["account"]["username"], user, "Dr. " + user.title(), "mend"]
    s = srv()
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": user, "password": PW})
    for path in ("/counsellor", "/counsellor/couples/%d" % cid, "/account"):
        r = br.get(path)
        eq((r.status, english_words(r.text, names)), (200, []), "French for the counsellor: " + path)
    de = page_of(s, a)
    for path in ("/counsellor-access", "/", "/ledger"):
        r = de.get(path)
        eq((r.status, english_words(r.text, names)), (200, []), "German for the partner: " + path)
    check("als Beratung" in de.get("/ledger").text, "the ledger's counsellor entries in German")
    api(a["token"], "DELETE", "/counsellor-access/%d" % aid)
    r = br.get("/counsellor")
    eq((r.status, english_words(r.text, names)), (200, []), "French once it ended")


@test
def a_couple_can_let_the_same_counsellor_in_again_and_typed_names_are_found_in_any_case():
    a, b = couple()
    user, C = add_counsellor()
    cid = a["couple"]["id"]
    r = api(a["token"], "POST", "/counsellor-access", {"counsellor": user.upper()})
    eq(r.status, 201, "found whatever the case")
    eq(api(b["token"], "DELETE", "/counsellor-access/%d" % r.json["id"]).status, 204, "B does not let them in")
    eq(api(C, "GET", "/counsellor/couples").json["couples"], [], "never in")
    second = let_in(a, b, user)
    eq([x["id"] for x in api(C, "GET", "/counsellor/couples").json["couples"]], [cid], "in, the second time")
    api(a["token"], "DELETE", "/counsellor-access/%d" % second)
    third = let_in(b, a, user)
    br = Browser(srv())
    br.get("/login")
    br.post("/login", {"username": user, "password": PW})
    page = br.get("/counsellor").text
    check("ended your access" not in page, "in again: not listed as ended")
    api(b["token"], "DELETE", "/counsellor-access/%d" % third)
    eq(br.get("/counsellor").text.count("ended your access"), 1, "ended twice, said once")
    kinds = [e["kind"] for e in api(a["token"], "GET", "/ledger").json["entries"]]
    eq(kinds.count("counsellor_declined"), 1, "the refusal is in the ledger")


@test
def a_counsellor_invited_by_e_mail_is_mailed_once_both_agreed_and_joins_with_the_link():
    import time
    s = mail_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    cid = a["couple"]["id"]
    to = "reyes.%d@example.org" % a["user"]["id"]
    for body, field in (({"email": "reyes", "name": "Dr. Reyes"}, "email"), ({"email": to}, "name"),
                        ({"email": to, "name": "   "}, "name"),
                        ({"email": to, "name": "Dr. Reyes", "counsellor": "someone"}, "counsellor")):
        r = s.api("POST", "/counsellor-access", body, token=A)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % body)
    r = s.api("POST", "/counsellor-access", {"email": " " + to + " ", "name": " Dr. Reyes", "tools": ["trust", "promises"]}, token=A)
    eq((r.status, r.json["state"], r.json["counsellor"], r.json["invitation"]),
       (201, "asked", {"username": "", "name": "Dr. Reyes", "email": to},
        {"mailed_at": None, "expires_at": None, "joined_at": None, "next_try_at": None, "undelivered_at": None}),
       "asked: %s" % r.body)
    aid = r.json["id"]
    eq(s.api("POST", "/counsellor-access", {"email": to.upper(), "name": "X"}, token=A).status, 409, "one invitation per address")
    waits = [x for x in s.api("GET", "/inbox", token=B).json["items"] if x["kind"] == "counsellor_agree"]
    eq([x["id"] for x in waits], [aid], "it waits in B's inbox")
    check("Dr. Reyes" in page_of(s, b).get("/counsellor-access").text, "B's page names them")
    time.sleep(2.5)
    eq(mails(to), [], "nothing is mailed before the other partner agrees")
    eq(s.api("POST", "/counsellor-access/%d/agree" % aid, token=B).status, 200, "B agrees")
    got = mailed(s, cid, to)
    eq(len(got), 1, "then the invitation is mailed")
    m = got[0]
    eq(m["subject"], "An invitation to follow a couple's report in mend", "its subject")
    check("%s and B would like you" % a["user"]["display_name"] in m["text"], "naming both: " + m["text"])
    link = re.search(r"https://mend\.test/join/([0-9A-Z-]{19})", m["text"])
    check(link is not None, "with the link")
    code = link.group(1)
    eq(unmailed(s, cid), 0, "the code is forgotten once mailed")
    inv = s.api("GET", "/counsellor-access/%d" % aid, token=A).json["invitation"]
    check(inv["mailed_at"] and inv["expires_at"] > inv["mailed_at"] and inv["joined_at"] is None, "mailed: %r" % inv)
    page = Browser(s).get("/join/" + code)
    check(page.status == 200 and "between sessions" in page.text and "Dr. Reyes" in page.text, "the link's page speaks to a counsellor")
    user = uniq("reyes")
    taken = s.api("POST", "/join", {"code": code, "username": a["account"]["username"], "password": PW, "display_name": "Dr. Reyes"})
    eq((taken.status, taken.json["error"]["field"]), (409, "username"), "a username once")
    r = s.api("POST", "/join", {"code": code, "username": user, "password": PW, "display_name": "Dr. Ana Reyes"})
    eq((r.status, r.json["account"]["role"]), (201, "counsellor"), "the link makes a counsellor: %s" % r.body)
    check(r.json["couple"]["id"] != cid, "in a space of their own")
    C = r.json["token"]
    eq(s.api("POST", "/join", {"code": code, "username": uniq("x"), "password": PW, "display_name": "X"}).status, 410, "once")
    listed = s.api("GET", "/counsellor/couples", token=C).json["couples"]
    eq([x["id"] for x in listed], [cid], "the couple is on their list")
    rep = s.api("GET", "/counsellor/couples/%d/report" % cid, token=C).json["html"]
    check("Promises" in rep and "Agreements" not in rep, "the chosen parts only")
    got = s.api("GET", "/counsellor-access/%d" % aid, token=B).json
    eq((got["state"], got["counsellor"]["username"], got["counsellor"]["name"]), ("active", user, "Dr. Ana Reyes"), "the couple sees them")
    check(got["invitation"]["joined_at"] is not None, "joined")
    time.sleep(2.5)
    eq(len(mails(to)), 1, "mailed once")
    # an invitation ended before the other agreed is never mailed, and its code goes
    to2 = "ortiz.%d@example.org" % a["user"]["id"]
    r = s.api("POST", "/counsellor-access", {"email": to2, "name": "Dr. Ortiz"}, token=A)
    eq(s.api("DELETE", "/counsellor-access/%d" % r.json["id"], token=B).status, 204, "B does not let them in")
    eq(unmailed(s, cid), 0, "its code is gone")
    time.sleep(2.5)
    eq(mails(to2), [], "never mailed")
    kinds = [e["kind"] for e in s.api("GET", "/ledger", token=A).json["entries"]]
    eq(kinds[-4:], ["counsellor_asked", "counsellor_agreed", "counsellor_asked", "counsellor_declined"], "in the ledger")


@test
def an_invitation_the_mail_server_refuses_is_tried_again_and_the_couple_is_told_when_it_is_given_up():
    import time
    from datetime import datetime
    s = mail_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    cid = a["couple"]["id"]

    def when(iso):
        return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").timestamp()

    def tries(aid):
        return int(s.query("SELECT mail_tries FROM counsellor_invites WHERE couple_id = %d AND access_id = %d" % (cid, aid))[0][0])

    def refused_once(to, name):
        aid = s.api("POST", "/counsellor-access", {"email": to, "name": name}, token=A).json["id"]
        eq(s.api("POST", "/counsellor-access/%d/agree" % aid, token=B).status, 200, "B agrees")
        end = time.time() + 15
        while time.time() < end and tries(aid) == 0:
            time.sleep(0.2)
        eq(tries(aid), 1, "the mail server refused it once")
        return aid

    to, to2 = "vale.%d@example.org" % a["user"]["id"], "ames.%d@example.org" % a["user"]["id"]
    refuse(to, to2)
    try:
        aid = refused_once(to, "Dr. Vale")
        inv = s.api("GET", "/counsellor-access/%d" % aid, token=A).json["invitation"]
        check(inv["mailed_at"] is None and inv["undelivered_at"] is None and inv["next_try_at"], "not mailed: %r" % inv)
        wait = when(inv["next_try_at"]) - time.time()
        check(240 < wait <= 301, "tried again in 5 minutes, not at once: %r s" % wait)
        page = page_of(s, a).get("/counsellor-access").text
        check("did not take the invitation to %s yet" % to in page and "tries again on its own" in page,
              "the page says it has not gone yet: %s" % page[-1500:])
        time.sleep(2.5)
        eq((tries(aid), mails(to)), (1, []), "it waits its time")
        # the mail server takes it again: the next try goes, once
        refuse(to2)
        s.sql("UPDATE counsellor_invites SET next_mail_at = 0 WHERE couple_id = %d AND access_id = %d" % (cid, aid))
        got = mailed(s, cid, to)
        eq(len(got), 1, "mailed on the next try")
        code = re.search(r"/join/([0-9A-Z-]{19})", got[0]["text"]).group(1)
        inv = s.api("GET", "/counsellor-access/%d" % aid, token=B).json["invitation"]
        check(inv["mailed_at"] and inv["next_try_at"] is None and inv["undelivered_at"] is None, "mailed: %r" % inv)
        eq(Browser(s).get("/join/" + code).status, 200, "and its link works")
        # refused on every try: given up after the last, and said so
        aid2 = refused_once(to2, "Dr. Ames")
        s.sql("UPDATE counsellor_invites SET mail_tries = 7, next_mail_at = 0 WHERE couple_id = %d AND access_id = %d" % (cid, aid2))
        end = time.time() + 15
        while time.time() < end and tries(aid2) < 8:
            time.sleep(0.2)
        inv = s.api("GET", "/counsellor-access/%d" % aid2, token=A).json["invitation"]
        check(inv["undelivered_at"] and inv["mailed_at"] is None and inv["next_try_at"] is None, "given up: %r" % inv)
        eq(int(s.query("SELECT COUNT(*) FROM counsellor_invites WHERE couple_id = %d AND access_id = %d AND code_mail IS NOT NULL"
                       % (cid, aid2))[0][0]), 0, "its code is forgotten")
        eq(s.api("GET", "/counsellor-access/%d" % aid2, token=B).json["invitation"], inv, "B sees the same")
        page = page_of(s, a).get("/counsellor-access").text
        check("could not be mailed to %s" % to2 in page and "invite them again" in page, "the page says so: %s" % page[-1500:])
        refuse()
        s.sql("UPDATE counsellor_invites SET next_mail_at = 0 WHERE couple_id = %d AND access_id = %d" % (cid, aid2))
        time.sleep(2.5)
        eq(mails(to2), [], "never mailed after it was given up")
        eq(s.api("POST", "/counsellor-access", {"email": to2, "name": "Dr. Ames"}, token=A).status, 409,
           "the access is open until the couple ends it")
        eq(s.api("DELETE", "/counsellor-access/%d" % aid2, token=A).status, 204, "ended")
        eq(s.api("POST", "/counsellor-access", {"email": to2, "name": "Dr. Ames"}, token=A).status, 201, "and invited again")
    finally:
        refuse()


@test
def a_counsellor_with_an_account_here_accepts_an_invitation_by_e_mail_with_it_once():
    import time
    s = mail_srv()
    a, b = couple(s)
    cid = a["couple"]["id"]
    user, C = add_counsellor(s=s)
    to = "%s@example.org" % user
    aid = s.api("POST", "/counsellor-access", {"email": to, "name": "Dr. Known"}, token=a["token"]).json["id"]
    eq(s.api("POST", "/counsellor-access/%d/agree" % aid, token=b["token"]).status, 200, "B agrees")
    got = mailed(s, cid, to)
    eq(len(got), 1, "mailed")
    check("or log in there first if you have one" in got[0]["text"], "the mail says an account they have will do")
    code = re.search(r"/join/([0-9A-Z-]{19})", got[0]["text"]).group(1)
    # logged out, the page says how; a partner logged in is sent home
    check("Log in, then open this link again" in Browser(s).get("/join/" + code).text, "the page tells a counsellor with an account")
    eq(page_of(s, a).get("/join/" + code).status, 303, "a partner is sent home")
    for body, want in (({}, (422, "code")), ({"code": "nope"}, (422, "code")), ({"code": "K7QM-3ZRT-9XWB-C2DF"}, (404, "code"))):
        r = s.api("POST", "/counsellor/invitations/accept", body, token=C)
        eq((r.status, r.json["error"]["field"]), want, "refused: %r" % body)
    eq(s.api("POST", "/counsellor/invitations/accept", {"code": code}, token=a["token"]).status, 404, "not a partner's route")
    eq(s.api("GET", "/counsellor/couples", token=C).json["couples"], [], "nothing yet")
    # on the page, logged in: one button
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": user, "password": PW}).status, 303, "logs in")
    page = br.get("/join/" + code)
    check(page.status == 200 and "Accept with this account" in page.text and user in page.text, "the page offers to accept")
    r = br.post("/counsellor/invitations/accept", {"code": code})
    eq((r.status, r.getheader("Location")), (303, "/counsellor/couples/%d" % cid), "accepted, to the couple's page")
    eq([x["id"] for x in s.api("GET", "/counsellor/couples", token=C).json["couples"]], [cid], "the couple is on their list")
    got = s.api("GET", "/counsellor-access/%d" % aid, token=a["token"]).json
    eq((got["state"], got["counsellor"]["username"]), ("active", user), "the couple sees their account")
    check(got["invitation"]["joined_at"] is not None, "joined")
    r = s.api("POST", "/counsellor/invitations/accept", {"code": code}, token=C)
    eq((r.status, r.json["error"]["code"]), (410, "invite_gone"), "once")
    eq(s.api("POST", "/join", {"code": code, "username": uniq("x"), "password": PW, "display_name": "X"}).status, 410,
       "nor a new account with it")
    # invited again while they follow the couple: said so, and the invitation stays for another try
    to2 = "other.%s@example.org" % user
    aid2 = s.api("POST", "/counsellor-access", {"email": to2, "name": "Dr. Known"}, token=b["token"]).json["id"]
    eq(s.api("POST", "/counsellor-access/%d/agree" % aid2, token=a["token"]).status, 200, "A agrees")
    code2 = re.search(r"/join/([0-9A-Z-]{19})", mailed(s, cid, to2)[0]["text"]).group(1)
    r = s.api("POST", "/counsellor/invitations/accept", {"code": code2}, token=C)
    eq((r.status, r.json["error"]["code"]), (409, "already_asked"), "they follow this couple already")
    eq(s.api("GET", "/counsellor-access/%d" % aid2, token=a["token"]).json["invitation"]["joined_at"], None, "nothing changed")
    # two accepts at once (two phones, one counsellor; or two counsellors): one access
    eq(s.api("DELETE", "/counsellor-access/%d" % aid, token=a["token"]).status, 204, "the first access ended")
    user2, C2 = add_counsellor(s=s)
    out = [None, None]
    gate = threading.Barrier(2)

    def go(i, tok):
        gate.wait()
        out[i] = s.api("POST", "/counsellor/invitations/accept", {"code": code2}, token=tok)
    ts = [threading.Thread(target=go, args=(i, t)) for i, t in enumerate((C, C2))]
    [t.start() for t in ts]
    [t.join() for t in ts]
    eq(sorted(r.status for r in out), [200, 410], "one of them has it: %r" % [r.body for r in out])
    won = user if out[0].status == 200 else user2
    eq(s.api("GET", "/counsellor-access/%d" % aid2, token=a["token"]).json["counsellor"]["username"], won, "theirs")
    lost = C2 if won == user else C
    eq(s.api("GET", "/counsellor/couples", token=lost).json["couples"], [], "the other sees nothing")


@test
def without_e_mail_a_counsellor_is_asked_for_by_username_only():
    a, b = couple()
    r = api(a["token"], "POST", "/counsellor-access", {"email": "reyes@example.org", "name": "Dr. Reyes"})
    eq((r.status, r.json["error"]["field"]), (422, "email"), "this server sends no mail")
    page = page_of(srv(), a).get("/counsellor-access").text
    check("Their username on this server" in page and 'name="email"' not in page, "the page asks only for a username")


@test
def two_joins_with_one_invitation_make_one_counsellor_and_an_end_at_the_same_moment_holds():
    s = mail_srv()
    a, b = couple(s)
    cid = a["couple"]["id"]

    def invited(who):
        to = "%s.%d@example.org" % (who, a["user"]["id"])
        r = s.api("POST", "/counsellor-access", {"email": to, "name": "Dr. " + who}, token=a["token"])
        eq(s.api("POST", "/counsellor-access/%d/agree" % r.json["id"], token=b["token"]).status, 200, "agreed")
        got = mailed(s, cid, to)
        eq(len(got), 1, "mailed")
        return r.json["id"], re.search(r"/join/([0-9A-Z-]{19})", got[0]["text"]).group(1)

    def at_once(*calls):
        out = [None] * len(calls)
        gate = threading.Barrier(len(calls))

        def run(i):
            gate.wait()
            out[i] = calls[i]()
        ts = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        [t.start() for t in ts]
        [t.join() for t in ts]
        return out

    aid, code = invited("lim")
    names = [uniq("lim"), uniq("lim")]
    got = at_once(*[lambda n=n: s.api("POST", "/join", {"code": code, "username": n, "password": PW, "display_name": "Dr. Lim"})
                    for n in names])
    eq(sorted(r.status for r in got), [201, 410], "one counsellor is made: %r" % [r.body for r in got])
    won = [n for n, r in zip(names, got) if r.status == 201][0]
    eq(s.api("GET", "/counsellor-access/%d" % aid, token=a["token"]).json["counsellor"]["username"], won, "the access is theirs")
    lost = [n for n, r in zip(names, got) if r.status != 201][0]
    eq(s.api("POST", "/login", {"username": lost, "password": PW}).status, 401, "and no account is left of the other")
    aid, code = invited("moss")
    user = uniq("moss")
    j, d = at_once(lambda: s.api("POST", "/join", {"code": code, "username": user, "password": PW, "display_name": "Dr. Moss"}),
                   lambda: s.api("DELETE", "/counsellor-access/%d" % aid, token=b["token"]))
    eq(d.status, 204, "B ends it")
    check(j.status in (201, 410), "the join came before or after: %s" % j.body)
    eq(s.api("GET", "/counsellor-access/%d" % aid, token=a["token"]).json["state"], "ended", "ended either way")
    if j.status == 201:
        eq(s.api("GET", "/counsellor/couples/%d/report" % cid, token=j.json["token"]).status, 404, "and they see nothing")


@test
def the_page_invites_by_e_mail_where_the_server_sends_mail():
    s = mail_srv()
    a, b = couple(s)
    br = page_of(s, a)
    page = br.get("/counsellor-access").text
    check('name="email"' in page and "Or invite them by e-mail" in page, "the page offers an invitation by e-mail")
    to = "page.%d@example.org" % a["user"]["id"]
    r = br.post("/counsellor-access", {"email": "not an address", "name": "Dr. Page", "tool-trust": "on"})
    check(r.status == 200 and "Write an e-mail address" in r.text and "Dr. Page" in r.text, "a mistake is shown, the name kept")
    eq(br.post("/counsellor-access", {"email": to, "name": "Dr. Page", "tool-trust": "on"}).status, 303, "invited")
    page = br.get("/counsellor-access").text
    check("Dr. Page" in page and to in page and "once B agrees" in page, "it waits for B: %s" % page[-1500:])
    bp = page_of(s, b)
    check("once you agree" in bp.get("/counsellor-access").text, "B is told it is theirs to agree")


@test
def the_counsellor_s_list_follows_each_change_of_their_couples_at_once_on_every_thread():
    a, b = couple()
    user, C = add_counsellor()
    cid = a["couple"]["id"]
    aid = let_in(a, b, user)

    def setbacks():
        got = api(C, "GET", "/counsellor/couples").json["couples"]
        return [x["signs"]["setbacks"] for x in got if x["id"] == cid]

    before = [setbacks() for _ in range(8)]
    eq(len(set(map(tuple, before))), 1, "the same answer each time: %r" % before)
    eq(api(b["token"], "POST", "/setbacks", {"what": "A hard evening.", "severity": 3}).status, 201, "a setback")
    eq([setbacks() for _ in range(8)], [[before[0][0] + 1]] * 8, "counted at once, whichever thread answers")
    eq(api(a["token"], "DELETE", "/counsellor-access/%d" % aid).status, 204, "ended")
    eq([setbacks() for _ in range(8)], [[]] * 8, "gone at once from the list")
