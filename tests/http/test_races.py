"""Both partners at once: real concurrent requests against a running `mend serve`, in a
bounded number of rounds, asserting on the outcome (never on timing). Every decision that
reads and then writes is made inside the write, so no order of two requests undoes an answer
of "saved". Runs on SQLite and on PostgreSQL."""
import datetime, threading
from harness import test, check, eq
from test_foundation import srv, couple, PW

ROUNDS = 6


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def today(delta=0):
    return (datetime.datetime.utcnow().date() + datetime.timedelta(days=delta)).isoformat()


def iso_week():
    y, w, _ = datetime.datetime.utcnow().date().isocalendar()
    return "%04d-W%02d" % (y, w)


def answers(v):
    scales = ["predictable_word", "predictable_know", "dependable_there", "dependable_honest", "faith_cares",
              "faith_hope", "safety", "closeness"]
    a = {k: v for k in scales}
    a["need"] = "A quiet evening."
    return {"answers": a}


def at_once(*calls):
    """Runs each call on its own thread, released together; returns their results in order."""
    gate = threading.Barrier(len(calls))
    out = [None] * len(calls)

    def run(i, fn):
        gate.wait()
        out[i] = fn()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def active_agreement(A, B):
    ag = api(A, "POST", "/agreements", {"title": "Phones", "text": "We show our phones when asked.", "category": "transparency"}).json
    eq(api(B, "POST", "/agreements/%d/sign" % ag["id"]).status, 200, "in force")
    return ag


@test
def retiring_from_both_sides_at_once_retires_it():
    for _ in range(ROUNDS):
        a, b = couple()
        A, B = a["token"], b["token"]
        ag = active_agreement(A, B)
        r1, r2 = at_once(lambda: api(A, "POST", "/agreements/%d/retire" % ag["id"]),
                         lambda: api(B, "POST", "/agreements/%d/retire" % ag["id"]))
        eq(sorted([r1.status, r2.status]), [200, 200], "both asked, both answered")
        states = {x["id"]: x["status"] for x in api(A, "GET", "/agreements").json["agreements"]}
        eq(states[ag["id"]], "retired", "and it is retired, whatever the order")
        kinds = [e["kind"] for e in api(A, "GET", "/ledger").json["entries"]]
        eq((kinds.count("agreement_retire_asked"), kinds.count("agreement_retired")), (1, 1), "one ask, one retirement")


@test
def signing_twice_at_once_and_revising_at_once_answer_409_never_500():
    for _ in range(ROUNDS):
        a, b = couple()
        A, B = a["token"], b["token"]
        B2 = srv().api("POST", "/login", {"username": b["account"]["username"], "password": PW}).json["token"]
        ag = api(A, "POST", "/agreements", {"title": "Space", "text": "An evening a week each.", "category": "privacy_and_space"}).json
        r1, r2 = at_once(lambda: api(B, "POST", "/agreements/%d/sign" % ag["id"]),
                         lambda: api(B2, "POST", "/agreements/%d/sign" % ag["id"]))
        eq(sorted([r1.status, r2.status]), [200, 409], "one signature, one clear refusal")
        loser = r1 if r1.status == 409 else r2
        check(loser.json["error"]["message"], "with a message")
        r1, r2 = at_once(lambda: api(A, "POST", "/agreements/%d/revisions" % ag["id"], {"text": "Two evenings."}),
                         lambda: api(B, "POST", "/agreements/%d/revisions" % ag["id"], {"text": "One evening and a Sunday."}))
        eq(sorted([r1.status, r2.status]), [201, 409], "one revision at a time, also at the same moment")
        pending = [x for x in api(A, "GET", "/agreements").json["agreements"] if x["status"] == "proposed"]
        eq(len(pending), 1, "one pending revision")


