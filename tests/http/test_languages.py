"""mend in the couple's own languages over real HTTP: each partner's choice (PUT
/account/language and the account page), the browser's Accept-Language before any choice, the
server's --language, Content-Language and <html lang>, error messages in the reader's language
with codes and fields unchanged, dates in the reader's words, no English left on the pages
of a German or French reader, and the coach reading each author in their own language. Runs on SQLite and on PostgreSQL."""
import html, re, subprocess, time
import harness
from harness import Server, test, check, eq
from test_foundation import srv, couple
from test_inbox import page_of

# Words of English that no German, French or Spanish sentence has: one of them on a page read
# in another language is a string that missed its catalogue.
ENGLISH = set("the you your and with this that what when not yet here there waiting write share save today nothing "
              "something week read back log of to is are have will can it be we our they their them from about how "
              "who which each every one only more after before until been".split())
MONTHS = {"de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
          "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()}
PAGES = ["/", "/account", "/more", "/program", "/truths", "/feelings", "/questions", "/promises", "/checkins", "/closeness",
         "/agreements", "/journal", "/letters", "/talks", "/timeouts", "/hard-dates", "/triggers", "/setbacks", "/moments",
         "/values", "/forgiveness", "/reports", "/dashboard", "/breach", "/apologies", "/ledger", "/archive", "/guidance", "/counsellor-access"]


def api(tok, method, path, body=None, headers=None):
    return srv().api(method, path, body, token=tok, headers=headers)


def visible(page):
    """What a reader sees: text and the labels of controls, without scripts, styles, drawings,
    codes (a hash) or the words people wrote (textareas, and the names given)."""
    page = re.sub(r"(?s)<(script|style|svg|textarea|code)\b.*?</\1>", " ", page)
    attrs = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attrs)


def english_words(page, names=()):
    text = visible(page)
    for n in names:
        text = re.sub(r"(?<![^\W\d_])%s(?![^\W\d_])" % re.escape(n), " ", text)
    return sorted({w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH})


@test
def each_partner_reads_mend_in_the_language_they_chose():
    a, b = couple()
    A, B = a["token"], b["token"]
    eq((a["user"]["language"], b["user"]["language"]), (None, None), "no choice at first")
    r = api(A, "PUT", "/account/language", {"language": "de"})
    eq((r.status, r.json["user"]["language"], r.getheader("Content-Language")), (200, "de", "de"), "A reads German, at once")
    r = api(B, "PUT", "/account/language", {"language": "fr-CA"})
    eq((r.status, r.json["user"]["language"], r.getheader("Content-Language")), (200, "fr", "fr"), "a regional tag is its language")
    me = api(A, "GET", "/me").json
    eq(sorted((p["display_name"] == "B", p["language"]) for p in me["couple"]["partners"]), [(False, "de"), (True, "fr")],
       "/me shows each partner's language")
    # an error: the message in the reader's language, the code and the field as they are
    ra, rb = api(A, "POST", "/questions", {"text": ""}), api(B, "POST", "/questions", {"text": ""})
    eq((ra.status, ra.json["error"]["code"], ra.json["error"]["field"]), (rb.status, rb.json["error"]["code"], rb.json["error"]["field"]),
       "the same error for both")
    check(ra.json["error"]["message"] != rb.json["error"]["message"], "in two languages: %r / %r" % (ra.json["error"]["message"], rb.json["error"]["message"]))
    eq((ra.getheader("Content-Language"), rb.getheader("Content-Language")), ("de", "fr"), "each answer says its language")
    r = api(A, "PUT", "/account/language", {"language": "xx"})
    eq((r.status, r.json["error"]["code"], r.json["error"]["field"]), (422, "invalid", "language"), "a language mend does not speak")
    check("Sprachen" in r.json["error"]["message"], "refused in German: " + r.json["error"]["message"])
    for bad in ({"language": 5}, {}, {"language": ""}):
        eq(api(A, "PUT", "/account/language", bad).status, 422, "refused: %r" % bad)
    eq(api(A, "GET", "/me").json["user"]["language"], "de", "and nothing changed")
    s = srv()
    pa, pb = page_of(s, a), page_of(s, b)
    ha, hb = pa.get("/"), pb.get("/")
    check('<html lang="de"' in ha.text and "Hallo," in ha.text and "Werkzeuge" in ha.text, "A's home page in German")
    check('<html lang="fr"' in hb.text and "Bonjour," in hb.text and "Outils" in hb.text, "B's home page in French")
    eq((ha.getheader("Content-Language"), hb.getheader("Content-Language")), ("de", "fr"), "pages say their language")


