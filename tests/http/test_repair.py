"""Feelings, questions and apologies over real HTTP: private until shared, asked again and
answered by the other, drafted with the coach and delivered; another couple's are never found.
Runs on SQLite and on PostgreSQL."""
import re
from harness import Server, Browser, test, check, eq
from test_foundation import srv, couple, signup, uniq, PW
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


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
    r = api(B, "POST", "/feelings/%d/heard" % shared)
    eq((r.status, r.json["id"], bool(r.json["heard_at"])), (200, shared, True), "B hears it: the feeling as it now is")
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
    r = api(A, "POST", "/questions/%d/ask-again" % q["id"])
    eq((r.status, r.json["error"]["code"]), (409, "not_yet"), "not asked again while it waits for its first answer")
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
    name = api(b["token"], "GET", "/me").json["account"]["username"]
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": name, "password": PW}).status, 303, "logged in")
    home = br.get("/").text
    check("Waiting for you" in home, "a waiting section")
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
    eq(api(B, "PATCH", "/apologies/%d" % ap["id"], {"text": "x"}).status, 404, "nor can B touch them")
    eq(api(B, "POST", "/apologies/%d/response" % ap["id"], {"heard": True}).status, 404, "nor answer them")
    r = api(A, "PATCH", "/apologies/%d" % ap["id"], {"text": "I am sorry. I lied to you about the money, and it was my fault. Will you forgive me?"})
    eq(r.status, 200, "rewritten")
    eq(r.json["coach"]["patterns"], [], "nothing against it now")
    eq(r.json["coach"]["components"]["forgiveness_request"], True, "asks forgiveness")
    r = api(A, "POST", "/apologies/%d/deliver" % ap["id"])
    eq(r.status, 200, "delivered")
    eq(r.json["status"], "delivered", "status")
    eq(api(A, "POST", "/apologies/%d/deliver" % ap["id"]).status, 409, "once")
    eq(api(A, "PATCH", "/apologies/%d" % ap["id"], {"text": "changed"}).status, 409, "a given apology stays as it was")
    seen = api(B, "GET", "/apologies").json["apologies"]
    eq(len(seen), 1, "B sees it now")
    check("coach" not in seen[0], "without the coach's notes")
    eq(api(B, "PATCH", "/apologies/%d" % ap["id"], {"text": "x"}).status, 403, "B cannot change it")
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
                                   ("POST", "/feelings/%d/heard" % f, None), ("PATCH", "/apologies/%d" % ap, {"text": "x"}),
                                   ("POST", "/apologies/%d/deliver" % ap, None), ("POST", "/apologies/%d/response" % ap, {"heard": True})]:
            eq(api(tok, method, path, body).status, 404, "%s %s from another couple" % (method, path))
        eq(api(tok, "GET", "/questions").json["questions"], [], "no questions of theirs")
        eq(api(tok, "GET", "/feelings").json["feelings"], [], "no feelings of theirs")
        eq(api(tok, "GET", "/apologies").json["apologies"], [], "no apologies of theirs")
        eq(api(tok, "GET", "/breach").json["mine"], None, "no breach of theirs")


@test
def an_answer_is_corrected_never_erased_and_a_question_can_be_answered_enough():
    a, b = couple()
    A, B = a["token"], b["token"]
    q = api(A, "POST", "/questions", {"text": "When did it start?"}).json["id"]
    first = api(B, "POST", "/questions/%d/answers" % q, {"text": "In June."}).json
    eq((first["corrects"], first["corrected_at"]), (None, None), "an answer")
    eq(api(A, "POST", "/questions/%d/answers/%d/correction" % (q, first["id"]), {"text": "x"}).status, 409,
       "only its author corrects an answer")
    eq(api(B, "POST", "/questions/%d/answers/%d/correction" % (q, first["id"]), {"text": ""}).status, 422, "with words")
    r = api(B, "POST", "/questions/%d/answers/%d/correction" % (q, first["id"]), {"text": "In April, truly. I said June before."})
    eq((r.status, r.json["corrects"]), (201, first["id"]), "a correction")
    eq(api(B, "POST", "/questions/%d/answers/%d/correction" % (q, first["id"]), {"text": "again"}).status, 409, "once")
    got = api(A, "GET", "/questions/%d" % q).json["answers"]
    eq([(x["text"], x["corrected_at"] is not None, x["corrects"]) for x in got],
       [("In June.", True, None), ("In April, truly. I said June before.", False, first["id"])], "both kept, the old one marked")
    page = page_of(srv(), a).get("/questions").text
    check("corrected later, kept as it was" in page and "corrected the answer above" in page, "the page says which is which")
    eq(api(B, "POST", "/questions/%d/enough" % q).status, 403, "answered enough is the asker's to say")
    r = api(A, "POST", "/questions/%d/enough" % q)
    eq((r.status, r.json["enough_at"] is not None, r.json["waiting"]), (200, True, False), "answered enough")
    eq(api(A, "POST", "/questions/%d/enough" % q).status, 409, "said")
    check("answered enough" in page_of(srv(), b).get("/questions").text, "both see it")
    r = api(A, "POST", "/questions/%d/ask-again" % q)
    eq((r.json["enough_at"], r.json["waiting"]), (None, True), "asking again opens it again")
    eq(api(A, "POST", "/questions/%d/enough" % q).json["waiting"], False, "and enough while it waits lets it rest")
    eq([i for i in api(B, "GET", "/inbox").json["items"] if i["kind"] == "question_answer"], [], "nothing waits for B then")


@test
def a_draft_the_coach_marked_asks_once_before_it_is_given():
    a, b = couple()
    pa = page_of(srv(), a)
    ap = api(a["token"], "POST", "/apologies", {"text": "I'm sorry if you felt hurt, but you never listen."}).json["id"]
    r = pa.post("/apologies/%d/deliver" % ap, {})
    check(r.status == 200 and "The coach found 2 things" in r.text and "Give it anyway" in r.text, "asked once, in plain words")
    check("conditional" not in r.text and "blame_shift" not in r.text, "never the coach's keys")
    eq(api(b["token"], "GET", "/apologies").json["apologies"], [], "not given yet")
    eq(pa.post("/apologies/%d/deliver" % ap, {"anyway": "1"}).getheader("Location"), "/apologies", "given anyway")
    eq(len(api(b["token"], "GET", "/apologies").json["apologies"]), 1, "now the partner has it")
    clean = api(a["token"], "POST", "/apologies", {"text": "I am sorry. I lied to you, and it was my fault."}).json["id"]
    eq(pa.post("/apologies/%d/deliver" % clean, {}).status, 303, "a draft with nothing marked is given at once")
