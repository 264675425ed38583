"""The API's one convention, over real HTTP on both engines: what a create answers (201, the
thing, a Location that reads it back), lists paged one way, query parameters refused unless a
route takes them, deletes answering 204, and what rests under /api/v1/archive/."""
import re, subprocess
import contract, harness
from harness import test, check, eq
from test_foundation import srv, couple, PW


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


def read_back(tok, r):
    """GET of a create's Location."""
    loc = r.getheader("Location")
    check(loc and loc.startswith("/api/v1/"), "a Location under the API: %r" % loc)
    return srv().request("GET", loc, headers={"Authorization": "Bearer " + tok})


@test
def a_create_answers_201_with_the_thing_and_where_it_lives():
    a, b = couple()
    A, B = a["token"], b["token"]
    made = [
        (A, "/feelings", {"emotion": "sad", "text": "Heavy day.", "shared": True}),
        (A, "/questions", {"text": "Where were you that night?"}),
        (A, "/apologies", {"text": "I am sorry I lied."}),
        (A, "/agreements", {"title": "Phones", "text": "Our phones stay open to each other.", "category": "transparency"}),
        (A, "/promises", {"text": "Home by seven", "recurrence": {"every": "day"}}),
        (A, "/truths", {"text": "I was scared today."}),
        (A, "/journal", {"body": "A quiet evening.", "private": False}),
        (A, "/moments", {"title": "A walk", "kind": "activity", "date": "2026-12-05"}),
        (A, "/appreciations", {"text": "Thank you for listening."}),
        (A, "/values", {"text": "Honesty"}),
        (A, "/goals", {"title": "A trip", "steps": ["Choose a place"]}),
        (A, "/setbacks", {"what": "An old argument came back.", "severity": 2}),
        (A, "/forgiveness", {"about": "self", "text": "Some days closer."}),
    ]
    for tok, path, body in made:
        r = api(tok, "POST", path, body)
        eq(r.status, 201, "POST %s" % path)
        eq(r.getheader("Location"), "/api/v1%s/%d" % (path, r.json["id"]), "POST %s: Location" % path)
        back = read_back(tok, r)
        eq(back.status, 200, "GET %s/{id}" % path)
        for key in ("id", "by"):
            eq(back.json[key], r.json[key], "GET %s/{id}: the same %s" % (path, key))
        eq(back.json["by"], a["user"]["id"], "%s: who made it is `by`" % path)
        eq(api(B if path in ("/apologies", "/forgiveness") else "nobody", "GET", "%s/%d" % (path, r.json["id"])).status,
           404 if path in ("/apologies", "/forgiveness") else 401, "%s/{id}: not for whoever may not see it" % path)
    q = api(A, "GET", "/questions").json["questions"][0]["id"]
    r = api(B, "POST", "/questions/%d/answers" % q, {"text": "At my brother's."})
    eq((r.status, r.getheader("Location"), r.json["question"], r.json["by"]), (201, "/api/v1/questions/%d" % q, q, b["user"]["id"]),
       "an answer names the question that holds it")
    eq(read_back(B, r).json["answers"][0]["id"], r.json["id"], "and is there")
    x, _ = couple()
    eq(api(x["token"], "GET", "/questions/%d" % q).status, 404, "another couple's question is not found")
    r = api(A, "POST", "/reports", {"from": "2026-11-01", "to": "2026-11-30"})
    eq((r.status, r.getheader("Location")), (201, "/api/v1/reports/%d" % r.json["id"]), "a report")
    r = api(A, "POST", "/calendar")
    eq((r.status, r.getheader("Location"), r.json["active"]), (201, "/api/v1/calendar", True), "a calendar feed")


