"""Hard dates and time-outs over real HTTP, on SQLite and PostgreSQL. A hard date is seen by
both and reminds the partner who broke trust ahead of it (what waits, the calendar feed), each
year again when it comes back; a time-out is called in one tap, once however many tap at once,
every page says until when, and both are asked to come back when it ends."""
import datetime, threading
from harness import test, check, eq
from test_foundation import srv, couple
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def day(offset, years=0):
    d = datetime.datetime.utcnow().date() + datetime.timedelta(days=offset)
    return d.replace(year=d.year + years) if not (d.month == 2 and d.day == 29) else d


def waiting(tok, kind):
    return [i for i in api(tok, "GET", "/inbox").json["items"] if i["kind"] == kind]


@test
def a_hard_date_reminds_the_partner_who_broke_trust_ahead_of_it():
    a, b = couple()
    A, B = a["token"], b["token"]
    for bad, field in [({"date": day(3).isoformat()}, "title"), ({"title": "x", "date": "2026-02-30"}, "date"),
                       ({"title": "x"}, "date"), ({"title": "x", "date": day(1).isoformat(), "remind_days_before": 31}, "remind_days_before"),
                       ({"title": "x", "date": day(1).isoformat(), "remind_days_before": "2"}, "remind_days_before"),
                       ({"title": "x", "date": day(1).isoformat(), "yearly": "no"}, "yearly"),
                       ({"title": "two\nlines", "date": day(1).isoformat()}, "title")]:
        r = api(B, "POST", "/hard-dates", bad)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % bad)
    eq(api(B, "GET", "/hard-dates").json["hard_dates"], [], "and nothing was kept")
    eq(api(A, "PUT", "/path", {"path": "broke_trust"}).status, 200, "A broke trust")
    eq(api(B, "PUT", "/path", {"path": "hurt"}).status, 200, "B was hurt")
    # the day it came out, a year ago: it comes back in three days
    r = api(B, "POST", "/hard-dates", {"title": "The day I found out", "date": day(3, years=-1).isoformat(),
                                       "remind_days_before": 5})
    eq(r.status, 201, "added")
    h = r.json
    eq((h["title"], h["yearly"], h["next"], h["days_until"], h["reminded"]),
       ("The day I found out", True, day(3).isoformat(), 3, [a["user"]["id"]]), "yearly, reminding the one who broke trust")
    eq(api(A, "GET", "/hard-dates/%d" % h["id"]).json["title"], "The day I found out", "both see it")
    w = waiting(A, "hard_date")
    eq([(i["id"], i["title"], i["days"], i["url"]) for i in w], [(h["id"], "The day I found out", 3, "/hard-dates#hd-%d" % h["id"])],
       "it waits for the partner who broke trust, with the days left")
    eq(waiting(B, "hard_date"), [], "not for the one who was hurt")
    # outside its window, not yet; a one-off date that is past, never
    far = api(B, "POST", "/hard-dates", {"title": "Her birthday", "date": day(20).isoformat(), "remind_days_before": 7,
                                         "yearly": False}).json
    eq((far["yearly"], far["days_until"]), (False, 20), "one day only")
    past = api(B, "POST", "/hard-dates", {"title": "The hotel", "date": day(-2).isoformat(), "yearly": False}).json
    eq((past["next"], past["days_until"]), (None, None), "a one-off date that is past has no next time")
    eq([i["id"] for i in waiting(A, "hard_date")], [h["id"]], "only what is near waits")
    today = api(B, "POST", "/hard-dates", {"title": "The wedding", "date": day(0, years=-3).isoformat(), "remind_days_before": 0}).json
    eq(today["days_until"], 0, "it is today")
    eq(sorted(i["days"] for i in waiting(A, "hard_date")), [0, 3], "today's too")
    home = page_of(srv(), a).get("/").text
    check("Today is \u201cThe wedding\u201d: a hard day" in home and "The day I found out\u201d is in 3 days" in home,
          "the home page says it, kindly")
    # both partners' pages list every date; only its author removes one
    br = page_of(srv(), b)
    page = br.get("/hard-dates").text
    for t in ("The day I found out", "Her birthday", "The hotel", "The wedding"):
        check(t in page, "listed: " + t)
    check("Reminds A 5 days before" in page or "Reminds " in page, "says who is reminded")
    eq(api(A, "DELETE", "/hard-dates/%d" % h["id"]).status, 403, "not the partner's to remove")
    r = br.post("/hard-dates", {"title": "", "date": "soon", "remind_days_before": "3", "yearly": "1"})
    check(r.status == 200 and "aria-invalid" in r.text, "a refused form comes back")
    r = br.post("/hard-dates", {"title": "Our old street", "date": day(9).isoformat(), "remind_days_before": "2"})
    eq(r.getheader("Location"), "/hard-dates?saved=shared", "added from the page")
    street = [x for x in api(A, "GET", "/hard-dates").json["hard_dates"] if x["title"] == "Our old street"]
    eq([x["yearly"] for x in street], [False], "unticked, it is one day only")
    eq(br.post("/hard-dates/%d/delete" % past["id"], {}).status, 303, "removed by its author")
    eq(api(A, "GET", "/hard-dates/%d" % past["id"]).status, 404, "gone for both")
    # the calendar feed of the one reminded has an alarm; the other's has the date without one
    feed_a = api(A, "POST", "/calendar").json["url"]
    feed_b = api(B, "POST", "/calendar").json["url"]
    ics_a = srv().request("GET", feed_a[feed_a.index("/calendar/"):]).body.decode()
    ics_b = srv().request("GET", feed_b[feed_b.index("/calendar/"):]).body.decode()
    ua = ics_a.split("UID:hard-%d@mend" % h["id"])[1].split("END:VEVENT")[0]
    check("RRULE:FREQ=YEARLY" in ua and "TRIGGER:-P4DT15H" in ua, "yearly, with the phone's alarm five days before: %r" % ua)
    ub = ics_b.split("UID:hard-%d@mend" % h["id"])[1].split("END:VEVENT")[0]
    check("SUMMARY:The day I found out" in ub and "VALARM" not in ub, "the hurt partner sees the date, unalarmed")
    # another couple sees none of it
    other, _ = couple()
    eq(api(other["token"], "GET", "/hard-dates").json["hard_dates"], [], "another couple sees nothing")
    eq(api(other["token"], "DELETE", "/hard-dates/%d" % h["id"]).status, 404, "nor removes")


