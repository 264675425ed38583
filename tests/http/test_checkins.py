"""Weekly check-ins over real HTTP, on SQLite and on PostgreSQL: private answers, the reveal
when both have answered, no edits after it, missed weeks, the schedule, and isolation."""
import datetime, json
from harness import test, check, eq
from test_foundation import srv, couple


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def iso_week(delta_weeks=0):
    d = datetime.datetime.utcnow().date() + datetime.timedelta(weeks=delta_weeks)
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


SCALES = ["predictable_word", "predictable_know", "dependable_there", "dependable_honest", "faith_cares", "faith_hope",
          "safety", "closeness"]


def answers(v, need="A quiet evening."):
    a = {k: v for k in SCALES}
    a["need"] = need
    return {"answers": a}


@test
def answers_are_revealed_only_when_both_answered():
    a, b = couple()
    A, B = a["token"], b["token"]
    week = iso_week()
    r = api(A, "GET", "/checkins/" + week)
    eq(r.status, 200, "a week")
    eq(len(r.json["questions"]), 17, "the questions, the meeting's agenda too")
    eq({q["type"] for q in r.json["questions"]}, {"scale", "text"}, "scale and text")
    eq((r.json["mine"], r.json["partner"], r.json["revealed"]), (None, {"answered": False}, False), "nothing yet")
    r = api(A, "PUT", "/checkins/%s/answers" % week, answers(5, "Walks after dinner."))
    eq(r.status, 200, "answered")
    eq(r.json["mine"]["need"], "Walks after dinner.", "kept")
    seen = api(B, "GET", "/checkins/" + week).json
    eq(seen["partner"], {"answered": True}, "B knows A answered, and nothing more")
    check("Walks after dinner" not in json.dumps(api(B, "GET", "/checkins").json), "not in the list either")
    eq(api(A, "PUT", "/checkins/%s/answers" % week, answers(6)).status, 200, "A may still change them")
    r = api(B, "PUT", "/checkins/%s/answers" % week, answers(3, "Honesty about the phone."))
    eq(r.json["revealed"], True, "revealed")
    eq(r.json["partner"]["answers"]["safety"], 6, "B now sees A's")
    eq((float(r.json["trust"]["me"]), float(r.json["trust"]["partner"])), (3.0, 6.0), "trust per partner")
    eq(api(A, "GET", "/checkins/" + week).json["partner"]["answers"]["need"], "Honesty about the phone.", "and A sees B's")
    eq(api(A, "PUT", "/checkins/%s/answers" % week, answers(7)).status, 409, "no edits after the reveal")
    listed = api(A, "GET", "/checkins").json["weeks"][0]
    eq((listed["week"], listed["revealed"], listed["missed"]), (week, True, False), "listed")


@test
def invalid_answers_and_weeks():
    a, _ = couple()
    A = a["token"]
    week = iso_week()
    bad = answers(5)
    bad["answers"]["safety"] = 9
    r = api(A, "PUT", "/checkins/%s/answers" % week, bad)
    eq((r.status, r.json["error"]["field"]), (422, "answers.safety"), "off the scale")
    bad = answers(5)
    del bad["answers"]["faith_hope"]
    eq(api(A, "PUT", "/checkins/%s/answers" % week, bad).json["error"]["field"], "answers.faith_hope", "missing")
    bad = answers(5)
    bad["answers"]["mood"] = 3
    eq(api(A, "PUT", "/checkins/%s/answers" % week, bad).json["error"]["field"], "answers.mood", "unknown question")
    eq(api(A, "PUT", "/checkins/%s/answers" % week, {"answers": [1]}).status, 422, "not an object")
    eq(api(A, "PUT", "/checkins/%s/answers" % iso_week(1), answers(5)).status, 422, "the future")
    eq(api(A, "PUT", "/checkins/%s/answers" % iso_week(-3), answers(5)).status, 409, "closed weeks")
    eq(api(A, "GET", "/checkins/2026-48").status, 404, "not a week")
    eq(api(A, "GET", "/checkins/" + week).json["mine"], None, "nothing was written")


@test
def the_schedule_both_see():
    a, b = couple()
    r = api(a["token"], "PUT", "/checkins/schedule", {"weekday": "sun", "time": "19:30", "timezone": "Europe/Paris"})
    eq((r.status, r.json), (200, {"weekday": "sun", "time": "19:30", "timezone": "Europe/Paris"}), "set")
    eq(api(b["token"], "GET", "/checkins").json["schedule"]["time"], "19:30", "B sees it")
    for body, field in [({"weekday": "someday", "time": "19:30", "timezone": "UTC"}, "weekday"),
                        ({"weekday": "mon", "time": "25:00", "timezone": "UTC"}, "time"),
                        ({"weekday": "mon", "time": "7pm", "timezone": "UTC"}, "time"),
                        ({"weekday": "mon", "time": "19:30", "timezone": "Moon/Base"}, "timezone")]:
        r = api(b["token"], "PUT", "/checkins/schedule", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "invalid %r" % body)
    x, _ = couple()
    eq(api(x["token"], "GET", "/checkins").json["schedule"], None, "another couple has its own")
    eq(api(x["token"], "GET", "/checkins/" + iso_week()).json["mine"], None, "and its own answers")


