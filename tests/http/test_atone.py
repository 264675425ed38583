"""Acknowledge and atone over real HTTP: the breach accounts, feelings, questions, the
apology workshop with the coach, and the program. Runs on SQLite and on PostgreSQL."""
import re
from harness import Server, Browser, test, check, eq
from test_foundation import srv, couple, signup, uniq, PW


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


# an account counts once it says something real (200 characters at least)
MINE = ("I lied about the money for a year. I told you the card was paid off when it was not, and I hid the "
        "statements in the car so you would not see them. When you asked me straight out, I lied again, and then once more.")
THEIRS = ("The money was hidden from me. I found the letters from the bank and felt like a stranger in my own "
          "home. I keep going back over every time I asked and was told that everything was fine, and I cannot stop.")


@test
def breach_accounts_stay_hidden_until_both_are_written():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "GET", "/breach")
    eq(r.status, 200, "get")
    eq(r.json, {"mine": None, "partner": {"written": False, "acknowledged": False, "account": None},
                "acknowledged": False, "both_acknowledged": False}, "empty")
    r = api(A, "PUT", "/breach/account", {"text": MINE, "root_cause": "Shame, and fear.",
                                          "category": "dishonesty", "broke_trust": "me"})
    eq(r.status, 200, "written")
    eq(r.json["mine"]["text"], MINE, "mine")
    eq(api(A, "POST", "/breach/acknowledge").status, 409, "acknowledge before both wrote")
    r = api(B, "GET", "/breach")
    eq(r.json["partner"]["written"], True, "B knows A wrote")
    eq(r.json["partner"]["account"], None, "but cannot read it")
    eq(r.json["mine"], None, "B has none")
    for body, field in [({"root_cause": "x", "category": "dishonesty"}, "text"),
                        ({"text": "x", "root_cause": "y", "category": "secrecy"}, "text"),
                        ({"text": "x" * 199, "root_cause": "y", "category": "secrecy"}, "text"),
                        ({"text": THEIRS, "category": "dishonesty"}, "root_cause"),
                        ({"text": THEIRS, "root_cause": "y", "category": "gossip"}, "category"),
                        ({"text": THEIRS, "root_cause": "y", "category": "secrecy", "broke_trust": "nobody"}, "broke_trust"),
                        ({"text": 5, "root_cause": "y", "category": "secrecy"}, "text")]:
        r = api(B, "PUT", "/breach/account", body)
        eq(r.status, 422, "invalid %r" % body)
        eq(r.json["error"]["field"], field, "field")
    eq(api(B, "GET", "/breach").json["mine"], None, "nothing was written")
    r = api(B, "PUT", "/breach/account", {"text": THEIRS, "root_cause": "We stopped talking.",
                                          "category": "secrecy"})
    eq(r.status, 200, "B wrote")
    eq(r.json["mine"]["broke_trust"], "both", "default when not said")
    eq(r.json["partner"]["account"]["text"], MINE, "now B reads A's")
    eq(api(A, "GET", "/breach").json["partner"]["account"]["root_cause"], "We stopped talking.", "and A reads B's")
    eq(api(A, "POST", "/breach/acknowledge").json["acknowledged"], True, "A acknowledged")
    r = api(B, "POST", "/breach/acknowledge")
    eq(r.json["both_acknowledged"], True, "both")
    r = api(A, "PUT", "/breach/account", {"text": THEIRS, "root_cause": "new", "category": "other"})
    eq(r.status, 409, "accounts stay once both acknowledged")


@test
def a_changed_account_asks_for_acknowledgement_again():
    a, b = couple()
    body = {"text": MINE, "root_cause": "r", "category": "other"}
    api(a["token"], "PUT", "/breach/account", body)
    api(b["token"], "PUT", "/breach/account", body)
    api(a["token"], "POST", "/breach/acknowledge")
    api(b["token"], "PUT", "/breach/account", dict(body, text=MINE + " Said better."))
    eq(api(a["token"], "GET", "/breach").json["acknowledged"], False, "A acknowledges again")