@test
def a_confirmed_report_never_changes_whatever_the_order():
    for i in range(ROUNDS):
        a, b = couple()
        A, B = a["token"], b["token"]
        p = api(A, "POST", "/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}}).json
        eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": True}).status, 201, "reported")
        fix, conf = at_once(lambda: api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": False, "note": "I forgot"}),
                            lambda: api(B, "POST", "/promises/%d/reports/%s/confirm" % (p["id"], today()), {"confirmed": True}))
        eq(conf.status, 200, "the confirmation is answered")
        check(fix.status in (200, 409), "the correction lands first or is refused (%d)" % fix.status)
        reports = [r for x in api(A, "GET", "/promises").json["promises"] if x["id"] == p["id"] for r in x["reports"]]
        eq(len(reports), 1, "one report")
        eq(reports[0]["confirmed"], True, "confirmed, as the partner was told")
        eq(reports[0]["kept"], fix.status != 200, "the correction counts only when it came first")
        eq(api(A, "POST", "/promises/%d/reports" % p["id"], {"date": today(), "kept": False}).status, 409, "and stays")


@test
def answers_never_change_after_the_reveal():
    week = iso_week()
    for _ in range(ROUNDS):
        a, b = couple()
        A, B = a["token"], b["token"]
        eq(api(A, "PUT", "/checkins/%s/answers" % week, answers(5)).status, 200, "A answered")
        again, other = at_once(lambda: api(A, "PUT", "/checkins/%s/answers" % week, answers(2)),
                               lambda: api(B, "PUT", "/checkins/%s/answers" % week, answers(4)))
        eq(other.status, 200, "B answered")
        check(again.status in (200, 409), "A's change lands before the reveal or is refused (%d)" % again.status)
        seen = api(B, "GET", "/checkins/" + week).json
        eq(seen["revealed"], True, "revealed")
        eq(seen["partner"]["answers"]["safety"], 2 if again.status == 200 else 5, "what B saw is what stays")
        eq(api(A, "PUT", "/checkins/%s/answers" % week, answers(7)).status, 409, "no change after the reveal")


@test
def two_password_changes_at_once_one_wins_one_is_refused():
    s = srv()
    for i in range(3):
        a, _ = couple()
        name = a["account"]["username"]
        t1, t2 = a["token"], s.api("POST", "/login", {"username": name, "password": PW}).json["token"]
        eq(api(t1, "POST", "/journal", {"body": "a private line %d" % i, "private": True}).status, 201, "a private entry")
        new = ["first new password %d" % i, "second new password %d" % i]
        r1, r2 = at_once(lambda: api(t1, "PUT", "/account/password", {"current_password": PW, "new_password": new[0]}),
                         lambda: api(t2, "PUT", "/account/password", {"current_password": PW, "new_password": new[1]}))
        eq(sorted([r1.status, r2.status]), [204, 409], "one change, one clear refusal")
        won = 0 if r1.status == 204 else 1
        loser = (r2, r1)[won]
        eq(loser.json["error"]["field"], "current_password", "the refusal names the field")
        eq(api((t1, t2)[won], "GET", "/me").status, 200, "the winner's session goes on")
        eq(api((t1, t2)[1 - won], "GET", "/me").status, 401, "the other device is logged out")
        eq(s.api("POST", "/login", {"username": name, "password": new[1 - won]}).status, 401, "the refused password does not work")
        r = s.api("POST", "/login", {"username": name, "password": new[won]})
        eq(r.status, 200, "the winning password works")
        bodies = [e["body"] for e in api(r.json["token"], "GET", "/journal").json["entries"]]
        check("a private line %d" % i in bodies, "and opens the private entries: the data key is consistent")


@test
def erasing_twice_at_once_is_one_choice():
    for _ in range(ROUNDS):
        a, b = couple()
        A = a["token"]
        r1, r2 = at_once(lambda: api(A, "POST", "/couple/erase", {"password": PW}),
                         lambda: api(A, "POST", "/couple/erase", {"password": PW}))
        check(all(r.status < 500 for r in (r1, r2)), "never a 500 (%d, %d)" % (r1.status, r2.status))
        eq(api(A, "GET", "/couple/erase").json["mine"], True, "the choice is there once")
        eq(api(b["token"], "GET", "/me").status, 200, "and nothing is erased before both chose")


@test
def a_malformed_id_is_not_found():
    a, b = couple()
    A = a["token"]
    for bad in ("abc", "1.0", "12345678901234567", "-5", "0x10", "007"):
        for method, path, body in [("POST", "/forgiveness/%s/share", None), ("POST", "/reports/%s/links", {"days": 3}),
                                   ("DELETE", "/reports/1/links/%s", None), ("GET", "/reports/%s", None),
                                   ("POST", "/agreements/%s/sign", None), ("PATCH", "/journal/%s", {"in_report": True})]:
            r = api(A, method, path % bad, body)
            eq((r.status, r.json["error"]["code"]), (404, "not_found"), "%s %s" % (method, path % bad))


@test
def journal_pages_show_every_entry_even_in_one_second():
    a, b = couple()
    A = a["token"]
    written = set()
    for i in range(45):
        written.add("entry %02d" % i)
    # written as fast as possible: many share a second
    at_once(*[(lambda t=t: api(A, "POST", "/journal", {"body": t})) for t in sorted(written)])
    c = a["couple"]["id"]
    srv().sql("UPDATE journal_entries SET created_at = 1790000000 WHERE couple_id = %d" % c)
    seen, cursor, pages = [], None, 0
    while True:
        r = api(A, "GET", "/journal?limit=20" + ("&starting_after=%d" % cursor if cursor else ""))
        eq(r.status, 200, "a page")
        seen += [e["body"] for e in r.json["entries"]]
        pages += 1
        check(len(r.json["entries"]) <= 20, "at most the limit")
        if not r.json["has_more"]:
            break
        cursor = r.json["entries"][-1]["id"]
        check(pages < 10, "pages end")
    eq(pages, 3, "45 entries, 20 a page")
    eq(sorted(seen), sorted(written), "every entry once, none skipped at a page's edge")
    eq(len(seen), len(set(seen)), "none twice")