@test
def while_no_path_is_said_the_partner_who_did_not_add_it_is_reminded():
    a, b = couple()
    h = api(b["token"], "POST", "/hard-dates", {"title": "A concert", "date": day(1).isoformat()}).json
    eq(h["reminded"], [a["user"]["id"]], "the other one")
    eq(len(waiting(a["token"], "hard_date")), 1, "it waits for them")
    eq(waiting(b["token"], "hard_date"), [], "not for who added it")
    api(b["token"], "PUT", "/path", {"path": "both"})
    eq(len(waiting(b["token"], "hard_date")), 1, "one who says both did is reminded too")


@test
def a_time_out_is_called_once_and_every_page_says_until_when():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    r = api(A, "GET", "/timeout-rule").json
    eq((r["set"], r["minutes"], r["agreed"]), (False, 20, False), "no rule yet: twenty minutes")
    for bad, field in [({"minutes": 2, "text": "x"}, "minutes"), ({"minutes": 300, "text": "x"}, "minutes"),
                       ({"minutes": "30", "text": "x"}, "minutes"), ({"minutes": 30}, "text"), ({"minutes": 30, "text": ""}, "text")]:
        r = api(A, "PUT", "/timeout-rule", bad)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % bad)
    rule = {"minutes": 30, "text": "The one who called it texts when ready; we meet on the sofa."}
    r = api(A, "PUT", "/timeout-rule", rule).json
    eq((r["set"], r["minutes"], r["set_by"], r["agreed"]), (True, 30, a["user"]["id"], False), "proposed")
    eq(api(A, "PUT", "/timeout-rule", rule).json["agreed"], False, "the one who set it cannot agree for both")
    r = api(B, "PUT", "/timeout-rule", rule).json
    eq((r["agreed"], r["agreed_by"]), (True, b["user"]["id"]), "the same words from the other: agreed")
    r = api(B, "PUT", "/timeout-rule", dict(rule, minutes=45)).json
    eq((r["minutes"], r["set_by"], r["agreed"]), (45, b["user"]["id"], False), "a change starts over")
    # two taps at once (and both partners): one time-out
    got = []
    def go(tok):
        r = api(tok, "POST", "/timeouts")
        got.append((r.status, r.json["id"], r.json["until"]))
    ts = [threading.Thread(target=go, args=(t,)) for t in (A, B, A, B, A, B)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    eq(sorted(g[0] for g in got), [200] * 5 + [201], "one called, the others told it runs")
    eq(len({(g[1], g[2]) for g in got}), 1, "all the same time-out")
    listed = api(A, "GET", "/timeouts").json["timeouts"]
    eq(len(listed), 1, "one in the list")
    t = listed[0]
    check(t["running"], "running")
    until = datetime.datetime.strptime(t["until"], "%Y-%m-%dT%H:%M:%SZ")
    called = datetime.datetime.strptime(t["called_at"], "%Y-%m-%dT%H:%M:%SZ")
    eq(int((until - called).total_seconds()), 45 * 60, "as long as the rule says")
    clock = until.strftime("%H:%M")
    for who in (a, b):
        page = page_of(s, who).get("/guidance").text
        check("A time-out is on until" in page and clock in page, "every page says until when (%s)" % clock)
        check('action="/timeouts"' not in page.split("</main>")[1], "and offers no second one")
    caller = t["mine"] and a or b
    other = b if caller is a else a
    eq(len(waiting(other["token"], "timeout_on")), 1, "it waits for the partner who did not call it")
    eq(waiting(caller["token"], "timeout_on"), [], "not for who called it")
    # it ends: both are asked to come back, for an hour
    s.sql("UPDATE timeouts SET ends_at = ends_at - 2700 - 60, called_at = called_at - 2700 - 60 WHERE couple_id = %d" % a["couple"]["id"])
    s.sql("UPDATE couples SET timeout_until = timeout_until - 2700 - 60 WHERE id = %d" % a["couple"]["id"])
    for who in (a, b):
        eq(len(waiting(who["token"], "timeout_over")), 1, "come back, for both")
        page = page_of(s, who).get("/guidance").text
        check("A time-out is on" not in page and 'action="/timeouts"' in page, "over: the one-tap button is back in the footer")
    r = page_of(s, b).post("/timeouts", {})
    eq(r.getheader("Location"), "/timeouts", "called from a page")
    check("A time-out is on until" in page_of(s, a).get("/timeouts").text, "and it runs")
    check(not any("by" in x for x in api(A, "GET", "/timeouts").json["timeouts"]), "no one is named as who called it")
    other_couple, _ = couple()
    eq(api(other_couple["token"], "GET", "/timeouts").json["timeouts"], [], "another couple sees nothing")
    check("A time-out is on" not in page_of(s, other_couple).get("/").text, "nor the banner")


@test
def the_other_agrees_to_the_rule_from_the_page():
    a, b = couple()
    s = srv()
    pa = page_of(s, a)
    eq(pa.post("/timeout-rule", {"minutes": "25", "text": "We come back to the kitchen table."}).status, 303, "proposed")
    pb = page_of(s, b)
    page = pb.get("/timeouts").text
    check("25 minutes." in page and "I agree to this rule" in page, "the other sees it and can agree")
    eq(pb.post("/timeout-rule", {"agree": "1"}).status, 303, "agreed")
    check("You both agreed to it." in pa.get("/timeouts").text, "both agreed")
    r = pa.post("/timeout-rule", {"minutes": "1", "text": "kept words"})
    check(r.status == 200 and "aria-invalid" in r.text and "kept words" in r.text, "a refused form keeps what was typed")
