"""The disclosure, impact and restitution letters over real HTTP, on SQLite and PostgreSQL: each
written by the partner whose path it is, sealed at rest until given, read only as far as the
reader chose, answered (read, then not yet or heard), in the ledger when given, and destroyed
together only when both ask, leaving the ledger's word that they existed."""
import threading
from harness import test, check, eq
from test_foundation import srv, couple, signup
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def pair():
    a, b = couple()
    eq(api(a["token"], "PUT", "/path", {"path": "broke_trust"}).status, 200, "A broke trust")
    eq(api(b["token"], "PUT", "/path", {"path": "hurt"}).status, 200, "B was hurt")
    return a, b


def waiting(tok, kind):
    return [i for i in api(tok, "GET", "/inbox").json["items"] if i["kind"] == kind]


FACTS = "I met her four times between March and May. I lied about where I was each time."
MORE = "The first time was at the conference hotel; the last in her flat."


@test
def a_disclosure_is_sealed_until_given_and_read_as_far_as_the_reader_chose():
    a, b = pair()
    A, B = a["token"], b["token"]
    s = srv()
    eq(api(B, "POST", "/letters", {"kind": "disclosure", "body": "x"}).status, 403, "a disclosure is not the hurt partner's")
    eq(api(A, "POST", "/letters", {"kind": "impact", "body": "x"}).status, 403, "nor the impact letter the other's")
    for tok, bad, field in [(A, {"kind": "poem", "body": "x"}, "kind"), (A, {"kind": "disclosure"}, "body"),
                            (A, {"kind": "disclosure", "body": ""}, "body"), (B, {"kind": "impact", "body": "x", "more": "y"}, "more")]:
        r = api(tok, "POST", "/letters", bad)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % bad)
    eq(api(A, "GET", "/letters").json["letters"], [], "and nothing was kept")
    r = api(A, "POST", "/letters", {"kind": "disclosure", "body": "I met her.", "more": MORE})
    eq(r.status, 201, "a draft")
    d = r.json
    eq((d["status"], d["body"], d["more"], d["has_more"], d["given_at"]), ("draft", "I met her.", MORE, True, None), "as written")
    check(d["coach"] is not None, "the coach reads the author's draft")
    rows = s.query("SELECT body, more, sealed IS NOT NULL FROM letters WHERE id = %d" % d["id"])
    check(rows[0][0] == "" and rows[0][1] == "" and str(rows[0][2]).lower() in ("1", "true", "t"), "sealed at rest: %r" % rows)
    eq(api(B, "GET", "/letters").json["letters"], [], "the partner sees no draft")
    eq(api(B, "GET", "/letters/%d" % d["id"]).status, 404, "not even by its id")
    eq(api(B, "POST", "/letters/%d/give" % d["id"]).status, 404, "nor gives it")
    r = api(A, "PATCH", "/letters/%d" % d["id"], {"body": FACTS, "more": MORE})
    eq((r.status, r.json["body"]), (200, FACTS), "rewritten")
    r = api(A, "POST", "/letters/%d/give" % d["id"])
    eq((r.status, r.json["status"]), (200, "given"), "given")
    eq(api(A, "POST", "/letters/%d/give" % d["id"]).status, 409, "once")
    eq(api(A, "PATCH", "/letters/%d" % d["id"], {"body": "changed"}).status, 409, "and it stays as it was")
    rows = s.query("SELECT body, sealed IS NULL FROM letters WHERE id = %d" % d["id"])
    eq(rows[0][0], FACTS, "given, it is open")
    ledger = api(A, "GET", "/ledger").json["entries"]
    check(any(e["kind"] == "letter_given" and e["subject"] == d["id"] and FACTS not in e["summary"] for e in ledger),
          "the ledger says it was given, without its words")
    w = waiting(B, "letter_read")
    eq([(i["id"], i["url"]) for i in w], [(d["id"], "/letters#l-%d" % d["id"])], "it waits for the partner")
    seen = api(B, "GET", "/letters/%d" % d["id"]).json
    eq((seen["body"], seen["more"], seen["has_more"], seen["detail"]), (None, None, True, None),
       "nothing is shown before the reader chose how much")
    check("coach" not in seen, "the coach's findings are for the author only")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"read": True}).status, 409, "read needs the choice first")
    eq(api(A, "POST", "/letters/%d/response" % d["id"], {"detail": "facts"}).status, 403, "not the author's to answer")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"detail": "all"}).status, 422, "facts or more")
    r = api(B, "POST", "/letters/%d/response" % d["id"], {"detail": "facts"})
    eq((r.status, r.json["body"], r.json["more"], r.json["detail"]), (200, FACTS, None, "facts"), "the facts only")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"detail": "facts"}).status, 409, "chosen")
    r = api(B, "POST", "/letters/%d/response" % d["id"], {"detail": "more"})
    eq((r.json["more"], r.json["detail"]), (MORE, "more"), "and the more detail, later, when asked for")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": True}).status, 409, "heard needs it read")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"read": True}).json["read_at"] is not None, True, "read")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"read": True}).status, 409, "once")
    eq(waiting(B, "letter_read"), [], "read, it waits no more")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": "yes"}).status, 422, "heard is true or false")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": False}).json["heard"], False, "not yet")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": False}).status, 409, "said")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": True}).json["heard"], True, "then heard")
    eq(api(B, "POST", "/letters/%d/response" % d["id"], {"heard": False}).status, 409, "and that stays")
    mine = api(A, "GET", "/letters/%d" % d["id"]).json
    eq((mine["detail"], mine["heard"]), ("more", True), "the author sees what became of it")
    other, _ = couple()
    eq(api(other["token"], "GET", "/letters").json["letters"], [], "another couple sees nothing")
    eq(api(other["token"], "POST", "/letters/%d/response" % d["id"], {"read": True}).status, 404, "nor answers")


