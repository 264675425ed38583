"""The program over real HTTP: a phase moves only when both partners are ready, and every
answer follows each change at once. Runs on SQLite and on PostgreSQL."""
import re
from harness import Server, Browser, test, check, eq
from test_foundation import srv, couple, signup, uniq, PW
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


@test
def the_program_moves_only_when_both_are_ready():
    s = srv()
    lone = signup(s)
    eq(api(lone["token"], "POST", "/program/ready").status, 409, "not before the partner joined")
    a, b = couple()
    A, B = a["token"], b["token"]
    p = api(A, "GET", "/program").json
    eq((p["phase"]["number"], p["phase"]["id"]), (1, "acknowledge"), "first phase")
    eq([x["name"] for x in p["phases"]], ["Acknowledge", "Safety", "Consistency", "Reconnect", "Grow"], "five phases")
    check(sum(len(x["steps"]) for x in p["phases"]) >= 28, "about 30 steps")
    eq(p["phases"][0]["steps"][0]["url"], "/breach", "steps link to their tool")
    eq(p["next"]["tool"], "breach", "the next thing: write the account")
    r = api(A, "POST", "/program/ready")
    eq(r.json["ready"], {"me": True, "partner": False}, "A ready")
    eq(api(B, "GET", "/program").json["ready"], {"me": False, "partner": True}, "B sees it")
    eq(api(A, "DELETE", "/program/ready").status, 204, "A takes it back")
    eq(api(A, "GET", "/program").json["ready"]["me"], False, "taken back")
    api(A, "POST", "/program/ready")
    r = api(B, "POST", "/program/ready")
    eq(r.json["phase"]["number"], 2, "both ready: Safety")
    eq(r.json["ready"], {"me": False, "partner": False}, "readiness starts over")
    for n in range(3, 6):
        api(A, "POST", "/program/ready")
        eq(api(B, "POST", "/program/ready").json["phase"]["number"], n, "phase %d" % n)
    r = api(A, "POST", "/program/ready")
    eq(r.status, 409, "Grow is the last")


@test
def the_program_answer_follows_every_change_at_once():
    """The program's answer is kept between requests while nothing changed; any change, made
    through any of the server's connections, shows in the very next answer."""
    a, b = couple()
    A, B = a["token"], b["token"]
    first = [api(A, "GET", "/program").json["next"] for _ in range(6)]
    check(all(n == first[0] for n in first), "the same answer while nothing changes")
    api(B, "POST", "/questions", {"text": "Did you tell anyone else?"})
    for _ in range(6):  # every event loop, whichever answers
        eq(api(A, "GET", "/program").json["next"]["tool"], "questions", "the partner's question, at once")
    q = api(B, "GET", "/questions").json["questions"][0]["id"]
    api(A, "POST", "/questions/%d/answers" % q, {"text": "No. Only my brother knew, and I told you about him."})
    for _ in range(6):
        check(api(A, "GET", "/program").json["next"]["tool"] != "questions", "answered: the suggestion moves on")


ACCOUNT = ("For a year I hid the debts I was making from you. Each time you asked about the statements I "
           "lied, and I moved money between cards so you would not see. I let you carry worries that were mine, "
           "and I made you doubt what you saw.")


@test
def steps_taken_are_ticked_and_the_next_step_is_the_first_not_taken():
    a, b = couple()
    A, B = a["token"], b["token"]
    taken = lambda tok: api(tok, "GET", "/program").json["phase"]["steps_taken"]
    eq(taken(A), [False] * 13, "nothing taken at first: one flag a step of the first phase")
    eq(api(A, "PUT", "/breach/account", {"text": ACCOUNT, "root_cause": "Shame, and fear.",
                                        "category": "dishonesty", "broke_trust": "me"}).status, 200, "A's account")
    eq(taken(A)[0], True, "A wrote an account: A's first step is taken")
    eq(taken(B)[0], False, "not B's: each writes their own")
    f = api(A, "POST", "/feelings", {"emotion": "ashamed", "shared": True}).json["id"]
    eq(api(B, "POST", "/feelings/%d/heard" % f).status, 200, "B answers it")
    eq((taken(A)[2], taken(B)[3]), (True, True), "a feeling said, a feeling heard")
    eq(api(A, "POST", "/apologies", {"text": "I am sorry I hid the debts and lied about them."}).status, 201, "A's draft")
    eq((taken(A)[6], taken(B)[6]), (True, False), "A wrote an apology; B's steps say nothing of a private draft")
    s = srv()
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": a["account"]["username"], "password": PW})
    page = br.get("/program").text
    eq(page.count("(done)"), 3, "the program page ticks A's three steps, in words")
    # on to the second phase: its first step not taken is suggested, then the next
    api(A, "POST", "/program/ready")
    eq(api(B, "POST", "/program/ready").json["phase"]["id"], "safety", "the second phase")
    eq(taken(A), [False] * 6, "a new phase starts with nothing taken")
    check(api(A, "GET", "/program").json["next"]["text"].startswith("Agree together how open"), "its first step")
    ag = api(A, "POST", "/agreements", {"title": "Phones", "text": "Our phones stay open to each other.",
                                        "category": "transparency"}).json["id"]
    api(A, "POST", "/agreements/%d/sign" % ag)
    eq(api(B, "POST", "/agreements/%d/sign" % ag).status, 200, "in force")
    eq(taken(A)[0], True, "an agreement about openness, in force")
    check(api(A, "GET", "/program").json["next"]["text"].startswith("Decide what contact"), "so the next is the second step")
    eq(api(B, "PUT", "/checkins/schedule", {"weekday": "sun", "time": "19:30", "timezone": "Europe/Paris"}).status, 200, "a time")
    eq(taken(A)[4], True, "the check-in has a time, for the couple")
    eq(taken(A)[5], False, "advice is never ticked")


