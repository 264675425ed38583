"""Safety and consistency over real HTTP: agreements both sign, promises both confirm, the
consistency score, and the ledger with `mend verify`. Runs on SQLite and on PostgreSQL."""
import datetime, os, subprocess, threading
import harness
from harness import Browser, test, check, eq
from test_foundation import srv, couple, signup, PW
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def today(delta=0):
    return (datetime.datetime.utcnow().date() + datetime.timedelta(days=delta)).isoformat()


@test
def agreements_need_both_signatures_and_revisions_replace_on_signing():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/agreements", {"title": "Phones", "text": "We show each other our phones when asked.", "category": "transparency"})
    eq(r.status, 201, "proposed")
    ag = r.json
    eq((ag["status"], ag["version"], ag["signed_by"]), ("proposed", 1, [a["user"]["id"]]), "signed by the proposer only")
    r = api(A, "POST", "/agreements/%d/sign" % ag["id"])
    eq(r.status, 403, "signing my own proposal")
    check("your partner signs" in r.json["error"]["message"], "a clear message")
    r = api(B, "POST", "/agreements/%d/sign" % ag["id"])
    eq(r.status, 200, "signed")
    eq((r.json["status"], sorted(r.json["signed_by"])), ("active", sorted([a["user"]["id"], b["user"]["id"]])), "active, both signed")
    eq(api(B, "POST", "/agreements/%d/sign" % ag["id"]).status, 409, "settled")
    r = api(B, "POST", "/agreements/%d/revisions" % ag["id"], {"text": "We show each other our phones when asked, without sulking."})
    eq(r.status, 201, "revision proposed")
    rev = r.json
    eq((rev["version"], rev["status"], rev["root_id"], rev["title"]), (2, "proposed", ag["id"], "Phones"), "a new version")
    eq(api(A, "POST", "/agreements/%d/revisions" % ag["id"], {"text": "x"}).status, 409, "one revision at a time")
    states = {x["id"]: x["status"] for x in api(A, "GET", "/agreements").json["agreements"]}
    eq(states, {ag["id"]: "active", rev["id"]: "proposed"}, "the old version stays in force until signed")
    eq(api(A, "POST", "/agreements/%d/sign" % rev["id"]).status, 200, "A signs B's revision")
    states = {x["id"]: x["status"] for x in api(A, "GET", "/agreements").json["agreements"]}
    eq(states, {ag["id"]: "superseded", rev["id"]: "active"}, "the revision replaced it")
    eq(api(A, "POST", "/agreements/%d/revisions" % ag["id"], {"text": "x"}).status, 409, "only the version in force is revised")
    r = api(A, "POST", "/agreements/%d/retire" % rev["id"])
    eq((r.status, r.json["status"], r.json["retire_asked_by"]), (200, "active", a["user"]["id"]), "asked to retire")
    eq(api(A, "POST", "/agreements/%d/retire" % rev["id"]).status, 409, "asking twice")
    r = api(B, "POST", "/agreements/%d/retire" % rev["id"])
    eq(r.json["status"], "retired", "retired when both agree")
    for body, field in [({"text": "x", "category": "transparency"}, "title"), ({"title": "t", "category": "transparency"}, "text"),
                        ({"title": "t", "text": "x", "category": "fun"}, "category"), ({"title": "a\nb", "text": "x", "category": "other"}, "title")]:
        r = api(A, "POST", "/agreements", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "invalid %r" % body)


