"""The program over real HTTP: a phase moves only when both partners are ready, and every
answer follows each change at once. Runs on SQLite and on PostgreSQL."""
import re
from harness import Server, Browser, test, check, eq
from test_foundation import srv, couple, signup, uniq, PW


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