@test
def each_partner_says_which_path_is_theirs_and_the_program_follows_it():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    me = api(A, "GET", "/me").json
    eq([p["path"] for p in me["couple"]["partners"]], [None, None], "nobody has said yet")
    for bad in [{"path": "victim"}, {"path": ""}, {}, {"path": 3}]:
        r = api(A, "PUT", "/path", bad)
        eq((r.status, r.json["error"]["field"]), (422, "path"), "refused: %r" % bad)
    eq(api(A, "GET", "/me").json["user"]["path"], None, "and nothing changed")
    eq(api(A, "PUT", "/path", {"path": "broke_trust"}).json, {"path": "broke_trust"}, "A broke trust")
    eq(api(B, "PUT", "/path", {"path": "hurt"}).json, {"path": "hurt"}, "B was hurt")
    seen = {p["id"]: p["path"] for p in api(B, "GET", "/me").json["couple"]["partners"]}
    eq(seen, {a["user"]["id"]: "broke_trust", b["user"]["id"]: "hurt"}, "each sees both")
    other, _ = couple()
    check("broke_trust" not in str(api(other["token"], "GET", "/me").json), "another couple sees nothing of it")
    # the suggestions follow the path: the hurt partner starts with feelings, the other with the account
    eq(api(B, "GET", "/program").json["next"]["tool"], "feelings", "B begins with what they feel")
    eq(api(A, "GET", "/program").json["next"]["tool"], "breach", "A with the account")
    steps = api(A, "GET", "/program").json["phases"][0]["steps"]
    eq({st["for"] for st in steps}, {"both", "hurt", "broke_trust"}, "each step says whose it is")
    # B's account and a feeling: the apology steps are A's, never suggested to B
    eq(api(B, "POST", "/feelings", {"emotion": "hurt", "shared": True}).status, 201, "B's feeling")
    r = api(B, "PUT", "/breach/account", {"text": "I found the messages on a Sunday evening, on the phone you left on the table, "
                                         "and I read all of them before you came home. I did not sleep that night, and for "
                                         "weeks I checked everything you said against what I had read.", "root_cause": "We stopped talking.",
                                         "category": "secrecy", "broke_trust": "partner"})
    eq(r.status, 200, "B's account: %s" % r.body)
    eq(api(A, "PUT", "/breach/account", {"text": ACCOUNT, "root_cause": "Shame, and fear.", "category": "dishonesty",
                                        "broke_trust": "me"}).status, 200, "A's account")
    api(A, "POST", "/breach/acknowledge")
    api(B, "POST", "/breach/acknowledge")
    nb = api(B, "GET", "/program").json["next"]
    check(nb["tool"] in ("questions", "feelings") and "apology" not in nb["text"].lower(), "B is not asked to apologise: %r" % nb)
    na = api(A, "GET", "/program").json["next"]
    check(na["tool"] in ("feelings", "questions", "apologies"), "A's own next step: %r" % na)
    # the pages say it: the program orders and marks the steps, the home page names both paths
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": b["account"]["username"], "password": PW})
    prog = br.get("/program").text
    check('id="path-hurt" name="path" value="hurt" checked' in prog, "B's choice is checked")
    check("B" in prog and "broke trust." in prog, "and what A said")
    first = prog[prog.index('<ol class="steps">'):]
    first = first[:first.index("</ol>")]
    check(first.index("Ask what you need to know") < first.index("Each of you writes down"), "B's own steps lead")
    check(first.count("&#39;s part:</span>") + first.count("'s part:</span>") >= 4, "A's steps are shown as A's part")
    home = br.get("/").text
    check("(you) \u00b7 I was hurt \u00b7" in home and "broke trust \u00b7" in home, "the couple space names both paths")
    check("Say it once" not in home, "no prompt once said")
    eq(br.post("/program/path", {"path": "both"}).status, 303, "changed from the page")
    eq(api(B, "GET", "/me").json["user"]["path"], "both", "at once")
    r = br.post("/program/path", {"path": "nobody"})
    check(r.status == 200 and "Choose which describes you" in r.text, "a refused choice says why on the page")
    # the hurt partner's first account starts from "my partner's actions"
    c, d = couple()
    api(d["token"], "PUT", "/path", {"path": "hurt"})
    br2 = Browser(s)
    br2.get("/login")
    br2.post("/login", {"username": d["account"]["username"], "password": PW})
    breach = br2.get("/breach").text
    check('<option value="partner" selected>' in breach, "the hurt partner's account starts from the partner's actions")
    check("<summary>Write an apology of your own</summary>" in br2.get("/apologies").text, "their own apology is one tap away")
    check("Say it once" in Browser_home(s, c), "a partner who has not said is asked, once, on the home page")


