"""What is waiting for you: the home page's first list and GET /api/v1/inbox, over real HTTP on
SQLite and PostgreSQL. Each thing the other partner asks appears for this partner only, newest
first, with the words and the one address to act on it, and goes once it is done."""
import datetime, time
from harness import Browser, test, check, eq
from test_foundation import srv, couple, PW


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def inbox(tok):
    r = api(tok, "GET", "/inbox")
    eq(r.status, 200, "the inbox")
    return r.json["items"]


def kinds(tok):
    return [i["kind"] for i in inbox(tok)]


def this_week():
    y, w, _ = datetime.datetime.utcnow().date().isocalendar()
    return "%04d-W%02d" % (y, w)


SCALES = ["predictable_word", "predictable_know", "dependable_there", "dependable_honest", "faith_cares", "faith_hope",
          "safety", "closeness"]


def answers(v):
    a = {k: v for k in SCALES}
    a["need"] = "Time."
    return {"answers": a}


def page_of(s, account):
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": account["account"]["username"], "password": PW}).status, 303, "logged in")
    return br


@test
def everything_the_partner_asks_waits_in_one_list_until_it_is_done():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    eq(inbox(B), [], "nothing at first")
    home = page_of(s, b).get("/").text
    check("Waiting for you" in home and "Nothing is waiting for you" in home and 'href="/truths"' in home,
          "said kindly, with the day's small act")
    q = api(A, "POST", "/questions", {"text": "Where were you on Friday?"}).json["id"]
    ap = api(A, "POST", "/apologies", {"text": "I lied to you about Friday. That was wrong, and I am sorry."}).json["id"]
    eq(api(A, "POST", "/apologies/%d/deliver" % ap).status, 200, "given")
    ag = api(A, "POST", "/agreements", {"title": "Phones", "text": "Our phones stay open to each other.",
                                        "category": "transparency"}).json["id"]
    api(A, "POST", "/agreements/%d/sign" % ag)
    p = api(A, "POST", "/promises", {"text": "Home by seven", "recurrence": {"every": "day"}}).json["id"]
    today = datetime.datetime.utcnow().date().isoformat()
    eq(api(A, "POST", "/promises/%d/reports" % p, {"date": today, "kept": True}).status, 201, "reported")
    eq(api(A, "PUT", "/checkins/%s/answers" % this_week(), answers(5)).status, 200, "A's check-in")
    f = api(A, "POST", "/forgiveness", {"about": "partner", "text": "I am starting to forgive."}).json["id"]
    eq(api(A, "POST", "/forgiveness/%d/share" % f).status, 200, "shared")
    items = inbox(B)
    eq(sorted(i["kind"] for i in items), sorted(["question_answer", "apology_read", "agreement_sign", "promise_confirm",
                                                "checkin_answer", "forgiveness_note"]), "each thing A asked of B")
    by = {i["kind"]: i for i in items}
    eq((by["question_answer"]["id"], by["question_answer"]["title"], by["question_answer"]["url"]),
       (q, "Where were you on Friday?", "/questions#q-%d" % q), "the question, its words and where to answer it")
    eq((by["agreement_sign"]["title"], by["agreement_sign"]["url"]), ("Phones", "/agreements#ag-%d" % ag), "the agreement")
    eq((by["promise_confirm"]["id"], by["promise_confirm"]["title"]), (p, "Home by seven"), "the promise to confirm")
    eq(by["apology_read"]["title"], "", "an apology's words are read on its page, not in a list")
    times = [i["since"] for i in items]
    eq(times, sorted(times, reverse=True), "newest first")
    eq(kinds(A), [], "nothing of it waits for A, who asked")
    home = page_of(s, b).get("/").text
    main = home[home.index("<main"):]
    check(main.index("Waiting for you") < main.index("Where you are"), "the list leads the page")
    for want in ["Where were you on Friday?", "Read the apology", "Sign \u201cPhones\u201d", "Confirm", "Home by seven",
                 "answered this week's check-in", "shared a note about forgiveness", 'href="/questions#q-%d"' % q]:
        check(want in main, "the page says: " + want)
    check("Nothing is waiting" not in main, "and not that nothing waits")
    # each goes once it is done
    api(B, "POST", "/questions/%d/answers" % q, {"text": "At my sister's."})
    api(B, "POST", "/apologies/%d/response" % ap, {"heard": True})
    api(B, "POST", "/agreements/%d/sign" % ag)
    api(B, "POST", "/promises/%d/reports/%s/confirm" % (p, today), {"confirmed": True})
    time.sleep(1.1)  # times are kept to the second: B answers the check-in after A, for sure
    eq(api(B, "PUT", "/checkins/%s/answers" % this_week(), answers(4)).status, 200, "B's check-in")
    eq(sorted(kinds(B)), ["forgiveness_note"], "what B did is gone; the shared note stays a week")
    eq(kinds(A), ["checkin_revealed"], "B answered last: A has both answers to see")
    eq(inbox(A)[0]["url"], "/checkins", "on the check-in page")
    # asked again, a question waits again
    api(A, "POST", "/questions/%d/ask-again" % q)
    check("question_answer" in kinds(B), "asked again: waiting again")
    # retiring an agreement in force, and a report made
    eq(api(A, "POST", "/agreements/%d/retire" % ag).status, 200, "A asks to retire it")
    check("agreement_retire" in kinds(B), "B is asked to agree")
    eq(api(A, "POST", "/reports", {"from": today, "to": today}).status, 201, "A makes a report")
    check("report_made" in kinds(B), "B sees a report was made")
    check("report_made" not in kinds(A), "not A, who made it")
    # a moment lived together waits for a note of each
    m = api(A, "POST", "/moments", {"title": "A walk by the river", "kind": "activity", "date": today}).json["id"]
    eq(api(A, "PATCH", "/moments/%d" % m, {"done": True, "note": "It felt easy again."}).status, 200, "done, with A's note")
    item = [i for i in inbox(B) if i["kind"] == "moment_note"]
    eq([(i["id"], i["title"], i["url"]) for i in item], [(m, "A walk by the river", "/moments#m%d" % m)], "B may add a note")
    check("moment_note" not in kinds(A), "A wrote one")
    eq(api(B, "PATCH", "/moments/%d" % m, {"note": "Let us do it again."}).status, 200, "B's note")
    check("moment_note" not in kinds(B), "and it is gone")