@test
def the_browser_decides_until_a_partner_chooses_and_the_server_after_that():
    s = srv()
    for accept, want in (("fr-CH, fr;q=0.9, en;q=0.5", "fr"), ("ja, de;q=0.3", "de"), ("ja", "en"), ("de;q=0, es", "es"),
                         ("", "en"), ("en-GB,en;q=0.8,de;q=0.7", "en")):
        r = s.request("GET", "/login", headers={"Accept-Language": accept} if accept else {})
        eq((r.status, r.getheader("Content-Language")), (200, want), "Accept-Language %r" % accept)
        check('<html lang="%s"' % want in r.body.decode(), "<html lang> follows: %r" % accept)
    a, _ = couple()
    r = api(a["token"], "GET", "/me", headers={"Accept-Language": "es"})
    eq(r.getheader("Content-Language"), "es", "without a choice, the browser's language")
    api(a["token"], "PUT", "/account/language", {"language": "de"})
    eq(api(a["token"], "GET", "/me", headers={"Accept-Language": "es"}).getheader("Content-Language"), "de", "a choice wins")
    r = api(a["token"], "PUT", "/account/language", {"language": None})
    eq((r.status, r.json["user"]["language"], r.getheader("Content-Language")), (200, None, "en"), "null forgets it")
    eq(api(a["token"], "GET", "/me", headers={"Accept-Language": "fr"}).getheader("Content-Language"), "fr", "the browser again")
    # a server for a French-speaking place: its --language for whoever asks for none of mend's
    other = Server("--language", "fr")
    try:
        r = other.request("GET", "/login", headers={"Accept-Language": "ja"})
        eq(r.getheader("Content-Language"), "fr", "--language when the browser asks for none of ours")
        eq(other.request("GET", "/login", headers={"Accept-Language": "de"}).getheader("Content-Language"), "de", "the browser first")
    finally:
        other.stop()
    p = subprocess.run([harness.MEND, "serve", "--language", "xx", "--listen", "127.0.0.1:1"], capture_output=True, text=True, timeout=20)
    eq(p.returncode, 2, "an unknown --language is a usage error")
    check("--language" in p.stderr and "en, de, fr, es" in p.stderr, "and says what it takes: " + p.stderr)


@test
def the_account_page_chooses_the_language_and_dates_follow_it():
    a, b = couple()
    s = srv()
    br = page_of(s, a)
    page = br.get("/account").text
    check('action="/account/language"' in page and 'value="de"' in page and "Deutsch" in page and "Français" in page,
          "the account page offers the languages, each in its own name")
    r = br.post("/account/language", {"language": "de"})
    eq(r.status, 200, "saved")
    check("Deine Sprache ist gespeichert." in r.text and '<html lang="de"' in r.text, "the answer is already German")
    month = time.gmtime().tm_mon - 1
    since = re.search(r"<dt>Seit</dt><dd><time[^>]*>([^<]+)</time>", r.text)
    check(since and MONTHS["de"][month] in since.group(1), "the date in German: %r" % (since and since.group(1)))
    eq(api(a["token"], "GET", "/me").json["user"]["language"], "de", "the API sees the page's choice")
    r = br.post("/account/language", {"language": "nl"})
    check(r.status == 200 and 'aria-invalid="true"' in r.text and "Wähle eine der Sprachen" in r.text, "refused on the page, in German")
    eq(api(a["token"], "GET", "/me").json["user"]["language"], "de", "unchanged")
    r = br.post("/account/language", {"language": ""})
    check('<html lang="en"' in r.text, "as this browser asks: English again")
    eq(api(a["token"], "GET", "/me").json["user"]["language"], None, "the choice forgotten")
    api(b["token"], "PUT", "/account/language", {"language": "fr"})
    page = page_of(s, b).get("/account").text
    since = re.search(r"<dt>Depuis</dt><dd><time[^>]*>([^<]+)</time>", page)
    check(since and MONTHS["fr"][month] in since.group(1), "the date in French: %r" % (since and since.group(1)))


@test
def no_english_is_left_on_the_pages_of_a_german_a_french_or_a_spanish_reader():
    a, b = couple()
    c, d = couple()
    s = srv()
    for lang, who in (("de", a), ("fr", b), ("es", c)):
        api(who["token"], "PUT", "/account/language", {"language": lang})
    names = [x["user"]["display_name"] for x in (a, b, c, d)] + [x["account"]["username"] for x in (a, b, c, d)] + ["mend"]
    for lang, who in (("de", a), ("fr", b), ("es", c)):
        br = page_of(s, who)
        left = {}
        for path in PAGES:
            r = br.get(path)
            eq(r.status, 200, "%s %s" % (lang, path))
            words = english_words(r.text, names)
            if words:
                left[path] = words
        eq(left, {}, "English words left on %s pages" % lang)
    for lang in ("de", "fr", "es"):
        for path in ("/login", "/signup", "/join"):
            r = s.request("GET", path, headers={"Accept-Language": lang})
            eq(english_words(r.body.decode()), [], "English words left on %s %s" % (lang, path))