@test
def promises_reported_by_the_promiser_and_confirmed_by_the_partner():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}})
    eq(r.status, 201, "daily promise")
    p = r.json
    eq((p["recurrence"], p["due"], p["next_due"]), ({"every": "day"}, None, today()), "daily from today")
    r = api(B, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True})
    eq(r.status, 403, "the partner does not report")
    check("they report it, and you confirm" in r.json["error"]["message"], "clear message")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(1), "kept": True}).status, 422, "not the future")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(-1), "kept": True}).status, 422, "not before it was made")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": "someday", "kept": True}).json["error"]["field"], "date", "a date")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today()}).json["error"]["field"], "kept", "kept is needed")
    r = api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True, "note": "12:30"})
    eq(r.status, 201, "reported")
    eq((r.json["kept"], r.json["confirmed"]), (True, None), "waiting for confirmation")
    r = api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True, "note": "12:30, home"})
    eq((r.status, r.json["note"]), (200, "12:30, home"), "reporting the day again corrects it")
    eq([x["note"] for x in api(A, "GET", "/promises/%d" % p["id"]).json["reports"]], ["12:30, home"], "one report, corrected")
    c = api(A, "GET", "/measures/consistency").json
    mine = [x for x in c["partners"] if x["person"] == a["user"]["id"]][0]
    eq((mine["score"], mine["pending"]), (None, 1), "nothing counted while waiting")
    r = api(A, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today()), {"confirmed": True})
    eq(r.status, 403, "confirming my own report")
    eq(api(B, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today(-3)), {"confirmed": True}).status, 404, "no report that day")
    r = api(B, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today()), {"confirmed": True, "note": "Yes, thank you."})
    eq((r.status, r.json["confirmed"]), (200, True), "confirmed")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": False}).status, 409, "a confirmed day stays")
    c = api(B, "GET", "/measures/consistency").json
    mine = [x for x in c["partners"] if x["person"] == a["user"]["id"]][0]
    eq((mine["score"], mine["kept"]), (1.0, 1), "kept and confirmed")
    eq(c["half_life_days"], 28, "the half-life is stated")
    r = api(B, "POST", "/promises", {"text": "Home by seven", "due": today(2)})
    eq((r.status, r.json["due"], r.json["recurrence"]), (201, today(2), None), "a one-off")
    r = api(B, "POST", "/promises", {"text": "Gym", "recurrence": {"every": "week", "weekdays": ["mon", "thu"]}})
    eq(r.json["recurrence"], {"every": "week", "weekdays": ["mon", "thu"]}, "weekly")
    for body, field in [({"text": "x"}, "recurrence"), ({"text": "x", "due": "2020-01-01"}, "due"),
                        ({"text": "x", "recurrence": {"every": "year"}}, "recurrence"),
                        ({"text": "x", "recurrence": {"every": "week", "weekdays": ["funday"]}}, "recurrence"),
                        ({"due": today()}, "text")]:
        r = api(B, "POST", "/promises", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "invalid %r" % body)
    listed = api(A, "GET", "/promises").json["promises"]
    eq(len(listed), 3, "both partners' promises")
    first = [x for x in listed if x["id"] == p["id"]][0]
    eq(first["reports"][0]["confirm_note"], "Yes, thank you.", "the confirmation's note")