@test
def feelings_private_shared_and_heard():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/feelings", {"emotion": "angry", "text": "Private anger.", "shared": False})
    eq(r.status, 201, "private")
    private = r.json["id"]
    r = api(A, "POST", "/feelings", {"emotion": "sad", "text": "I miss us.", "shared": True})
    eq(r.status, 201, "shared")
    shared = r.json["id"]
    eq(r.json["heard_at"], None, "not heard yet")
    seen = api(B, "GET", "/feelings").json["feelings"]
    eq([f["id"] for f in seen], [shared], "B sees only the shared one")
    eq(len(api(A, "GET", "/feelings").json["feelings"]), 2, "A sees both")
    eq(api(B, "POST", "/feelings/%d/heard" % private).status, 404, "a private feeling does not exist for B")
    r = api(A, "POST", "/feelings/%d/heard" % shared)
    eq(r.status, 403, "hearing one's own feeling")
    check("your partner" in r.json["error"]["message"], "says who answers")
    eq(api(B, "POST", "/feelings/%d/heard" % shared).status, 204, "B hears it")
    f = [x for x in api(A, "GET", "/feelings").json["feelings"] if x["id"] == shared][0]
    check(f["heard_at"], "A sees it was heard")
    for body, field in [({"emotion": "grumpy", "text": "x"}, "emotion"), ({"text": "x"}, "emotion"),
                        ({"emotion": "sad", "shared": "yes"}, "shared"), ({"emotion": "sad", "text": 1}, "text")]:
        r = api(A, "POST", "/feelings", body)
        eq(r.status, 422, "invalid %r" % body)
        eq(r.json["error"]["field"], field, "field")


@test
def questions_asked_again_and_answered_by_the_other():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/questions", {"text": "Where were you on Friday night?"})
    eq(r.status, 201, "asked")
    q = r.json
    eq((q["times_asked"], q["waiting"], q["answers"]), (1, True, []), "new question")
    r = api(A, "POST", "/questions/%d/answers" % q["id"], {"text": "me?"})
    eq(r.status, 403, "the asker does not answer")
    check("your partner answers" in r.json["error"]["message"], "clear message")
    r = api(B, "POST", "/questions/%d/answers" % q["id"], {"text": "At my brother's, then a bar."})
    eq(r.status, 201, "answered")
    eq(api(B, "POST", "/questions/%d/ask-again" % q["id"]).status, 403, "only the asker asks again")
    r = api(A, "POST", "/questions/%d/ask-again" % q["id"])
    eq(r.status, 200, "asked again")
    eq((r.json["times_asked"], r.json["waiting"]), (2, True), "counted and waiting")
    eq(len(r.json["answers"]), 1, "the first answer is kept")
    api(B, "POST", "/questions/%d/answers" % q["id"], {"text": "The bar was with her. I am sorry I left that out."})
    qs = api(A, "GET", "/questions").json["questions"]
    eq(len(qs), 1, "one question")
    eq([x["text"] for x in qs[0]["answers"]], ["At my brother's, then a bar.", "The bar was with her. I am sorry I left that out."], "both answers")
    eq(qs[0]["waiting"], False, "answered again")
    eq(api(A, "POST", "/questions", {"text": "   "}).status, 422, "blank question")
    eq(api(A, "POST", "/questions", {"text": "x" * 2001}).status, 422, "too long")


@test
def an_unanswered_question_tops_the_partners_home_page():
    s = srv()
    a, b = couple()
    api(a["token"], "POST", "/questions", {"text": "Did you delete the messages?"})
    br = Browser(s)
    br.cookies["mend_session"] = None
    # log B in through the form to get a page session
    name = api(b["token"], "GET", "/me").json["user"]["username"]
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": name, "password": PW}).status, 303, "logged in")
    home = br.get("/").text
    check("Waiting for your answer" in home, "a waiting section")
    main = home[home.index("<main"):]
    check(main.index("Did you delete the messages?") < main.index("Where you are"), "at the top")