@test
def the_coach_reads_each_author_in_their_own_language():
    a, b = couple()
    api(a["token"], "PUT", "/account/language", {"language": "de"})
    api(b["token"], "PUT", "/account/language", {"language": "es"})
    r = api(a["token"], "POST", "/coach", {"text": "Es tut mir leid, falls du dich verletzt gefühlt hast. Aber du hörst mir nie zu."})
    eq(r.status, 200, "German")
    eq((r.json["components"]["regret"], [p["id"] for p in r.json["patterns"]]), (True, ["conditional", "absolute"]),
       "German rules for a German author")
    check("Gegenüber" in r.json["patterns"][0]["why"] and "vollständigen" in r.json["summary"], "reasons in German: " + r.json["summary"])
    r = api(b["token"], "POST", "/coach", {"kind": "message", "text": "¡Siempre haces lo mismo! Estás loca."})
    eq([p["id"] for p in r.json["patterns"]], ["absolute", "contempt"], "Spanish rules for a Spanish author")
    check("desprecio" in r.json["summary"], "in Spanish: " + r.json["summary"])
    # a draft on the apologies page: the coach's marks and parts in the author's words
    s = srv()
    pa = page_of(s, a)
    r = pa.post("/apologies", {"text": "Es tut mir leid. Ich habe dich belogen, aber wir haben beide Fehler gemacht."})
    page = pa.get("/apologies").text
    check("Schuld abschieben" in page and "Mitgefühl" in page, "the page marks it in German, and names what it lacks")
    eq(english_words(page, [a["user"]["display_name"], b["user"]["display_name"]]), [], "and has no English left")


@test
def a_talk_says_who_spoke_in_a_sentence_of_each_reader_s_language():
    a, b = couple()
    api(a["token"], "PUT", "/account/language", {"language": "de"})
    api(b["token"], "PUT", "/account/language", {"language": "fr"})
    t = api(a["token"], "POST", "/talks", {"topic": "Abende", "first_speaker": a["user"]["id"]}).json
    eq(api(a["token"], "POST", "/talks/%d/steps" % t["id"], {"kind": "say", "text": "Ich fühle mich allein."}).status, 201, "said")
    eq(api(b["token"], "POST", "/talks/%d/steps" % t["id"], {"kind": "heard", "text": "Tu te sens seul."}).status, 201, "heard")
    s = srv()
    pa, pb = page_of(s, a).get("/talks/%d" % t["id"]).text, page_of(s, b).get("/talks/%d" % t["id"]).text
    na, nb = a["user"]["display_name"], b["user"]["display_name"]
    check("<strong>Du</strong> hast gesagt" in pa and "<strong>%s</strong> hat zurückgesagt" % nb in pa, "German verbs agree")
    check("<strong>%s</strong> a dit" % na in pb and "<strong>Tu</strong> as redit" in pb, "French verbs agree")


