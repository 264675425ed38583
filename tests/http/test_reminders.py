"""Reminders that reach the phone, over real HTTP on SQLite and PostgreSQL, delivered to a real
push service on loopback (tests/push/receiver.js: it checks each request's VAPID token against
the key mend names and decrypts the message with npm's http_ece, as a browser would). A new
item of what waits for a partner is pushed to their browsers once, without private words;
quiet hours hold it back; a subscription the push service says is gone is dropped; one due
while the server was down is pushed when it is back, and only then."""
import atexit, json, os, subprocess, time, urllib.request
from harness import Server, Browser, test, check, eq
from test_foundation import couple, PW
from mailsink import mails, wait_mail, mail_srv

HERE = os.path.dirname(os.path.abspath(__file__))
_rx = None
_srv = None


def receiver():
    """The test push service: (process, its origin)."""
    global _rx
    if _rx is None:
        p = subprocess.Popen(["node", os.path.join(HERE, "..", "push", "receiver.js")], stdout=subprocess.PIPE, text=True)
        port = int(p.stdout.readline())
        _rx = (p, "http://127.0.0.1:%d" % port)
        atexit.register(lambda: (p.terminate(), p.wait(5)))
    return _rx[1]


def rx(method, path):
    req = urllib.request.Request(receiver() + path, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
        return json.loads(body) if body else None


def received(name):
    return [r for r in rx("GET", "/received") if r["name"] == name]


def wait_for(name, n=1, seconds=15):
    end = time.time() + seconds
    while time.time() < end:
        got = received(name)
        if len(got) >= n:
            return got
        time.sleep(0.2)
    return received(name)


def push_srv():
    """A server whose worker goes round every second and sends to the test push service."""
    global _srv
    if _srv is None:
        receiver()
        _srv = Server("--push-every", "1", "--push-hosts", "127.0.0.1", "--push-contact", "mailto:ops@mend.test")
    return _srv


def subscribe(s, token, name, reminders=None):
    sub = rx("POST", "/subscriptions/" + name)
    r = s.api("POST", "/push/subscriptions", sub, token=token)
    eq(r.status, 201, "subscribed " + str(r.body))
    check(r.getheader("Location") == "/api/v1/push/subscriptions/%d" % r.json["id"], "Location of the subscription")
    body = {"push": True, "email": "off", "quiet_from": "00:00", "quiet_to": "00:00", "show_titles": False}
    body.update(reminders or {})
    r = s.api("PUT", "/reminders", body, token=token)
    eq(r.status, 200, "reminders on " + str(r.body))
    return sub, r.json


@test
def a_new_item_is_pushed_once_encrypted_signed_and_without_private_words():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    key = s.api("GET", "/push/key", token=B).json["vapid_public_key"]
    eq(s.api("GET", "/push/key", token=A).json["vapid_public_key"], key, "one key for the server")
    _, settings = subscribe(s, B, "once")
    eq(settings, {"push": True, "email": "off", "quiet_from": "00:00", "quiet_to": "00:00", "show_titles": False}, "the choices")
    q = s.api("POST", "/questions", {"text": "Where were you on the night of the ninth?"}, token=A).json["id"]
    got = wait_for("once")
    eq(len(got), 1, "one push arrived")
    m = got[0]
    eq(m.get("error"), None, "the push service accepts it: VAPID verified, body decrypted")
    eq(m["key"], key, "signed with the server's key")
    eq(m["claims"]["aud"], receiver(), "for this push service")
    eq(m["claims"]["sub"], "mailto:ops@mend.test", "naming the operator")
    eq(m["headers"]["content-encoding"], "aes128gcm", "RFC 8291's encoding")
    payload = json.loads(m["payload"])
    eq(payload["title"], "mend", "a neutral title")
    eq(payload["body"], "Something is waiting for you in mend.", "no words of anyone's")
    eq(payload["url"], "/questions#q-%d" % q, "one tap to the question")
    check("ninth" not in m["payload"], "the question's words are not in it")
    time.sleep(3)
    eq(len(received("once")), 1, "and only once, round after round")
    # the partner who asked gets nothing for their own question
    _, _ = subscribe(s, A, "asker")
    time.sleep(2.5)
    eq(received("asker"), [], "nothing for what one did oneself")


@test
def quiet_hours_hold_a_reminder_until_they_end_and_titles_say_only_the_kind():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    now = time.gmtime()
    m = now.tm_hour * 60 + now.tm_min
    frm, to = (m - 60) % 1440, (m + 60) % 1440
    subscribe(s, B, "quiet", {"quiet_from": "%02d:%02d" % (frm // 60, frm % 60), "quiet_to": "%02d:%02d" % (to // 60, to % 60),
                              "show_titles": True})
    s.api("POST", "/questions", {"text": "Did you call her again?"}, token=A)
    time.sleep(3)
    eq(received("quiet"), [], "nothing pushed in quiet hours")
    eq(s.api("PUT", "/reminders", {"push": True, "quiet_from": "00:00", "quiet_to": "00:00", "show_titles": True}, token=B).status,
       200, "quiet hours off")
    got = wait_for("quiet")
    eq(len(got), 1, "pushed once they are over")
    eq(json.loads(got[0]["payload"])["body"], "A question waits for your answer.", "the kind, never the words")


@test
def a_subscription_the_push_service_says_is_gone_is_dropped():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    subscribe(s, B, "gone")
    rx("PUT", "/status/gone/410")
    s.api("POST", "/questions", {"text": "Why?"}, token=A)
    wait_for("gone")
    end = time.time() + 10
    while time.time() < end and s.query("SELECT COUNT(*) FROM push_subscriptions WHERE couple_id = %d" % b["couple"]["id"])[0][0] not in (0, "0"):
        time.sleep(0.2)
    eq(s.query("SELECT COUNT(*) FROM push_subscriptions WHERE couple_id = %d" % b["couple"]["id"])[0][0] in (0, "0"), True,
       "the subscription is gone")
    eq(s.query("SELECT COUNT(*) FROM push_sent WHERE couple_id = %d" % b["couple"]["id"])[0][0] in (0, "0"), True,
       "and nothing counts as pushed")


@test
def subscriptions_and_choices_are_checked_and_kept_to_their_owner():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    sub = rx("POST", "/subscriptions/checked")
    for body, field in [({"endpoint": "https://push.example.net/x", "keys": sub["keys"]}, "endpoint"),
                        ({"endpoint": "ftp://127.0.0.1/x", "keys": sub["keys"]}, "endpoint"),
                        ({"endpoint": sub["endpoint"], "keys": {"p256dh": "AAAA", "auth": sub["keys"]["auth"]}}, "keys.p256dh"),
                        ({"endpoint": sub["endpoint"], "keys": {"p256dh": sub["keys"]["p256dh"], "auth": "short"}}, "keys.auth"),
                        ({"endpoint": sub["endpoint"]}, "keys")]:
        r = s.api("POST", "/push/subscriptions", body, token=B)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %s" % field)
    for body, field in [({"push": "yes"}, "push"), ({"push": True, "quiet_from": "25:00"}, "quiet_from"),
                        ({"push": True, "quiet_to": "8"}, "quiet_to"), ({"push": True, "email": "daily"}, "email"),
                        ({"push": True, "email": "sometimes"}, "email"), ({}, "push")]:
        r = s.api("PUT", "/reminders", body, token=B)
        eq((r.status, r.json["error"]["field"]), (422, field), "refused: %r" % body)
    eq(s.api("GET", "/reminders", token=B).json["push"], False, "nothing changed by what was refused")
    r = s.api("POST", "/push/subscriptions", sub, token=B)
    eq(r.status, 201, "a good one")
    x, _ = couple(s)
    eq(s.api("DELETE", "/push/subscriptions/%d" % r.json["id"], token=x["token"]).status, 404, "another couple's: not found")
    eq(s.api("DELETE", "/push/subscriptions/%d" % r.json["id"], token=A).status, 404, "the partner's: not found")
    eq(s.api("DELETE", "/push/subscriptions/%d" % r.json["id"], token=B).status, 204, "its owner's: gone")
    eq(s.api("DELETE", "/push/subscriptions/%d" % r.json["id"], token=B).status, 404, "and gone once")


@test
def the_account_page_turns_reminders_on_and_says_who_can_see_the_choice():
    s = push_srv()
    a, b = couple(s)
    br = Browser(s)
    br.get("/login")
    eq(br.post("/login", {"username": b["account"]["username"], "password": PW}).status, 303, "logged in")
    page = br.get("/account").text
    check('id="reminders-h"' in page and "data-push-key=" in page and "never carries what either of you wrote" in page,
          "the reminders section, with the key for the browser")
    r = br.post("/account/reminders", {"push": "on", "quiet_from": "21:30", "quiet_to": "07:15"})
    eq(r.status, 303, "saved")
    page = br.get(r.getheader("Location").split("#")[0]).text
    check("Saved. Only you can see these choices." in page and 'value="21:30"' in page, "said, and shown")
    eq(s.api("GET", "/reminders", token=b["token"]).json, {"push": True, "email": "off", "quiet_from": "21:30",
                                                           "quiet_to": "07:15", "show_titles": False}, "the API agrees")
    r = br.post("/account/reminders", {"push": "on", "quiet_from": "7pm", "quiet_to": "07:15"})
    check(r.status == 200 and "Quiet hours begin at a time like 22:00." in r.text and 'value="7pm"' in r.text
          and 'aria-invalid="true"' in r.text, "a time that is no time: the form again, what was typed, the message at it")
    sub = rx("POST", "/subscriptions/page")
    r = br.post("/account/reminders/devices", {"endpoint": sub["endpoint"], "p256dh": sub["keys"]["p256dh"], "auth": sub["keys"]["auth"]})
    eq(r.status, 204, "the browser's subscription, as app.js sends it")
    check("Stop reminders there" in br.get("/account").text, "listed, to stop it")


@test
def a_reminder_due_while_the_server_was_down_is_pushed_once_it_is_back():
    receiver()
    first = Server("--push-every", "3600", "--push-hosts", "127.0.0.1")
    a, b = couple(first)
    subscribe(first, b["token"], "down")
    first.api("POST", "/questions", {"text": "When did it start?"}, token=a["token"])
    first.stop()
    eq(received("down"), [], "nothing pushed before the stop (the next round was an hour away)")
    again = Server("--push-every", "3600", "--push-hosts", "127.0.0.1", db_args=first.db_args)
    eq(len(wait_for("down")), 1, "pushed by the server started again")
    again.stop()
    third = Server("--push-every", "3600", "--push-hosts", "127.0.0.1", db_args=first.db_args)
    time.sleep(2)
    eq(len(received("down")), 1, "and not again by the next")
    third.stop()


@test
def the_check_in_is_pushed_to_both_an_hour_before_it_begins():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    subscribe(s, A, "soon-a")
    subscribe(s, B, "soon-b")
    # in forty minutes, in UTC (the schedule's own zone)
    t = time.gmtime(time.time() + 40 * 60)
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][t.tm_wday]
    eq(s.api("PUT", "/checkins/schedule", {"weekday": day, "time": "%02d:%02d" % (t.tm_hour, t.tm_min), "timezone": "UTC"},
             token=A).status, 200, "the schedule")
    for name in ("soon-a", "soon-b"):
        got = wait_for(name)
        eq(len(got), 1, "pushed to " + name)
        eq(json.loads(got[0]["payload"])["url"], "/checkins", "to the check-in")
    time.sleep(2.5)
    eq((len(received("soon-a")), len(received("soon-b"))), (1, 1), "once each")


@test
def without_a_mail_server_no_address_is_taken():
    s = push_srv()
    a, b = couple(s)
    r = s.api("PUT", "/reminders/email", {"address": "sam@example.org"}, token=b["token"])
    eq((r.status, r.json["error"]["field"]), (422, "address"), "no e-mail on this server")
    r = s.api("PUT", "/reminders", {"push": False, "email": "each"}, token=b["token"])
    eq((r.status, r.json["error"]["field"]), (422, "email"), "nor a choice of it")


@test
def reminders_by_e_mail_go_to_a_confirmed_address_each_or_once_a_day():
    s = mail_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    to = "sam.%d@example.org" % b["user"]["id"]
    for bad in ["sam", "sam@", "@example.org", "sam@example.org\r\nBcc: x@y.z", "sa m@example.org", "<sam@example.org>"]:
        r = s.api("PUT", "/reminders/email", {"address": bad}, token=B)
        eq((r.status, r.json["error"]["field"]), (422, "address"), "refused: %r" % bad)
    r = s.api("PUT", "/reminders/email", {"address": to}, token=B)
    eq((r.status, r.json), (200, {"address": to, "confirmed": False}), "kept, not confirmed yet")
    r = s.api("PUT", "/reminders", {"push": False, "email": "each"}, token=B)
    eq((r.status, r.json["error"]["field"]), (422, "email"), "no mail to an address not confirmed")
    got = wait_mail(to)
    eq(len(got), 1, "the link to confirm is mailed")
    m = got[0]
    eq((m["subject"], m["mail_from"], m["content_type"], m["charset"]), ("Confirm your address for mend", "mend@mend.test",
                                                                          "text/plain", "utf-8"), "a plain mail from the operator's address")
    import re
    link = re.search(r"https://mend\.test(/reminders/confirm/[A-Za-z0-9_-]+)", m["text"])
    check(link is not None, "with the link: " + m["text"])
    eq(s.query("SELECT COUNT(*) FROM reminder_emails WHERE confirm_mail IS NOT NULL")[0][0] in (0, "0"), True,
       "the link's secret is forgotten once mailed")
    br = Browser(s)
    page = br.get(link.group(1))
    eq(page.status, 200, "the link shows a button (a GET confirms nothing)")
    eq(s.api("GET", "/reminders/email", token=B).json["confirmed"], False, "not by looking")
    r = br.post(link.group(1), {})
    check(r.status == 200 and "Your address is confirmed" in r.text, "confirmed by the button")
    eq(br.post(link.group(1), {}).status, 404, "once")
    eq(s.api("GET", "/reminders/email", token=B).json, {"address": to, "confirmed": True}, "confirmed")
    eq(s.api("PUT", "/reminders", {"push": False, "email": "each", "quiet_from": "00:00", "quiet_to": "00:00"}, token=B).status,
       200, "mail each time")
    q = s.api("POST", "/questions", {"text": "Who was at the party?"}, token=A).json["id"]
    got = wait_mail(to, 2)
    eq(len(got), 2, "the question is mailed")
    m = got[1]
    eq(m["subject"], "Something is waiting for you in mend", "a neutral subject")
    check("Open it: https://mend.test/questions#q-%d" % q in m["text"], "one link to the question")
    check("party" not in m["text"], "none of the question's words")
    time.sleep(2.5)
    eq(len(mails(to)), 2, "once")
    eq(s.api("PUT", "/reminders", {"push": False, "email": "daily", "quiet_from": "00:00", "quiet_to": "00:00",
                                   "show_titles": True}, token=B).status, 200, "once a day")
    s.api("POST", "/questions", {"text": "Why then?"}, token=A)
    s.api("POST", "/questions", {"text": "And after?"}, token=A)
    got = wait_mail(to, 3)
    eq(len(got), 3, "one digest")
    m = got[2]
    eq(m["subject"], "What is waiting for you in mend today", "the day's digest")
    eq(m["text"].count("A question waits for your answer."), 2, "both questions, by kind only")
    s.api("POST", "/questions", {"text": "One more?"}, token=A)
    time.sleep(2.5)
    eq(len(mails(to)), 3, "nothing more today")
    eq(s.api("DELETE", "/reminders/email", token=B).status, 204, "the address forgotten")
    eq(s.api("GET", "/reminders", token=B).json["email"], "off", "and e-mail off with it")


@test
def each_turn_in_a_talk_is_pushed_once_to_the_partner_whose_turn_it_is():
    s = push_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    subscribe(s, A, "talk-a", {"show_titles": True})
    subscribe(s, B, "talk-b", {"show_titles": True})
    t = s.api("POST", "/talks", {"topic": "Sunday evenings", "first_speaker": b["user"]["id"]}, token=A).json
    got = wait_for("talk-b")
    eq([json.loads(m["payload"])["body"] for m in got], ["It is your turn in a talk."], "B, who speaks first, is told")
    eq(json.loads(got[0]["payload"])["url"], "/talks/%d" % t["id"], "one tap to the talk")
    s.api("POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "I miss our Sunday evenings."}, token=B)
    eq(len(wait_for("talk-a")), 1, "then A, whose turn it is")
    check("Sunday" not in wait_for("talk-a")[0]["payload"], "without the topic or the words")
    s.api("POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "You miss them."}, token=A)
    eq(len(wait_for("talk-b", 2)), 2, "and B again for the next turn: each turn once")
    time.sleep(2.5)
    eq((len(received("talk-a")), len(received("talk-b"))), (1, 2), "never twice for one turn")


def german(msgid):
    """The German of an English string, from po/de.po (a test of the catalogue's use, not its words)."""
    import re
    po = open(os.path.join(HERE, "..", "..", "po", "de.po"), encoding="utf-8").read()
    m = re.search(r'\nmsgid "%s"\nmsgstr "((?:[^"\\]|\\.)*)"\n' % re.escape(msgid.replace('"', '\\"')), po)
    check(m is not None and m.group(1), "po/de.po translates %r" % msgid)
    return m.group(1).replace('\\"', '"')


@test
def mails_and_the_calendar_come_in_the_reader_s_language():
    from test_languages import english_words
    s = mail_srv()
    a, b = couple(s)
    A, B = a["token"], b["token"]
    eq(s.api("PUT", "/account/language", {"language": "de"}, token=B).status, 200, "B reads German")
    to = "kim.%d@example.org" % b["user"]["id"]
    eq(s.api("PUT", "/reminders/email", {"address": to}, token=B).status, 200, "an address")
    m = wait_mail(to)[0]
    eq(m["subject"], german("Confirm your address for mend"), "the confirmation's subject in German")
    eq(english_words(m["text"]), [], "and its text: " + m["text"])
    import re
    link = re.search(r"https://mend\.test(/reminders/confirm/[A-Za-z0-9_-]+)", m["text"]).group(1)
    br = Browser(s)
    eq(br.post(link, {}).status, 200, "confirmed")
    eq(s.api("PUT", "/reminders", {"push": False, "email": "each", "quiet_from": "00:00", "quiet_to": "00:00"}, token=B).status,
       200, "mail each time")
    s.api("POST", "/questions", {"text": "Who was there?"}, token=A)
    m = wait_mail(to, 2)[1]
    eq(m["subject"], german("Something is waiting for you in mend"), "a reminder's subject in German")
    eq(english_words(m["text"]), [], "and its text: " + m["text"])
    # the calendar feed: B's in German, A's in English, of the same couple's check-in
    eq(s.api("PUT", "/checkins/schedule", {"weekday": "sun", "time": "19:30", "timezone": "Europe/Berlin"}, token=A).status, 200,
       "a weekly check-in")
    feeds = {}
    for who, tok in (("A", A), ("B", B)):
        url = s.api("POST", "/calendar", token=tok).json["url"]
        feeds[who] = s.request("GET", url[url.index("/calendar/"):]).body.decode()
    check("SUMMARY:Weekly check-in" in feeds["A"], "English for A")
    check("SUMMARY:" + german("Weekly check-in") in feeds["B"], "German for B: " + feeds["B"][:400])
