"""Time zones and the daily truth over real HTTP, on SQLite and on PostgreSQL."""
import datetime, zoneinfo
from harness import test, check, eq
from test_foundation import srv, couple


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def local_date(tz):
    return datetime.datetime.now(zoneinfo.ZoneInfo(tz)).date().isoformat()


@test
def each_partner_has_a_time_zone():
    a, _ = couple()
    eq(api(a["token"], "GET", "/me").json["account"]["timezone"], "UTC", "UTC until chosen")
    r = api(a["token"], "PUT", "/account/timezone", {"timezone": "Europe/Paris"})
    eq((r.status, r.json["account"]["timezone"]), (200, "Europe/Paris"), "set: the account as it now is")
    eq(api(a["token"], "GET", "/me").json["account"]["timezone"], "Europe/Paris", "kept")
    for bad in ["Mars/Olympus", "../../etc/passwd", "", 5, "Europe/Paris" + "x" * 80]:
        r = api(a["token"], "PUT", "/account/timezone", {"timezone": bad})
        eq((r.status, r.json["error"]["field"]), (422, "timezone"), "refused %r" % (bad,))
    eq(api(a["token"], "GET", "/me").json["account"]["timezone"], "Europe/Paris", "unchanged")


@test
def one_truth_a_local_day_shared_with_the_partner():
    a, b = couple()
    A, B = a["token"], b["token"]
    # far from UTC on both sides, so the local day differs from the UTC day for part of every day
    api(A, "PUT", "/account/timezone", {"timezone": "Pacific/Kiritimati"})
    api(B, "PUT", "/account/timezone", {"timezone": "Pacific/Pago_Pago"})
    r = api(A, "GET", "/truths")
    eq((r.json["today"]["written"], r.json["streak"]), (False, {"me": 0, "partner": 0}), "nothing yet")
    r = api(A, "POST", "/truths", {"text": "I still check the car for receipts."})
    eq(r.status, 201, "shared")
    eq(r.json["date"], local_date("Pacific/Kiritimati"), "dated by the author's own day")
    r = api(A, "POST", "/truths", {"text": "Another one."})
    eq(r.status, 409, "one a day")
    check("one a day" in r.json["error"]["message"], "says why")
    r = api(B, "POST", "/truths", {"text": "I am scared of hoping."})
    eq(r.json["date"], local_date("Pacific/Pago_Pago"), "B's own day")
    seen = api(B, "GET", "/truths").json
    eq(sorted(t["text"] for t in seen["truths"]), ["I am scared of hoping.", "I still check the car for receipts."], "both see both")
    eq((seen["today"]["written"], seen["streak"]), (True, {"me": 1, "partner": 1}), "streaks")
    for body in [{"text": "  "}, {"text": "x" * 501}, {"text": 3}, {}]:
        r = api(B, "POST", "/truths", body)
        eq((r.status, r.json["error"]["field"]), (422, "text"), "invalid %r" % body)
    x, _ = couple()
    eq(api(x["token"], "GET", "/truths").json["truths"], [], "another couple sees none")


@test
def the_partner_answers_a_truth_with_a_heart_or_a_line_once():
    import threading
    from harness import Browser
    from test_foundation import PW
    a, b = couple()
    A, B = a["token"], b["token"]
    t = api(A, "POST", "/truths", {"text": "I told my sister about us today."}).json
    eq(t["reply"], None, "no answer yet")
    eq(api(A, "POST", "/truths/%d/reply" % t["id"], {"heart": True}).status, 403, "not one's own")
    for bad, field in [({}, "text"), ({"heart": False, "text": "  "}, "text"), ({"heart": "yes"}, "heart")]:
        r = api(B, "POST", "/truths/%d/reply" % t["id"], bad)
        eq((r.status, (r.json.get("error") or {}).get("field")), (422, field), "refused: %r: %s" % (bad, r.body))
    got = []
    def go(i):
        got.append(api(B, "POST", "/truths/%d/reply" % t["id"], {"heart": True, "text": "Proud of you %d." % i}).status)
    ts = [threading.Thread(target=go, args=(i,)) for i in range(5)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    eq(sorted(got), [200, 409, 409, 409, 409], "one answer kept, at once from two phones or not")
    r = api(A, "GET", "/truths/%d" % t["id"]).json
    check(r["reply"]["heart"] is True and r["reply"]["text"].startswith("Proud of you"), "the author sees it: %r" % r["reply"])
    other, _ = couple()
    eq(api(other["token"], "POST", "/truths/%d/reply" % t["id"], {"heart": True}).status, 404, "another couple's is not there")
    s = srv()
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    t2 = api(A, "POST", "/truths", {"text": "x"}).status  # one a day: the second is refused
    eq(t2, 409, "one a day")
    mine = api(B, "POST", "/truths", {"text": "I slept badly and did not say why."}).json
    page = br.get("/truths").text
    check("You sent a heart: Proud of you" in page, "the answer on the page")
    check('action="/truths/%d/reply"' % mine["id"] not in page, "no answering one's own")
    ba = Browser(s)
    ba.get("/login")
    ba.post("/login", {"username": a["account"]["username"], "password": PW})
    eq(ba.post("/truths/%d/reply" % mine["id"], {"heart": "1", "text": ""}).status, 303, "a heart from the page")
    check("sent a heart" in br.get("/truths").text.split("I slept badly")[1][:400], "seen by its author")