@test
def a_german_and_a_french_partner_use_every_tool_and_read_no_english_on_pages_with_content():
    """The couple of the issue: A reads German, B French, and both write in their own words in
    every tool; each page then shows states, buttons and sentences about real entries, and none
    of those may be English."""
    from test_checkins import answers, iso_week
    import datetime
    a, b = couple()
    A, B = a["token"], b["token"]
    s = srv()
    api(A, "PUT", "/account/language", {"language": "de"})
    api(B, "PUT", "/account/language", {"language": "fr"})
    today = datetime.datetime.utcnow().date().isoformat()
    ok = lambda r, what: check(r.status in (200, 201, 204), "%s: %s %s" % (what, r.status, r.json))
    for tok in (A, B):
        ok(api(tok, "PUT", "/checkins/%s/answers" % iso_week(0), answers(4)), "check-in")
    j = api(A, "POST", "/journal", {"body": "Wir sind am Fluss spazieren gegangen."})
    ok(j, "journal")
    ok(api(B, "POST", "/journal/%d/additions" % j.json["id"], {"body": "Il faisait froid et bon."}), "addition")
    ok(api(A, "POST", "/journal", {"body": "Nur für mich.", "private": True}), "private journal")
    ok(api(A, "POST", "/feelings", {"emotion": "hopeful", "text": "Ich hoffe.", "shared": True}), "feeling")
    ok(api(B, "POST", "/forgiveness", {"about": "partner", "text": "Je pardonne, lentement."}), "forgiveness")
    ok(api(A, "POST", "/apologies", {"text": "Es tut mir leid, ohne Ausrede."}), "apology")
    ok(api(B, "PUT", "/closeness/kiss", {"choice": "not_for_me"}), "closeness")
    ok(api(A, "PUT", "/closeness/walk", {"choice": "ready"}), "closeness")
    q = api(B, "POST", "/questions", {"text": "Où étais-tu ce soir-là ?"})
    ok(q, "question")
    ok(api(A, "POST", "/questions/%d/answers" % q.json["id"], {"text": "Im Büro, danach im Auto."}), "answer")
    ok(api(B, "POST", "/setbacks", {"what": "Une soirée difficile.", "severity": 3}), "setback")
    ag = api(A, "POST", "/agreements", {"title": "Telefone offen", "text": "Wir zeigen einander die Telefone.",
                                        "category": "transparency"})
    ok(ag, "agreement")
    ok(api(B, "POST", "/agreements/%d/sign" % ag.json["id"]), "signed")
    pr = api(A, "POST", "/promises", {"text": "Mittags anrufen", "recurrence": {"every": "day"}})
    ok(pr, "promise")
    ok(api(A, "POST", "/values", {"text": "Ehrlichkeit"}), "value")
    ok(api(B, "POST", "/moments", {"title": "Une promenade", "kind": "date", "date": today}), "moment")
    ok(api(A, "PUT", "/path", {"path": "broke_trust"}), "path")
    lt = api(A, "POST", "/letters", {"kind": "disclosure", "body": "Die Tatsachen, wie sie waren."})
    ok(lt, "letter")
    ok(api(A, "POST", "/letters/%d/give" % lt.json["id"]), "given")
    ok(api(B, "POST", "/hard-dates", {"title": "Le jour où tout est sorti", "date": today}), "hard date")
    ok(api(A, "PUT", "/timeout-rule", {"minutes": 20, "text": "Wir treffen uns in der Küche."}), "timeout rule")
    ok(api(B, "POST", "/timeouts"), "timeout")
    talk = api(A, "POST", "/talks", {"topic": "Die Abende", "in_person": True})
    ok(talk, "talk")
    ok(api(A, "POST", "/talks/%d/steps" % talk.json["id"], {"kind": "say", "text": "Meine Worte, laut gesagt."}), "step")
    ok(api(B, "POST", "/triggers", {"what": "Un message tard le soir", "strength": 3, "shared": True}), "trigger")
    ok(api(A, "POST", "/truths", {"text": "Heute war ich ehrlich."}), "truth")
    start = (datetime.datetime.utcnow().date() - datetime.timedelta(days=30)).isoformat()
    rep = api(A, "POST", "/reports", {"from": start, "to": today})
    ok(rep, "report")
    details = ["/talks/%d" % talk.json["id"], "/promises/%d" % pr.json["id"], "/reports/%d" % rep.json["id"],
               "/account/export.html"]
    names = [x["user"]["display_name"] for x in (a, b)] + [x["account"]["username"] for x in (a, b)] + ["mend"]
    for lang, who in (("de", a), ("fr", b)):
        br = page_of(s, who)
        left = {}
        for path in PAGES + details:
            r = br.get(path)
            eq(r.status, 200, "%s %s" % (lang, path))
            words = english_words(r.text, names)
            if words:
                # where they stand, so a failure says which string missed its catalogue
                text = " ".join(visible(r.text).split())
                left[path] = [text[max(0, m.start() - 30):m.end() + 30] for m in
                              re.finditer(r"(?<![^\W\d_])(?:%s)(?![^\W\d_])" % "|".join(words), text)][:4]
        eq(left, {}, "English words left on %s pages with content" % lang)
    # the ledger seals English and says it to each reader in theirs, names and titles kept
    sealed = [e["summary"] for e in api(A, "GET", "/ledger").json["entries"]]
    check(any(x.endswith('proposed the agreement "Telefone offen" and signed it.') for x in sealed), "sealed as written: %r" % sealed)
    de, fr = page_of(s, a).get("/ledger").text, page_of(s, b).get("/ledger").text
    check("hat die Vereinbarung „Telefone offen“ vorgeschlagen und unterschrieben." in html.unescape(de), "the German ledger")
    check("a promis « Mittags anrufen », chaque jour." in html.unescape(fr), "the French ledger")