@test
def the_ledger_records_everything_and_verify_notices_tampering():
    s = srv()
    a, b = couple()
    A, B = a["token"], b["token"]
    ag = api(A, "POST", "/agreements", {"title": "No contact", "text": "No contact with him.", "category": "third_party_contact"}).json
    api(B, "POST", "/agreements/%d/sign" % ag["id"])
    p = api(B, "POST", "/promises", {"text": "Walk together", "recurrence": {"every": "day"}}).json
    api(B, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True})
    api(A, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today()), {"confirmed": False, "note": "We did not walk."})
    entries = api(A, "GET", "/ledger").json["entries"]
    eq([e["kind"] for e in entries], ["agreement_proposed", "agreement_signed", "promise_made", "promise_reported", "report_disputed"], "every step")
    eq([e["seq"] for e in entries], [1, 2, 3, 4, 5], "in order")
    check(all(len(e["hash"]) == 64 and entries[i]["prev_hash"] == (entries[i - 1]["hash"] if i else "0" * 64)
              for i, e in enumerate(entries)), "each links the one before")
    check("disputed the report of \"Walk together\"" in entries[-1]["summary"], "plain words")
    # anyone with the entries recomputes the chain by the recipe docs/api.md gives
    import calendar as cal, hashlib, time as tm
    be = lambda v: int(v).to_bytes(8, "big", signed=True)
    prev = bytes(32)
    for e in entries:
        h = hashlib.blake2b(digest_size=32)
        h.update(b"mend-ledger-1" + prev)
        at = cal.timegm(tm.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ"))
        for v in (a["couple"]["id"], e["seq"], at, e["by"], e["subject"]):
            h.update(be(v))
        for t in (e["kind"], e["summary"]):
            raw = t.encode()
            h.update(be(len(raw)) + raw)
        eq(h.hexdigest(), e["hash"], "entry %d's hash, recomputed from the document" % e["seq"])
        prev = h.digest()
    eq(api(b["token"], "GET", "/ledger").json["entries"], entries, "both see the same ledger")
    x, _ = couple()
    eq(api(x["token"], "GET", "/ledger").json["entries"], [], "another couple sees none of it")
    verify = lambda *extra: subprocess.run([harness.MEND, "verify"] + list(s.db_args) + list(extra), capture_output=True, text=True)
    r = verify("--couple", str(a["couple"]["id"]))
    eq(r.returncode, 0, "intact: " + r.stdout + r.stderr)
    check("5 ledger entries" in r.stdout, "counted")
    s.sql("UPDATE ledger SET summary = 'Nobody disputed anything.' WHERE couple_id = %d AND seq = 5" % a["couple"]["id"])
    r = verify()
    eq(r.returncode, 1, "a changed entry is found")
    check("entry 5 was changed" in r.stdout and str(a["couple"]["id"]) in r.stdout, "named: " + r.stdout)
    s.sql("DELETE FROM ledger WHERE couple_id = %d AND seq = 3" % a["couple"]["id"])
    r = verify("--couple", str(a["couple"]["id"]))
    eq(r.returncode, 1, "a removed entry is found")
    check("entry 3 is missing" in r.stdout, "named: " + r.stdout)
    eq(verify("--couple", "x").returncode, 2, "bad arguments")


@test
def commitments_of_another_couple_are_404():
    a, b = couple()
    x, _ = couple()
    ag = api(a["token"], "POST", "/agreements", {"title": "T", "text": "X", "category": "other"}).json["id"]
    p = api(a["token"], "POST", "/promises", {"text": "P", "recurrence": {"every": "day"}}).json["id"]
    api(a["token"], "POST", "/promises/%d/reports" % p, {"date": today(), "kept": True})
    for method, path, body in [("POST", "/agreements/%d/sign" % ag, None), ("POST", "/agreements/%d/revisions" % ag, {"text": "x"}),
                               ("POST", "/agreements/%d/retire" % ag, None), ("POST", "/promises/%d/reports" % p, {"date": today(), "kept": True}),
                               ("POST", "/promises/%d/reports/%s/confirm" % (p, today()), {"confirmed": True})]:
        eq(api(x["token"], method, path, body).status, 404, "%s %s" % (method, path))
    eq(api(x["token"], "GET", "/agreements").json["agreements"], [], "no agreements of theirs")
    eq(api(x["token"], "GET", "/promises").json["promises"], [], "no promises of theirs")


@test
def a_proposal_can_be_declined_or_answered_and_a_retire_request_taken_back():
    a, b = couple()
    A, B = a["token"], b["token"]
    ag = srv().api("POST", "/agreements", {"title": "Phones", "text": "We keep our phones open to each other every evening.",
                                           "category": "transparency"}, token=A).json
    eq(srv().api("POST", "/agreements/%d/decline" % ag["id"], {"reason": "x"}, token=A).status, 403, "not the proposer's")
    eq(srv().api("POST", "/agreements/%d/decline" % ag["id"], {"reason": ""}, token=B).status, 422, "a reason is needed")
    r = srv().api("POST", "/agreements/%d/decline" % ag["id"], {"reason": "Every evening feels like a test."}, token=B)
    eq((r.status, r.json["status"], r.json["declined"]["reason"], r.json["declined"]["by"]),
       (200, "declined", "Every evening feels like a test.", b["user"]["id"]), "declined, and why")
    eq(srv().api("POST", "/agreements/%d/sign" % ag["id"], token=B).status, 409, "settled")
    eq(srv().api("POST", "/agreements/%d/decline" % ag["id"], {"reason": "again"}, token=B).status, 409, "once")
    check(any(e["kind"] == "agreement_declined" for e in srv().api("GET", "/ledger", token=A).json["entries"]), "in the ledger")
    # answered with other words: the proposal is superseded by the other's version
    p = srv().api("POST", "/agreements", {"title": "Plans", "text": "We share our plans every evening.",
                                          "category": "transparency"}, token=A).json
    r = srv().api("POST", "/agreements/%d/revisions" % p["id"], {"text": "We share our plans on Sundays."}, token=B)
    eq((r.status, r.json["version"], r.json["by"], r.json["status"]), (201, 2, b["user"]["id"], "proposed"), "other words, proposed")
    eq(srv().api("GET", "/agreements/%d" % p["id"], token=A).json["status"], "superseded", "the first proposal is replaced")
    d = srv().api("GET", "/agreements/%d/diff" % r.json["id"], token=A).json
    eq([(c["op"], c["text"]) for c in d["changes"]],
       [("same", "We share our plans "), ("removed", "every evening."), ("added", "on Sundays.")], "what changed, word by word")
    eq(srv().api("GET", "/agreements/%d/diff?from=1&to=1" % r.json["id"], token=A).json["changes"],
       [{"op": "same", "text": "We share our plans every evening."}], "a version against itself")
    eq(srv().api("GET", "/agreements/%d/diff?from=7" % r.json["id"], token=A).status, 404, "no such version")
    eq(srv().api("GET", "/agreements/%d/diff?from=x" % r.json["id"], token=A).status, 422, "a version is a number")
    eq(srv().api("GET", "/agreements/%d/diff?since=1" % r.json["id"], token=A).status, 422, "and nothing else is asked")
    eq(srv().api("POST", "/agreements/%d/sign" % r.json["id"], token=A).status, 200, "A signs B's words")
    # a retire request taken back, with a reason the other sees
    eq(srv().api("POST", "/agreements/%d/retire" % r.json["id"], token=A).status, 200, "A asks to retire it")
    eq(srv().api("DELETE", "/agreements/%d/retire" % r.json["id"], {"reason": "x"}, token=B).status, 409, "only the one who asked")
    w = srv().api("DELETE", "/agreements/%d/retire" % r.json["id"], {"reason": "Sundays work for us after all."}, token=A)
    eq((w.status, w.json["status"], w.json["retire_asked_by"], w.json["retire_withdrawn"]["reason"]),
       (200, "active", None, "Sundays work for us after all."), "taken back: in force, and why")
    check(not [i for i in srv().api("GET", "/inbox", token=B).json["items"] if i["kind"] == "agreement_retire"], "nothing waits")
    page = page_of(srv(), b).get("/agreements").text
    check("no longer asks to retire this: Sundays work for us after all." in page, "the partner reads why")
    other, _ = couple()
    eq(srv().api("GET", "/agreements/%d/diff" % r.json["id"], token=other["token"]).status, 404, "another couple sees nothing")


@test
def promises_are_fair_from_day_one_nothing_chosen_for_anyone_and_no_score_for_one_report():
    a, b = couple()
    s = srv()
    pa = page_of(s, a)
    page = pa.get("/promises").text
    check('<option value="" selected>' in page or '<option value="">Choose how often' in page, "how often is not chosen for you")
    check('name="due" value=""' in page, "no date is chosen for you")
    r = pa.post("/promises", {"text": "Call at lunch"})
    check(r.status == 200 and "Choose how often" in r.text and "aria-invalid" in r.text, "how often must be chosen")
    r = pa.post("/promises", {"text": "Call at lunch", "every": "once", "due": ""})
    check(r.status == 200 and "Choose the date it is due." in r.text, "a one-off needs its date")
    eq(pa.post("/promises", {"text": "Call at lunch", "every": "day"}).status, 303, "made")
    page = pa.get("/promises").text
    check('value="1" required>' in page and " checked>" not in page.split('id="todo-h"')[1].split("</section>")[0],
          "kept or missed: neither is ticked")
    pid = api(a["token"], "GET", "/promises").json["promises"][0]["id"]
    today = datetime.datetime.utcnow().date().isoformat()
    r = pa.post("/promises/%d/reports" % pid, {"date": today, "note": ""})
    check(r.status == 200 and "Say whether you kept it, or missed it." in r.text, "a report says which")
    eq(api(a["token"], "GET", "/promises/%d" % pid).json["reports"], [], "and nothing was counted")
    eq(pa.post("/promises/%d/reports" % pid, {"date": today, "kept": "1"}).status, 303, "reported kept")
    pb = page_of(s, b)
    r = pb.post("/promises/%d/reports/%s/confirm" % (pid, today), {"note": ""})
    check(r.status == 200 and "Say whether you confirm it" in r.text, "a confirmation says which")
    eq(pb.post("/promises/%d/reports/%s/confirm" % (pid, today), {"confirmed": "1"}).status, 303, "confirmed")
    for br in (pa, pb):
        check("the score shows after three reports" in br.get("/promises").text, "one report is no score")
        check("the score shows after three reports" in br.get("/dashboard").text, "nor on the progress page")


@test
def a_transparency_agreement_is_reviewed_on_its_day_kept_loosened_or_ended_by_both():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    soon = (datetime.datetime.utcnow().date() + datetime.timedelta(days=30)).isoformat()
    eq(srv().api("POST", "/agreements", {"title": "Phones", "text": "Our phones are open to each other.", "category": "transparency",
                                         "review_on": "2020-01-01"}, token=A).json["error"]["field"], "review_on", "a day to come")
    ag = srv().api("POST", "/agreements", {"title": "Phones", "text": "Our phones are open to each other.",
                                           "category": "transparency", "review_on": soon}, token=A).json
    eq((ag["review_on"], ag["review"]), (soon, {"mine": None, "partner_chose": False}), "with its review day")
    srv().api("POST", "/agreements/%d/sign" % ag["id"], token=B)
    eq(srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "keep"}, token=A).status, 409, "not before its day")
    today = (datetime.datetime.utcnow().date() - datetime.date(1970, 1, 1)).days
    s.sql("UPDATE agreements SET review_on = %d WHERE couple_id = %d" % (today, a["couple"]["id"]))
    check(any(i["kind"] == "agreement_review" for i in srv().api("GET", "/inbox", token=B).json["items"]), "due: it waits for both")
    eq(srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "maybe"}, token=A).status, 422, "keep, loosen or end")
    eq(srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "loosen"}, token=A).json["error"]["field"], "text",
       "loosening says how")
    r = srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "keep"}, token=A).json
    eq(r["review"], {"mine": "keep", "partner_chose": False}, "A chose")
    eq(srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "end"}, token=A).status, 409, "once a round")
    seen = srv().api("GET", "/agreements/%d" % ag["id"], token=B).json["review"]
    eq(seen, {"mine": None, "partner_chose": True}, "B learns that A chose, not what")
    check(not any(i["kind"] == "agreement_review" for i in srv().api("GET", "/inbox", token=A).json["items"]), "nothing waits for A")
    r = srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "loosen", "text": "Phones are open on request."}, token=B).json
    eq((r["status"], r["review"]["mine"]), ("active", None), "the round closed: still in force, a new round")
    check(r["review_on"] > datetime.datetime.utcnow().date().isoformat(), "the next review ahead")
    versions = [x for x in srv().api("GET", "/agreements", token=A).json["agreements"] if x["root_id"] == ag["root_id"]]
    lighter = [x for x in versions if x["status"] == "proposed"]
    eq([(x["version"], x["by"], x["text"]) for x in lighter], [(2, b["user"]["id"], "Phones are open on request.")],
       "the lighter version waits for A's signature")
    d = srv().api("GET", "/agreements/%d/diff" % lighter[0]["id"], token=A).json
    check(any(c["op"] == "added" and "request" in c["text"] for c in d["changes"]), "and shows what is lighter")
    kinds = [e["kind"] for e in srv().api("GET", "/ledger", token=A).json["entries"]]
    eq((kinds.count("agreement_review_chosen"), kinds.count("agreement_reviewed")), (1, 1), "in the ledger")
    # both at once, both end: retired once
    s.sql("UPDATE agreements SET review_on = %d WHERE couple_id = %d AND status = 'active'" % (today, a["couple"]["id"]))
    got = []
    def go(tok):
        got.append(srv().api("POST", "/agreements/%d/review" % ag["id"], {"choice": "end"}, token=tok).status)
    ts = [threading.Thread(target=go, args=(t,)) for t in (A, B)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    eq(sorted(got), [200, 200], "both said end")
    eq(srv().api("GET", "/agreements/%d" % ag["id"], token=A).json["status"], "retired", "ended together")


@test
def an_agreement_can_start_from_a_template_in_mend_s_words():
    a, b = couple()
    pa = page_of(srv(), a)
    page = pa.get("/agreements").text
    check("One many couples start from:" in page and "Start from it" in page, "a template is offered")
    t = srv().api("GET", "/prompts/next?kind=agreement", token=a["token"]).json
    page = pa.get("/agreements?use=%d" % t["id"]).text
    form = page.split('action="/agreements" class="card"')[1]
    check(t["text"].replace('"', "&quot;").replace("'", "&#39;") in form, "its words are in the form, to make their own")
    check('value="transparency" selected' in form, "as a transparency agreement")


@test
def a_promise_is_paused_resumed_changed_and_ended_by_its_promiser_each_in_the_ledger_and_no_report_lost():
    a, b = couple()
    A, B = a["token"], b["token"]
    p = api(A, "POST", "/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}}).json
    eq((p["state"], p["not_due_from"], p["reason"], p["replaces"], p["replaced_by"]), ("running", None, None, None, None), "a new one runs")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True}).status, 201, "today reported")
    eq(api(B, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today()), {"confirmed": True}).status, 200, "and confirmed")
    r = api(B, "POST", "/promises/%d/pause" % p["id"], {})
    eq((r.status, r.json["error"]["code"]), (403, "not_your_turn"), "only the promiser pauses")
    eq(api(B, "POST", "/promises/%d/versions" % p["id"], {"text": "x", "recurrence": {"every": "day"}}).status, 403, "or changes")
    eq(api(B, "POST", "/promises/%d/end" % p["id"], {}).status, 403, "or ends")
    # two taps at once pause it once
    out = []
    ts = [threading.Thread(target=lambda: out.append(api(A, "POST", "/promises/%d/pause" % p["id"], {"reason": "A week away for work"})))
          for _ in range(2)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    eq(sorted(x.status for x in out), [200, 409], "one pause, the other refused")
    paused = [x for x in out if x.status == 200][0].json
    eq((paused["state"], paused["not_due_from"], paused["reason"], paused["next_due"]),
       ("paused", today(1), "A week away for work", today()), "paused from tomorrow, since today was reported (and today is still its day)")
    eq(api(A, "POST", "/promises/%d/pause" % p["id"], {}).json["error"]["code"], "not_running", "paused already")
    eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": False}).status, 409, "a confirmed day stays")
    r = api(A, "POST", "/promises/%d/resume" % p["id"])
    eq(r.status, 201, "resumed")
    resumed = r.json
    eq((resumed["state"], resumed["replaces"], resumed["text"], resumed["next_due"], resumed["reports"]),
       ("running", p["id"], "Call at lunch", today(1), []), "a new version, due again from the first day the old was not")
    old = api(A, "GET", "/promises/%d" % p["id"]).json
    eq((old["state"], old["replaced_by"], len(old["reports"])), ("replaced", resumed["id"], 1), "the old one keeps its report")
    eq(api(A, "POST", "/promises/%d/resume" % p["id"]).json["error"]["code"], "not_running", "a replaced version moves no more")
    eq(api(A, "POST", "/promises/%d/resume" % resumed["id"]).json["error"]["code"], "not_paused", "a running one is not resumed")
    r = api(A, "POST", "/promises/%d/versions" % resumed["id"], {"text": "Call at lunch and at six", "recurrence": {"every": "week", "weekdays": ["mon", "thu"]}})
    eq(r.status, 201, "changed")
    changed = r.json
    eq((changed["text"], changed["recurrence"], changed["replaces"]),
       ("Call at lunch and at six", {"every": "week", "weekdays": ["mon", "thu"]}, resumed["id"]), "the new words and days")
    eq(api(A, "GET", "/promises/%d" % resumed["id"]).json["state"], "replaced", "the version before is replaced")
    r = api(A, "POST", "/promises/%d/versions" % changed["id"], {"text": "x"})
    eq((r.status, r.json["error"]["field"]), (422, "recurrence"), "a change says its days")
    r = api(A, "POST", "/promises/%d/end" % changed["id"], {"reason": "We talk in the evening now"})
    eq((r.status, r.json["state"], r.json["reason"], r.json["next_due"]), (200, "ended", "We talk in the evening now", None), "ended")
    eq(api(A, "POST", "/promises/%d/end" % changed["id"], {}).json["error"]["code"], "not_running", "ended once")
    once = api(A, "POST", "/promises", {"text": "Fix the shelf", "due": today(3)}).json
    eq(api(A, "POST", "/promises/%d/pause" % once["id"], {}).json["error"]["code"], "one_off", "a one-off is changed or ended, not paused")
    r = api(A, "POST", "/promises/%d/versions" % once["id"], {"text": "Fix the shelf", "due": today(5)})
    eq((r.status, r.json["due"]), (201, today(5)), "its date changed")
    kinds = [e["kind"] for e in api(B, "GET", "/ledger").json["entries"]]
    eq([k for k in kinds if k.startswith("promise_")],
       ["promise_made", "promise_reported", "promise_paused", "promise_resumed", "promise_changed", "promise_ended", "promise_made",
        "promise_changed"], "each move in the ledger, for both")
    summaries = " ".join(e["summary"] for e in api(B, "GET", "/ledger").json["entries"])
    check("A week away for work" in summaries and "We talk in the evening now" in summaries, "with the promiser's reasons")
    cons = {x["person"]: x for x in api(B, "GET", "/measures/consistency").json["partners"]}
    eq(cons[a["user"]["id"]]["kept"], 1, "the kept day still counts")
    # the promiser's calendar: the first daily version until its last due day, nothing of the
    # versions that were never due, and the one-off on its new date only
    feed = api(A, "POST", "/calendar").json["url"]
    ics = srv().request("GET", feed[feed.index("/calendar/"):]).body.decode()
    ev = {u.split("@")[0]: u.split("END:VEVENT")[0] for u in ics.split("UID:promise-")[1:]}
    check("RRULE:FREQ=DAILY;UNTIL=%s\r\n" % today().replace("-", "") in ev[str(p["id"])], "paused: daily until today: %r" % ev[str(p["id"])])
    check(str(resumed["id"]) not in ev and str(changed["id"]) not in ev, "versions never due (changed or ended the day they began) are not in it")
    check(str(once["id"]) not in ev and "DTSTART;VALUE=DATE:%s" % today(5).replace("-", "") in ev[str(r.json["id"])], "the one-off moved")
    s = srv()
    pa, pb = page_of(s, a), page_of(s, b)
    page = pa.get("/promises").text
    check("Changed and ended (4)" in page and "Fix the shelf" in page.split("Changed and ended")[0], "past versions apart, the live one above")
    mine = pa.get("/promises/%d" % r.json["id"]).text
    check("Change it" in mine and "End it" in mine and "Pause it" not in mine, "the promiser's moves for a one-off")
    theirs = pb.get("/promises/%d" % r.json["id"]).text
    check("Only " in theirs and "Change it" not in theirs, "the partner sees who may move it")
    daily = api(A, "POST", "/promises", {"text": "Walk together", "recurrence": {"every": "day"}}).json
    eq(pa.post("/promises/%d/pause" % daily["id"], {"reason": "Knee surgery"}).status, 303, "paused from the page")
    page = pa.get("/promises/%d" % daily["id"]).text
    check("Resume it" in page and "Knee surgery" in page and "Paused: not due from" in page, "the page says it is paused, and why")
    eq(pa.post("/promises/%d/resume" % daily["id"], {}).status, 303, "resumed from the page")
    now = api(A, "GET", "/promises/%d" % daily["id"]).json
    eq(now["state"], "replaced", "the resume made a version")
    r = pa.post("/promises/%d/versions" % now["replaced_by"], {"text": "", "every": "day"})
    check(r.status == 200 and "aria-invalid" in r.text and "Save the new version" in r.text, "a blank change is refused on the page, its form again")
    eq(pa.post("/promises/%d/versions" % daily["id"], {"text": "Walk", "every": "day"}).status, 409, "the old version is not changed")
    eq(pa.post("/promises/%d/end" % now["replaced_by"], {"end_reason": "We walk on weekends now"}).status, 303, "ended from the page")
    eq(api(B, "GET", "/promises/%d" % now["replaced_by"]).json["reason"], "We walk on weekends now", "its reason, for the partner")
    other, _ = couple()
    eq(api(other["token"], "POST", "/promises/%d/pause" % daily["id"], {}).status, 404, "another couple's promise is not there")