@test
def every_list_pages_the_same_way():
    a, b = couple()
    A = a["token"]
    ids = [api(A, "POST", "/appreciations", {"text": "Thanks %d" % i}).json["id"] for i in range(7)]
    listed = [x["id"] for x in api(A, "GET", "/appreciations").json["appreciations"]]
    eq(sorted(listed), sorted(ids), "all seven, in the list's own order")
    seen, after = [], None
    for _ in range(10):
        r = api(A, "GET", "/appreciations?limit=3" + ("&starting_after=%d" % after if after else ""))
        eq(r.status, 200, "a page")
        page = [x["id"] for x in r.json["appreciations"]]
        seen += page
        if not r.json["has_more"]:
            break
        eq(len(page), 3, "a full page while there is more")
        after = page[-1]
    eq(seen, listed, "pages in order, each item once")
    for q, field in [("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("limit=", "limit"),
                     ("starting_after=", "starting_after"), ("starting_after=12345", "starting_after"),
                     ("page=2", "page"), ("limit=2&limit=3", "limit"), ("limit=" + "9" * 60, "limit"),
                     ("starting_after=" + "1" * 60, "starting_after"), ("starting_after=%zz", "starting_after"),
                     ("limit", "limit")]:
        r = api(A, "GET", "/appreciations?" + q)
        eq((r.status, r.json["error"]["code"], r.json["error"]["field"]), (422, "invalid", field), "?%s refused" % q)
    for path in ("/me", "/program", "/breach", "/measures"):
        r = api(A, "GET", path + "?limit=5")
        eq((r.status, r.json["error"]["field"]), (422, "limit"), "%s takes no query parameter" % path)
    r = api(A, "GET", "/ledger?limit=1")
    eq((r.status, r.json["entries"], r.json["has_more"]), (200, [], False), "the ledger is a list too")
    # the lists paged in the database: questions with their answers, the ledger by seq
    B = b["token"]
    qs = [api(A, "POST", "/questions", {"text": "Question %d?" % i}).json["id"] for i in range(5)]
    for q in qs[1:3]:
        api(B, "POST", "/questions/%d/answers" % q, {"text": "An answer to %d." % q})
    whole = api(A, "GET", "/questions").json["questions"]
    eq(sorted(x["id"] for x in whole), sorted(qs), "every question")
    pages, after = [], None
    while True:
        r = api(A, "GET", "/questions?limit=2" + ("&starting_after=%d" % after if after else ""))
        pages += r.json["questions"]
        if not r.json["has_more"]:
            break
        after = r.json["questions"][-1]["id"]
    eq(pages, whole, "pages of questions, each with its answers, as the whole list")
    eq(([x["waiting"] for x in whole], sorted(x["id"] for x in whole[3:])), ([True] * 3 + [False] * 2, sorted(qs[1:3])),
       "waiting ones first")
    eq([len(x["answers"]) for x in whole[3:]], [1, 1], "the answered ones with their answers")
    for i in range(3):
        api(A, "POST", "/promises", {"text": "Promise %d" % i, "recurrence": {"every": "day"}})
    seqs, after = [], 0
    while True:
        r = api(A, "GET", "/ledger?limit=2&starting_after=%d" % after)
        seqs += [e["seq"] for e in r.json["entries"]]
        if not r.json["has_more"]:
            break
        after = seqs[-1]
    eq(seqs, [1, 2, 3], "the ledger, two entries a page, by seq")
    eq(api(A, "GET", "/ledger?starting_after=x").json["error"]["field"], "starting_after", "a seq is a number")
    fs = [api(A, "POST", "/feelings", {"emotion": "sad", "shared": i % 2 == 0}).json["id"] for i in range(5)]
    whole = [x["id"] for x in api(A, "GET", "/feelings").json["feelings"]]
    eq(sorted(whole), sorted(fs), "the author sees all five")
    pages, after = [], None
    while True:
        r = api(A, "GET", "/feelings?limit=2" + ("&starting_after=%d" % after if after else ""))
        pages += [x["id"] for x in r.json["feelings"]]
        if not r.json["has_more"]:
            break
        after = pages[-1]
    eq(pages, whole, "feelings, two a page, newest first")
    private = [f for i, f in enumerate(fs) if i % 2]
    eq(api(B, "GET", "/feelings?starting_after=%d" % private[0]).json["error"]["field"], "starting_after",
       "a private feeling is no cursor for the partner (it is not there for them)")
    r = api(A, "GET", "/closeness?limit=2")
    eq((len(r.json["steps"]), r.json["has_more"]), (2, True), "and the closeness steps")
    r = api(A, "GET", "/checkins?limit=1")
    eq((r.status, len(r.json["weeks"]), "schedule" in r.json), (200, 1, True), "and the weeks of check-ins")


@test
def deletes_answer_204_and_a_password_never_travels_in_a_delete():
    a, b = couple()
    A = a["token"]
    api(A, "POST", "/program/ready")
    eq(api(A, "DELETE", "/program/ready").status, 204, "readiness taken back")
    api(A, "POST", "/rest")
    eq(api(A, "DELETE", "/rest").status, 204, "rest taken back")
    api(A, "POST", "/calendar")
    eq(api(A, "DELETE", "/calendar").status, 204, "the feed turned off")
    eq(api(A, "DELETE", "/account", {"password": PW}).status, 404, "an account is deleted by POST /account/delete")
    eq(api(A, "POST", "/account/delete", {"password": "not the one"}).status, 422, "a wrong password")
    eq(api(A, "POST", "/account/delete", {"password": PW}).status, 204, "deleted")


@test
def what_rests_moves_under_the_archive():
    a, b = couple()
    A, B = a["token"], b["token"]
    q = api(A, "POST", "/questions", {"text": "Why then?"}).json["id"]
    for path in ("/breach", "/questions", "/apologies"):
        r = api(A, "GET", "/archive" + path)
        eq((r.status, r.json["error"]["code"]), (409, "not_resting"), "nothing rests: %s is in daily view" % path)
    api(A, "POST", "/rest")
    api(B, "POST", "/rest")
    for path in ("/breach", "/questions", "/apologies", "/questions/%d" % q):
        r = api(A, "GET", path)
        eq((r.status, r.json["error"]["code"]), (409, "resting"), "resting: %s has moved" % path)
        check("/api/v1/archive/" in r.json["error"]["message"], "says where")
        eq(api(A, "GET", "/archive" + path).status, 200, "%s is in the archive" % path)
    eq(api(A, "GET", "/archive/questions").json["questions"][0]["id"], q, "with what it held")
    r = api(B, "POST", "/archive/questions/%d/answers" % q, {"text": "Because I was afraid."})
    eq(r.status, 201, "the archive can still be answered")
    eq(api(A, "POST", "/questions", {"text": "x"}).json["error"]["code"], "resting", "not at the daily address")
    # every route of the three works in the archive as it did in daily view
    r = api(A, "POST", "/archive/questions", {"text": "And after?"})
    eq(r.status, 201, "asked in the archive")
    eq(api(B, "POST", "/archive/questions/%d/answers" % r.json["id"], {"text": "Slowly."}).status, 201, "answered there")
    eq(api(A, "POST", "/archive/questions/%d/ask-again" % r.json["id"]).json["times_asked"], 2, "asked again there")
    ap = api(A, "POST", "/archive/apologies", {"text": "I am sorry I lied to you."}).json["id"]
    eq(api(A, "GET", "/archive/apologies/%d" % ap).json["status"], "draft", "a draft in the archive")
    eq(api(A, "PATCH", "/archive/apologies/%d" % ap, {"text": "I am sorry I lied to you. It was wrong."}).status, 200, "rewritten")
    eq(api(A, "POST", "/archive/apologies/%d/deliver" % ap).json["status"], "delivered", "given")
    eq(api(B, "POST", "/archive/apologies/%d/response" % ap, {"heard": True}).json["response"]["heard"], True, "answered")
    account = {"text": "What happened, in my words. " * 10, "root_cause": "Fear.", "category": "dishonesty"}
    eq(api(A, "PUT", "/archive/breach/account", account).status, 200, "an account written in the archive")
    eq(api(A, "POST", "/archive/breach/acknowledge").json["error"]["code"], "not_yet", "acknowledging waits for both accounts")
    eq(api(A, "GET", "/archive/feelings").status, 404, "only what rests is archived")
    eq(api(A, "GET", "/feelings").status, 200, "the rest stays in daily view")
    api(A, "DELETE", "/rest")
    eq(api(A, "GET", "/questions/%d" % q).json["answers"][0]["text"], "Because I was afraid.", "back in daily view")


@test
def the_document_is_served_and_names_every_route_the_server_has():
    r = srv().request("GET", "/api/v1/openapi.yaml")
    eq((r.status, r.getheader("Content-Type")), (200, "application/yaml; charset=utf-8"), "served without a session")
    eq(r.body, open(contract.SPEC_PATH, "rb").read(), "the very document the tests hold answers to")
    listing = subprocess.run([harness.MEND, "routes"], capture_output=True, text=True, check=True).stdout
    served = set()
    for line in listing.splitlines():
        method, pattern = line.split()[:2]
        if pattern.startswith("/api/v1/"):
            # the route table names every {param} after its kind ({id}); the document by role
            served.add((method.lower(), re.sub(r"\{[^}]+\}", "{}", pattern[len("/api/v1"):])))
    documented = {(m, re.sub(r"\{[^}]+\}", "{}", p)) for p, m in contract.operations() if not p.startswith("/archive/")}
    eq(sorted(served - documented), [], "every route of the server is in the document")
    eq(sorted(documented - served), [], "and the document names no route the server lacks")
