"""The trigger log over real HTTP, on SQLite and PostgreSQL: logged in seconds, private
(sealed at rest) unless shared, a shared one answered once with "I'm here", patterns over the
weeks on the progress page, and nothing of it crossing to another couple."""
import threading
from harness import test, check, eq
from test_foundation import srv, couple, PW
from test_inbox import page_of


def api(tok, method, path, body=None):
    return srv().api(method, path, body, token=tok)


@test
def a_trigger_is_logged_in_seconds_private_unless_shared():
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    for bad, field in [({"strength": 3}, "what"), ({"what": "A song", "strength": 0}, "strength"),
                       ({"what": "A song", "strength": 6}, "strength"), ({"what": "A song", "strength": "3"}, "strength"),
                       ({"what": "Two\nlines", "strength": 2}, "what"), ({"what": "A song", "strength": 2, "shared": "yes"}, "shared"),
                       ({"what": "x" * 201, "strength": 2}, "what")]:
        r = api(B, "POST", "/triggers", bad)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % bad)
    eq(api(B, "GET", "/triggers").json["triggers"], [], "and nothing was kept")
    r = api(B, "POST", "/triggers", {"what": "Our song on the radio", "strength": 4, "note": "In the car, alone."})
    eq(r.status, 201, "a private trigger")
    mine = r.json
    eq((mine["what"], mine["note"], mine["strength"], mine["shared"], mine["reply"]),
       ("Our song on the radio", "In the car, alone.", 4, False, None), "as written")
    c = b["couple"]["id"]
    rows = s.query("SELECT words, sealed IS NOT NULL FROM triggers WHERE couple_id = %d AND id = %d" % (c, mine["id"]))
    eq(len(rows), 1, "one row")
    check(rows[0][0] == "" and str(rows[0][1]).lower() in ("1", "true", "t"), "its words sealed at rest: %r" % (rows,))
    eq(api(A, "GET", "/triggers").json["triggers"], [], "the partner sees nothing of a private one")
    eq(api(A, "GET", "/triggers/%d" % mine["id"]).status, 404, "not even by its id")
    shared = api(B, "POST", "/triggers", {"what": "The restaurant", "strength": 2, "shared": True}).json
    waits = [i for i in api(A, "GET", "/inbox").json["items"] if i["kind"] == "trigger_shared"]
    eq([(i["id"], i["url"]) for i in waits], [(shared["id"], "/triggers#t-%d" % shared["id"])], "it waits for the partner")
    check("The restaurant" not in str(waits), "by kind, without its words")
    eq([i for i in api(B, "GET", "/inbox").json["items"] if i["kind"] == "trigger_shared"], [], "not for its author")
    seen = api(A, "GET", "/triggers").json["triggers"]
    eq([(t["id"], t["what"], t["note"]) for t in seen], [(shared["id"], "The restaurant", "")], "a shared one is seen")
    # the partner answers a shared one, once; the author cannot answer their own
    eq(api(B, "POST", "/triggers/%d/reply" % shared["id"], {"text": "me"}).status, 403, "not one's own")
    eq(api(A, "POST", "/triggers/%d/reply" % mine["id"], {"text": "?"}).status, 404, "nor a private one")
    r = api(A, "POST", "/triggers/%d/reply" % shared["id"], {"text": "I am here. Call me."})
    eq(r.status, 200, "I'm here")
    eq(r.json["reply"]["text"], "I am here. Call me.", "with its line")
    eq([i for i in api(A, "GET", "/inbox").json["items"] if i["kind"] == "trigger_shared"], [], "answered, it waits no more")
    eq(api(A, "POST", "/triggers/%d/reply" % shared["id"], {"text": "again"}).status, 409, "once")
    eq(api(B, "GET", "/triggers/%d" % shared["id"]).json["reply"]["text"], "I am here. Call me.", "the author sees it")
    other, _ = couple()
    eq(api(other["token"], "GET", "/triggers").json["triggers"], [], "another couple sees nothing")
    eq(api(other["token"], "POST", "/triggers/%d/reply" % shared["id"], {"text": "x"}).status, 404, "nor answers")
    # the pages: received above the form, the two buttons, the saved notice, the patterns
    br = page_of(s, b)
    r = br.post("/triggers", {"what": "A text from an unknown number", "strength": "5", "visibility": "private"})
    eq(r.getheader("Location"), "/triggers?saved=private", "kept private from the page")
    page = br.get("/triggers?saved=private").text
    check("Saved. Only you can see this." in page and "A text from an unknown number" in page, "said so, and listed")
    r = br.post("/triggers", {"what": "", "strength": "9", "note": "typed"})
    check(r.status == 200 and "aria-invalid" in r.text and "typed" in r.text, "a refused one comes back with what was typed")
    pa = page_of(s, a)
    theirs = pa.get("/triggers").text
    check(theirs.index("The restaurant") < theirs.index("Log a trigger"), "what was shared sits above the form")
    check("Our song" not in theirs and "unknown number" not in theirs, "never the private ones")
    prog = br.get("/dashboard").text
    check('id="triggers-h"' in prog and "When your triggers came" in prog and "3 logged" in prog, "the author's patterns")
    check("When the triggers shared with you came" not in pa.get("/dashboard").text.split('id="triggers-h"')[0],
          "the partner's page counts only what was shared")
    check("1 logged" in pa.get("/dashboard").text, "one shared with them")
    # the export keeps the author's private words, opened, and the partner's export only the shared one
    mine_export = br.get("/account/export").text
    check('"triggers":[' in mine_export and "Our song on the radio" in mine_export, "the author's export has their private trigger, opened")
    check("The restaurant" in pa.get("/account/export").text and "Our song" not in pa.get("/account/export").text,
          "the partner's has the shared one, never the private")
    check("Our song on the radio" in br.get("/account/export.html").text, "and the readable one")


@test
def two_answers_at_once_keep_one():
    a, b = couple()
    t = api(b["token"], "POST", "/triggers", {"what": "A name at work", "strength": 3, "shared": True}).json["id"]
    got = []
    def go(i):
        got.append(api(a["token"], "POST", "/triggers/%d/reply" % t, {"text": "here %d" % i}).status)
    ts = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    [x.start() for x in ts]
    [x.join() for x in ts]
    eq(sorted(got), [200] + [409] * 5, "one answer is kept, the others told so")