@test
def measures_from_revealed_weeks_only():
    a, b = couple()
    A, B = a["token"], b["token"]
    m = api(A, "GET", "/measures").json
    eq((m["weeks"], m["trend"], m["stuck"], m["next_checkin"]), ([], {"me": None, "partner": None}, False, None), "empty")
    eq(m["streaks"], {"me": 0, "partner": 0}, "no truths")
    week = iso_week()
    api(A, "PUT", "/checkins/%s/answers" % week, answers(5))
    eq(api(A, "GET", "/measures").json["weeks"], [], "one answer reveals nothing")
    api(B, "PUT", "/checkins/%s/answers" % week, answers(3))
    m = api(A, "GET", "/measures").json
    eq(len(m["weeks"]), 1, "the revealed week")
    eq((m["weeks"][0]["week"], float(m["weeks"][0]["me"]["index"]), float(m["weeks"][0]["partner"]["index"])), (week, 5.0, 3.0), "indexes")
    eq(float(m["weeks"][0]["me"]["facets"]["faith"]), 5.0, "per facet")
    eq(m["trend"], {"me": None, "partner": None}, "a trend needs two weeks")
    eq(float(api(B, "GET", "/measures").json["weeks"][0]["me"]["index"]), 3.0, "each sees their own as me")
    api(A, "PUT", "/checkins/schedule", {"weekday": "sun", "time": "19:30", "timezone": "UTC"})
    n = api(B, "GET", "/measures").json["next_checkin"]
    eq((n["time"], n["timezone"]), ("19:30", "UTC"), "next check-in")
    eq(datetime.date.fromisoformat(n["date"]).isoweekday(), 7, "on a Sunday")
    x, _ = couple()
    eq(api(x["token"], "GET", "/measures").json["weeks"], [], "another couple's measures are their own")


@test
def the_calendar_address_is_secret_renewable_and_revocable():
    s = srv()
    a, b = couple()
    r = api(a["token"], "GET", "/calendar")
    eq((r.status, r.json), (200, {"active": False, "created_at": None}), "none until asked for: a GET makes nothing")
    eq(s.query("SELECT COUNT(*) FROM calendar_feeds WHERE couple_id = %d" % a["couple"]["id"])[0][0] in (0, "0"), True, "nothing stored")
    r = api(a["token"], "POST", "/calendar")
    eq(r.status, 201, "made")
    url = r.json["url"]
    path = url[url.index("/calendar/"):]
    secret = path[len("/calendar/"):-len(".ics")]
    feed = s.request("GET", path)
    eq((feed.status, feed.getheader("Content-Type")), (200, "text/calendar; charset=utf-8"), "served")
    check(feed.body.startswith(b"BEGIN:VCALENDAR\r\n") and feed.body.endswith(b"END:VCALENDAR\r\n"), "a calendar")
    r = api(a["token"], "GET", "/calendar").json
    check(r["active"] and r["created_at"] and "url" not in r, "shown once: afterwards only that it exists")
    stored = [row[0] for row in s.query("SELECT secret FROM calendar_feeds WHERE couple_id = %d" % a["couple"]["id"])]
    check(stored and secret not in stored and all(len(x) == 64 for x in stored), "only a hash of the secret is stored")
    other = api(b["token"], "POST", "/calendar").json["url"]
    check(other != url, "each partner has their own")
    new = api(a["token"], "POST", "/calendar").json["url"]
    eq((s.request("GET", path).status, s.request("GET", new[new.index("/calendar/"):]).status), (404, 200), "renewed")
    eq(api(a["token"], "DELETE", "/calendar").status, 204, "revoked")
    eq(s.request("GET", new[new.index("/calendar/"):]).status, 404, "gone")
    eq(s.request("GET", "/calendar/%s.ics" % ("x" * 43)).status, 404, "unknown")