@test
def apologies_drafts_private_delivery_and_answer():
    a, b = couple()
    A, B = a["token"], b["token"]
    r = api(A, "POST", "/apologies", {"text": "I'm sorry if you felt hurt."})
    eq(r.status, 201, "draft")
    ap = r.json
    eq(ap["status"], "draft", "a draft")
    eq([p["id"] for p in ap["coach"]["patterns"]], ["conditional"], "the coach looked at it")
    eq(api(B, "GET", "/apologies").json["apologies"], [], "B does not see drafts")
    eq(api(B, "PUT", "/apologies/%d" % ap["id"], {"text": "x"}).status, 404, "nor can B touch them")
    eq(api(B, "POST", "/apologies/%d/response" % ap["id"], {"heard": True}).status, 404, "nor answer them")
    r = api(A, "PUT", "/apologies/%d" % ap["id"], {"text": "I am sorry. I lied to you about the money, and it was my fault. Will you forgive me?"})
    eq(r.status, 200, "rewritten")
    eq(r.json["coach"]["patterns"], [], "nothing against it now")
    eq(r.json["coach"]["components"]["forgiveness_request"], True, "asks forgiveness")
    r = api(A, "POST", "/apologies/%d/deliver" % ap["id"])
    eq(r.status, 200, "delivered")
    eq(r.json["status"], "delivered", "status")
    eq(api(A, "POST", "/apologies/%d/deliver" % ap["id"]).status, 409, "once")
    eq(api(A, "PUT", "/apologies/%d" % ap["id"], {"text": "changed"}).status, 409, "a given apology stays as it was")
    seen = api(B, "GET", "/apologies").json["apologies"]
    eq(len(seen), 1, "B sees it now")
    check("coach" not in seen[0], "without the coach's notes")
    eq(api(B, "PUT", "/apologies/%d" % ap["id"], {"text": "x"}).status, 403, "B cannot change it")
    r = api(A, "POST", "/apologies/%d/response" % ap["id"], {"heard": True})
    eq(r.status, 403, "A cannot answer their own")
    eq(api(B, "POST", "/apologies/%d/response" % ap["id"], {"note": "?"}).status, 422, "heard is needed")
    r = api(B, "POST", "/apologies/%d/response" % ap["id"], {"heard": False, "note": "Not yet. I need more time."})
    eq(r.status, 200, "answered")
    eq(r.json["response"]["heard"], False, "not yet")
    mine = api(A, "GET", "/apologies").json["apologies"][0]
    eq(mine["response"]["note"], "Not yet. I need more time.", "A reads the answer")
    r = api(A, "POST", "/apologies", {"text": "A second try, later."})
    eq(r.status, 201, "several apologies are normal")
    eq(len(api(A, "GET", "/apologies").json["apologies"]), 2, "all kept")


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
    eq(api(A, "DELETE", "/program/ready").json["ready"]["me"], False, "A takes it back")
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
def coach_api():
    u = signup()
    r = api(u["token"], "POST", "/coach", {"kind": "message", "text": "You never listen."})
    eq(r.status, 200, "ok")
    eq([(p["id"], p["text"]) for p in r.json["patterns"]], [("absolute", "You never listen")], "finding")
    eq(api(u["token"], "POST", "/coach", {"text": "I'm sorry."}).json["kind"], "apology", "apology by default")
    for body, field in [({"kind": "poem", "text": "x"}, "kind"), ({"kind": "message"}, "text"),
                        ({"text": "x" * (64 * 1024 + 1)}, "text")]:
        r = api(u["token"], "POST", "/coach", body)
        eq(r.status, 422, "invalid")
        eq(r.json["error"]["field"], field, "field")
    eq(srv().api("POST", "/coach", {"text": "x"}).status, 401, "needs a session")


@test
def another_couples_objects_are_404():
    a, b = couple()
    x, y = couple()
    q = api(a["token"], "POST", "/questions", {"text": "Q?"}).json["id"]
    f = api(a["token"], "POST", "/feelings", {"emotion": "sad", "shared": True}).json["id"]
    ap = api(a["token"], "POST", "/apologies", {"text": "Sorry."}).json["id"]
    api(a["token"], "POST", "/apologies/%d/deliver" % ap)
    for tok in (x["token"], y["token"]):
        for method, path, body in [("POST", "/questions/%d/answers" % q, {"text": "x"}), ("POST", "/questions/%d/ask-again" % q, None),
                                   ("POST", "/feelings/%d/heard" % f, None), ("PUT", "/apologies/%d" % ap, {"text": "x"}),
                                   ("POST", "/apologies/%d/deliver" % ap, None), ("POST", "/apologies/%d/response" % ap, {"heard": True})]:
            eq(api(tok, method, path, body).status, 404, "%s %s from another couple" % (method, path))
        eq(api(tok, "GET", "/questions").json["questions"], [], "no questions of theirs")
        eq(api(tok, "GET", "/feelings").json["feelings"], [], "no feelings of theirs")
        eq(api(tok, "GET", "/apologies").json["apologies"], [], "no apologies of theirs")
        eq(api(tok, "GET", "/breach").json["mine"], None, "no breach of theirs")


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