@test
def the_restitution_letter_answers_an_impact_letter_and_the_pages_ask_before_showing():
    a, b = pair()
    A, B = a["token"], b["token"]
    s = srv()
    rest = api(A, "POST", "/letters", {"kind": "restitution", "body": "I understand now that I took your safety."}).json
    eq(api(A, "POST", "/letters/%d/give" % rest["id"]).status, 409, "not before the impact letter")
    imp = api(B, "POST", "/letters", {"kind": "impact", "body": "I stopped sleeping. I stopped trusting my own memory."}).json
    check("coach" not in imp, "the coach does not police the hurt partner's words")
    eq(api(B, "POST", "/letters/%d/give" % imp["id"]).status, 200, "the impact letter is given")
    r = api(A, "POST", "/letters/%d/give" % rest["id"])
    eq(r.status, 200, "then the restitution letter, in reply")
    # the pages: a disclosure given asks how much before anything is shown
    pa, pb = page_of(s, a), page_of(s, b)
    r = pa.post("/letters", {"kind": "disclosure", "body": FACTS, "more": MORE})
    eq(r.getheader("Location"), "/letters?saved=private", "a draft from the page")
    page = pa.get("/letters").text
    check("Draft, only you see it" in page and "What the coach sees" in page, "the draft with the coach")
    did = [x for x in api(A, "GET", "/letters").json["letters"] if x["kind"] == "disclosure"][0]["id"]
    eq(pa.post("/letters/%d/give" % did, {}).status, 303, "given from the page")
    page = pb.get("/letters").text
    check("how much do you want to know?" in page and FACTS not in page and MORE not in page, "asked first, nothing shown")
    eq(pb.post("/letters/%d/response" % did, {"detail": "facts"}).status, 303, "the facts only")
    page = pb.get("/letters").text
    check(FACTS in page and MORE not in page and "Read the further detail too" in page, "the facts, and the door to more")
    eq(pb.post("/letters/%d/response" % did, {"read": "1"}).status, 303, "read")
    check("I feel heard" in pb.get("/letters").text, "then heard or not yet")
    r = pb.post("/letters", {"kind": "disclosure", "body": "x"})
    eq(r.status, 403, "the page refuses what is not the partner's to write")


@test
def the_letters_are_destroyed_together_only_when_both_ask():
    a, b = pair()
    A, B = a["token"], b["token"]
    s = srv()
    d = api(A, "POST", "/letters", {"kind": "disclosure", "body": FACTS}).json
    api(A, "POST", "/letters/%d/give" % d["id"])
    api(B, "POST", "/letters", {"kind": "impact", "body": "A draft of mine."})
    r = api(A, "POST", "/letters/destroy")
    eq((r.status, r.json["destroyed"], r.json["asked_by"]), (200, False, [a["user"]["id"]]), "one asks")
    eq(len(waiting(B, "letters_destroy")), 1, "the other is asked")
    eq(waiting(A, "letters_destroy"), [], "not the one who asked")
    eq(api(A, "DELETE", "/letters/destroy").status, 204, "and may take it back")
    eq(api(A, "DELETE", "/letters/destroy").status, 404, "once")
    eq(api(A, "GET", "/letters/destroy").json["asked_by"], [], "no one asks now")
    eq(waiting(B, "letters_destroy"), [], "nothing waits")
    eq(len(api(B, "GET", "/letters").json["letters"]), 2, "kept")
    # both at once: destroyed once
    got = []
    def go(tok):
        got.append(api(tok, "POST", "/letters/destroy").json)
    ts = [threading.Thread(target=go, args=(t,)) for t in (A, B)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    eq(sorted(g["destroyed"] for g in got), [False, True], "the second to ask destroys them")
    eq([g["count"] for g in got if g["destroyed"]], [2], "every letter, drafts too")
    for tok in (A, B):
        eq(api(tok, "GET", "/letters").json["letters"], [], "gone for both")
    eq(int(s.query("SELECT COUNT(*) FROM letters WHERE couple_id = %d" % a["couple"]["id"])[0][0]), 0, "the rows erased")
    eq(int(s.query("SELECT COUNT(*) FROM letter_destroy WHERE couple_id = %d" % a["couple"]["id"])[0][0]), 0, "and the asking")
    kinds = [e["kind"] for e in api(B, "GET", "/ledger").json["entries"]]
    eq((kinds.count("letter_given"), kinds.count("letters_destroyed")), (1, 1), "the ledger keeps that they existed")
    eq(api(A, "POST", "/letters/destroy").json["asked_by"], [a["user"]["id"]], "a new ask starts over")


@test
def alone_the_drafts_wait_and_nothing_is_given():
    tok = signup()["token"]
    d = api(tok, "POST", "/letters", {"kind": "disclosure", "body": FACTS})
    eq(d.status, 201, "a draft alone")
    eq(api(tok, "POST", "/letters/%d/give" % d.json["id"]).status, 409, "given once the partner joined")
    eq(api(tok, "POST", "/letters/destroy").status, 409, "destroyed by both")