@test
def guidance_and_the_gentle_prompt_when_things_stall():
    from harness import Browser
    from test_foundation import PW
    s = srv()
    r = s.request("GET", "/guidance")
    eq(r.status, 200, "guidance for anyone")
    for words in (b"When couples therapy helps", b"When individual therapy helps", b"What a first session is like",
                  b"How to look for a couples therapist", b"If this is about control, threats or violence", b"quick exit"):
        check(words in r.body, "guidance covers %r" % words)
    a, b = couple()
    p = api(a["token"], "POST", "/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}}).json
    browsers = []
    for who in (a, b):
        br = Browser(s)
        br.get("/login")
        eq(br.post("/login", {"username": who["account"]["username"], "password": PW}).status, 303, "logged in")
        browsers.append(br)
    check("A thought, gently" not in browsers[0].get("/").text, "no prompt while things are fine")
    # a month of a daily promise never reported: consistency stays low, week after week
    s.sql("UPDATE promises SET start_day = start_day - 30 WHERE couple_id = %d AND id = %d" % (a["couple"]["id"], p["id"]))
    s.sql("DELETE FROM guidance_prompts WHERE couple_id = %d" % a["couple"]["id"])
    # scores are kept until the couple's ledger moves (the edit above went behind mend's back):
    # a second promise, made the usual way, moves it
    api(a["token"], "POST", "/promises", {"text": "Say goodnight", "recurrence": {"every": "day"}})
    for br in browsers:
        home = br.get("/").text
        check("A thought, gently" in home and 'href="/guidance"' in home, "the prompt shows for each partner")
        check("your partner is" not in home.lower(), "never about the partner")
    check(api(a["token"], "GET", "/measures").json["stuck"], "the measure agrees")
    r = browsers[1].post("/guidance/dismiss", {})
    eq(r.status, 303, "not now")
    check("A thought, gently" not in browsers[1].get("/").text, "gone after 'not now'")
    check("A thought, gently" in browsers[0].get("/").text, "the other partner's own choice")


@test
def guidance_says_what_to_do_in_a_crisis_with_the_operators_numbers():
    import os, subprocess, tempfile
    from harness import Server
    r = srv().request("GET", "/guidance").body.decode()
    check('id="crisis"' in r and "thinking of harming yourself" in r and "112" in r, "a crisis, said plainly, with a default")
    check(r.index('id="crisis"') < r.index("When couples therapy helps"), "before anything else on the page")
    check('href="/guidance#crisis"' in srv().request("GET", "/login").body.decode(), "reached from every page's footer")
    d = tempfile.mkdtemp()
    f = os.path.join(d, "crisis.txt")
    with open(f, "w") as out:
        out.write("Samaritans (UK and Ireland): 116 123\r\n\nEmergency: 999 <or 112>\n")
    s = Server("--crisis-file", f)
    try:
        r = s.request("GET", "/guidance").body.decode()
        check("<li>Samaritans (UK and Ireland): 116 123</li>" in r and "<li>Emergency: 999 &lt;or 112&gt;</li>" in r,
              "the operator's numbers, a line each, escaped")
        check("In much of the world 112" not in r, "instead of the default")
    finally:
        s.stop()
    with open(f, "wb") as out:
        out.write(b"bad \xff bytes\n")
    import harness
    p = subprocess.run([harness.MEND, "serve", "--db", os.path.join(d, "x.db"), "--crisis-file", f],
                       capture_output=True, text=True, timeout=20)
    eq(p.returncode, 2, "a file that is not text is refused at start")
    check("--crisis-file" in p.stderr, "saying which option: " + p.stderr)


@test
def the_weekly_meeting_agenda_is_revealed_with_the_answers():
    from test_inbox import page_of
    a, b = couple()
    A, B = a["token"], b["token"]
    w = iso_week(0)
    bad = answers(5)
    bad["answers"]["appreciation_1"] = "Two\nlines"
    r = api(A, "PUT", "/checkins/%s/answers" % w, bad)
    eq((r.status, r.json["error"]["field"]), (422, "answers.appreciation_1"), "an appreciation is one line")
    mine = answers(5)
    mine["answers"].update({"appreciation_1": "You made dinner on Tuesday.", "appreciation_2": "You called when late.",
                            "issue": "How we spend Sunday mornings."})
    eq(api(A, "PUT", "/checkins/%s/answers" % w, mine).status, 200, "A's answers, with the agenda")
    eq(api(B, "GET", "/checkins/%s" % w).json["partner"].get("answers"), None, "not seen before B answered")
    check("You made dinner" not in page_of(srv(), b).get("/checkins").text, "nor on the page")
    eq(api(B, "PUT", "/checkins/%s/answers" % w, answers(6)).status, 200, "B answered")
    got = api(B, "GET", "/checkins/%s" % w).json["partner"]["answers"]
    eq((got["appreciation_1"], got["issue"]), ("You made dinner on Tuesday.", "How we spend Sunday mornings."), "revealed together")
    page = page_of(srv(), b).get("/checkins").text
    check("You made dinner on Tuesday." in page and "one issue to talk about together" in page, "on the page, as an agenda")