@test
def a_partner_who_left_and_another_couple_see_nothing_of_it():
    a, b = couple()
    c, d = couple()
    A, B, C = a["token"], b["token"], c["token"]
    api(A, "POST", "/questions", {"text": "Not for another couple"})
    eq(kinds(C), [], "another couple's inbox holds nothing of theirs")
    eq(api(A, "POST", "/account/delete", {"password": PW}).status, 204, "A deletes the account")
    items = inbox(B)
    check("partner_left" in [i["kind"] for i in items], "B is told A left")
    left = [i for i in items if i["kind"] == "partner_left"][0]
    eq((left["id"], left["url"]), (a["user"]["id"], "/account"), "who left, and where to see what can be done")
    eq(api("not-a-token", "GET", "/inbox").status, 401, "only for a partner")
    eq(api(B, "GET", "/inbox?limit=5").status, 422, "the inbox takes no query")


@test
def a_partner_leaving_from_the_page_is_seen_at_once_by_the_other():
    # what each server keeps of a couple goes by its data version: a partner who leaves from the
    # account page (the page after it is a stranger's) still moves it, so the other, whose lists
    # were just read and kept, is told at once
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    eq(kinds(B), [], "B's list, read and kept")
    page_of(s, b).get("/")
    br = page_of(s, a)
    r = br.post("/account/delete", {"password": PW})
    check(r.status == 200 and "mend" in r.text, "A leaves from the page")
    check("partner_left" in kinds(B), "B's list says so at once")
    check(" left the couple space" in page_of(s, b).get("/").text, "and B's home page")


@test
def the_home_page_shows_where_the_two_of_you_are_at_a_glance():
    import re
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    glance = lambda acct: re.search(r'<ul class="glance">(.*?)</ul>', page_of(s, acct).get("/").text, re.S).group(1)
    g = glance(a)
    check('<progress max="' in g and 'value="0"' in g and "0 of " in g and 'href="/program"' in g, "no step taken yet: " + g)
    check("Choose a time for it together" in g, "no check-in time chosen yet")
    check("your streak: 0 days" in g and "B's: 0" in g, "both streaks at nothing: " + g)
    eq(api(A, "PUT", "/checkins/schedule", {"weekday": "sun", "time": "19:30", "timezone": "Europe/Paris"}).status, 200, "a time")
    eq(api(A, "POST", "/truths", {"text": "I told you about the call today."}).status, 201, "a truth")
    eq(api(A, "PUT", "/checkins/%s/answers" % this_week(), answers(5)).status, 200, "A answers this week's check-in")
    g = glance(a)
    check(re.search(r'<a href="/checkins">[^<]*<time datetime="\d{4}-\d\d-\d\d">[A-Z][a-z]+[^<]*</time> at 19:30</a>', g),
          "the next check-in, its day in words: " + g)
    check("yours is in, B's not yet" in g, "A's answer is in: " + g)
    check("your streak: 1 day</a>" in g, "A's streak: " + g)
    g = glance(b)
    check("answered, yours is waiting" in g, "B sees A answered: " + g)
    eq(api(B, "PUT", "/checkins/%s/answers" % this_week(), answers(4)).status, 200, "B answers too")
    check("you both answered this week's" in glance(b), "both answered")
    check("s: 1" in glance(b), "B sees A's streak")
