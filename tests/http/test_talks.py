"""Talk and listen over real HTTP: the turns (say, heard, yes or correct, then the floor
passes), whose turn it is and what waits, written and in person, the coach's gentler words on
the page, two steps at once, and isolation. Runs on SQLite and on PostgreSQL."""
import threading
import harness
from harness import test, check, eq
from test_foundation import srv, couple, signup
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def waiting(tok, kind):
    return [x for x in api(tok, "GET", "/inbox").json["items"] if x["kind"] == kind]


@test
def a_talk_takes_turns_one_speaks_the_other_says_back_and_the_floor_passes():
    a, b = couple()
    A, B = a["token"], b["token"]
    ida, idb = a["user"]["id"], b["user"]["id"]
    r = api(A, "POST", "/talks", {"topic": "The evenings you work late", "first_speaker": idb})
    eq(r.status, 201, "started")
    t = r.json
    eq((t["turn"], t["next"], t["in_person"], t["turn_minutes"], t["steps"], t["turn_ends_at"]), (idb, ["say"], False, 3, [], None),
       "B speaks first, written")
    eq([x["id"] for x in waiting(B, "talk_turn")], [t["id"]], "it waits for B")
    eq(waiting(A, "talk_turn"), [], "not for A")
    r = api(A, "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "x"})
    eq((r.status, r.json["error"]["code"]), (403, "not_your_turn"), "A waits")
    r = api(B, "POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "x"})
    eq((r.status, r.json["error"]["field"]), (422, "kind"), "a step that does not come next")
    r = api(B, "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": ""})
    eq((r.status, r.json["error"]["field"]), (422, "text"), "written, words are needed")
    r = api(B, "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "I feel alone when the evenings go by without a word."})
    eq((r.status, r.json["turn"], r.json["next"]), (201, ida, ["heard"]), "said: A says it back")
    eq([x["id"] for x in waiting(A, "talk_turn")], [t["id"]], "now it waits for A")
    eq(waiting(B, "talk_turn"), [], "and no longer for B")
    r = api(A, "POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "You feel alone when I work late and do not call."})
    eq((r.json["turn"], r.json["next"]), (idb, ["yes", "correct"]), "B says whether that is it")
    r = api(B, "POST", "/talks/%d/steps" % t["id"], {"kind": "correct", "text": "Not the calling: that we do not talk after."})
    eq((r.json["turn"], r.json["next"]), (ida, ["heard"]), "corrected: said back again")
    api(A, "POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "That we do not talk when I am back."})
    r = api(B, "POST", "/talks/%d/steps" % t["id"], {"kind": "yes"})
    eq((r.status, r.json["turn"], r.json["next"]), (201, ida, ["say"]), "yes: the floor passes to A")
    eq([(s["seq"], s["kind"], s["by"]) for s in r.json["steps"]],
       [(1, "say", idb), (2, "heard", ida), (3, "correct", idb), (4, "heard", ida), (5, "yes", idb)], "every step, in order")
    # two taps at once make one step
    out = []
    ts = [threading.Thread(target=lambda: out.append(api(A, "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "I am tired too."})))
          for _ in range(2)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    st = sorted(x.status for x in out)
    check(st[0] == 201 and st[1] in (403, 409), "one step, the other refused (no longer A's turn, or changed meanwhile): %r" % st)
    eq(len(api(B, "GET", "/talks/%d" % t["id"]).json["steps"]), 6, "six steps, no seventh")
    r = api(B, "POST", "/talks/%d/close" % t["id"])
    eq((r.status, r.json["closed_by"], r.json["turn"], r.json["next"]), (200, idb, None, []), "ended by either")
    eq(api(A, "POST", "/talks/%d/close" % t["id"]).status, 409, "ended once")
    r = api(A, "POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "x"})
    eq((r.status, r.json["error"]["code"]), (409, "closed"), "nothing after the end")
    eq(waiting(A, "talk_turn") + waiting(B, "talk_turn"), [], "an ended talk waits for no one")
    for body, field in [({"topic": ""}, "topic"), ({"topic": "a\nb"}, "topic"), ({"topic": "x", "first_speaker": 12345}, "first_speaker"),
                        ({"topic": "x", "turn_minutes": 30}, "turn_minutes"), ({"topic": "x", "in_person": "yes"}, "in_person")]:
        r = api(A, "POST", "/talks", body)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % body)
    other, _ = couple()
    eq(api(other["token"], "GET", "/talks/%d" % t["id"]).status, 404, "another couple does not see it")
    eq(api(other["token"], "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "x"}).status, 404, "nor steps in it")
    eq(api(other["token"], "GET", "/talks").json["talks"], [], "nor lists it")
    lone = signup(srv())
    eq(api(lone["token"], "POST", "/talks", {"topic": "x"}).json["error"]["code"], "no_partner", "a talk needs two")


@test
def in_person_mend_keeps_the_turns_and_the_time_and_the_page_offers_gentler_words():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    pa, pb = page_of(s, a), page_of(s, b)
    page = pa.get("/talks").text
    check("Start a talk" in page and "Choose who speaks first" in page, "the page offers to start, choosing nothing for anyone")
    r = pa.post("/talks", {"topic": "Money", "first": "", "how": "written", "turn_minutes": "3"})
    check(r.status == 200 and "Choose who speaks first." in r.text, "who speaks first must be chosen")
    r = pa.post("/talks", {"topic": "Money", "first": "me", "how": "in_person", "turn_minutes": "2"})
    eq(r.status, 303, "started in person")
    tid = int(r.getheader("Location").rsplit("/", 1)[1])
    eq(pa.post("/talks/%d/steps" % tid, {"kind": "say"}).status, 303, "in person, saying needs no words here")
    t = api(B, "GET", "/talks/%d" % tid).json
    check(t["in_person"] and t["turn_ends_at"] is not None and t["turn"] == b["user"]["id"], "a turn of speaking with its end, then B's")
    page = pb.get("/talks/%d" % tid).text
    check("the floor until" in page and "Say back what I heard" in page, "B's page: the time, and the step B takes")
    check('data-countdown="%d"' % int(__import__("calendar").timegm(__import__("time").strptime(t["turn_ends_at"], "%Y-%m-%dT%H:%M:%SZ")))
          in page, "and the time left, counted down where script runs")
    check("End this talk" in page, "either can end it")
    eq(pb.post("/talks/%d/steps" % tid, {"kind": "heard"}).status, 303, "said back, in person")
    eq(pa.post("/talks/%d/steps" % tid, {"kind": "yes"}).status, 303, "yes, that's it")
    # written: the coach offers gentler words once, and saying it as it is stays the choice
    r = pb.post("/talks", {"topic": "The phone", "first": "me", "how": "written"})
    wid = int(r.getheader("Location").rsplit("/", 1)[1])
    r = pb.post("/talks/%d/steps" % wid, {"kind": "say", "text": "You always hide your phone from me."})
    check(r.status == 200 and "The coach found words that may land hard" in r.text and "Say it as it is" in r.text
          and "You always hide your phone from me." in r.text, "marked words come back, kept, with a gentler way")
    eq(api(B, "GET", "/talks/%d" % wid).json["steps"], [], "and nothing was said yet")
    eq(pb.post("/talks/%d/steps" % wid, {"kind": "say", "text": "You always hide your phone from me.", "anyway": "1"}).status, 303,
       "said as it is, when asked")
    r = pa.post("/talks/%d/steps" % wid, {"kind": "heard", "text": ""})
    check(r.status == 200 and "Write back what you heard" in r.text, "written, hearing needs words")
    eq(pa.post("/talks/%d/steps" % wid, {"kind": "heard", "text": "You feel I hide my phone."}).status, 303, "heard")
    page = pa.get("/talks").text
    check("The phone" in page and "Money" in page, "both talks listed")
    home = pb.get("/").text
    check("Your turn in the talk about \u201cThe phone\u201d" in home, "what waits says whose turn it is")
    eq(sorted(x["id"] for x in api(A, "GET", "/talks").json["talks"]), sorted([tid, wid]), "the API lists both")
