"""The account of what happened, over real HTTP: each partner's stays hidden until both are
written, and a changed one asks for acknowledgement again. Runs on SQLite and on PostgreSQL."""
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