def Browser_home(s, acct):
    br = Browser(s)
    br.get("/login")
    br.post("/login", {"username": acct["account"]["username"], "password": PW})
    return br.get("/").text


@test
def prompts_come_one_at_a_time_for_the_path_and_none_again_before_all():
    a, b = couple()
    A, B = a["token"], b["token"]
    eq(api(B, "PUT", "/path", {"path": "hurt"}).status, 200, "B was hurt")
    eq(api(B, "GET", "/prompts/next").status, 422, "a kind is asked for")
    eq(api(B, "GET", "/prompts/next?kind=poem").status, 422, "one of the kinds")
    eq(api(B, "GET", "/prompts/next?kind=truth&after=x").status, 422, "after is an id")
    eq(api(B, "GET", "/prompts/next?kind=truth&page=2").status, 422, "and nothing else is taken")
    first = api(B, "GET", "/prompts/next?kind=question").json
    eq(api(B, "GET", "/prompts/next?kind=question").json, first, "the day's own stays the same all day")
    seen, p = [], first
    while True:
        check(p["for"] in ("hurt", "both"), "only what fits the hurt partner: %r" % p)
        check(p["id"] not in seen, "none comes again before all were offered")
        seen.append(p["id"])
        p = api(B, "GET", "/prompts/next?kind=question&after=%d" % p["id"]).json
        if p["id"] == first["id"]:
            break
    eq(len(seen), first["of"], "every one that fits, once")
    check(first["of"] >= 10, "a library, not a handful")
    theirs = api(A, "GET", "/prompts/next?kind=question").json
    check(theirs["of"] >= first["of"], "the partner with no path said gets every one of the phase")
    br = page_of(srv(), b)
    page = br.get("/truths").text
    check("If you want a start:" in page and "?prompt=" in page, "the daily truth page offers one, and another")
    t = api(B, "GET", "/prompts/next?kind=truth").json
    nxt = api(B, "GET", "/prompts/next?kind=truth&after=%d" % t["id"]).json
    check(nxt["text"] in br.get("/truths?prompt=%d" % t["id"]).text.replace("&#39;", "'").replace("&quot;", '"'), "Another shows the next")


@test
def alone_what_is_one_person_s_works_and_what_needs_two_says_so():
    s = srv()
    lone = signup(s)
    T = lone["token"]
    eq(api(T, "POST", "/feelings", {"emotion": "sad", "text": "Alone with it."}).status, 201, "feelings alone")
    eq(api(T, "POST", "/journal", {"body": "A first entry.", "private": True}).status, 201, "the journal alone")
    eq(api(T, "POST", "/triggers", {"what": "A song", "strength": 2}).status, 201, "triggers alone")
    eq(api(T, "POST", "/apologies", {"text": "A draft for later."}).status, 201, "an apology draft alone")
    for path, body in [("/questions", {"text": "Where were you?"}),
                       ("/agreements", {"title": "Phones", "text": "Open phones.", "category": "transparency"}),
                       ("/promises", {"text": "Call at lunch", "recurrence": {"every": "day"}}),
                       ("/appreciations", {"text": "Thank you."}), ("/values", {"text": "Honesty"})]:
        r = api(T, "POST", path, body)
        eq((r.status, r.json["error"]["code"]), (409, "no_partner"), "needs two: " + path)
        check("Invite them" in r.json["error"]["message"], "and says where to invite")
    br = page_of(s, lone)
    page = br.get("/questions").text
    check("Asking a question needs your partner" in page and 'action="/questions"' not in page, "the page says so, without a form")
    for path, what, form in [("/promises", "A promise needs", 'action="/promises"'), ("/agreements", "An agreement needs", 'action="/agreements"'),
                             ("/moments", "Thanking your partner needs", 'action="/appreciations"'),
                             ("/values", "A shared value needs", 'action="/values"'), ("/checkins", "A check-in needs", "checkin-form")]:
        page = br.get(path).text
        check(what in page and form not in page, "%s says what needs the partner, without its form" % path)
    check('action="/invites"' in br.get("/").text, "and the home page has the invite")
