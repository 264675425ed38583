#!/usr/bin/env python3
"""The message catalogues (po/): po/mend.pot holds every string of the sources and of the
program and prompts as they are now (scripts/po-pot writes it anew here and the two are
compared, so a new string that was never extracted fails); each language's .po has every
string of it, translated (a word-bearing string left in English fails, with its place); each
.po passes `msgfmt --check`; and no translation asks for other %-conversions than its English
(the server would leave it out). Prints TAP."""
import os, re, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
os.chdir(ROOT)


def parse(path):
    out = []
    for block in open(path, encoding="utf-8").read().strip("\n").split("\n\n"):
        e = {"ref": [], "msgid": None, "plural": None, "msgstr": {}}
        cur = None
        for line in block.split("\n"):
            if line.startswith("#:"):
                e["ref"].append(line[3:])
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[(\d)\])?) "(.*)"$', line)
            if m:
                cur = m.group(1) if not m.group(1).startswith("msgstr") else ("msgstr", int(m.group(2) or 0))
                if cur == "msgid": e["msgid"] = m.group(3)
                elif cur == "msgid_plural": e["plural"] = m.group(3)
                else: e["msgstr"][cur[1]] = m.group(3)
            elif line.startswith('"') and cur:
                v = line[1:-1]
                if cur == "msgid": e["msgid"] += v
                elif cur == "msgid_plural": e["plural"] += v
                else: e["msgstr"][cur[1]] += v
        if e["msgid"] is not None:
            out.append(e)
    return out


def wordy(m):
    s = re.sub(r"<[^>]*>", " ", m)
    s = re.sub(r"&[a-z]+;|&#\d+;", " ", s)
    s = re.sub(r"%[.*]*[a-zA-Z]", " ", s)
    s = re.sub(r'\\[nt"]', " ", s)
    return bool(re.search(r"[A-Za-z]{2,}", s)) or bool(re.search(r"(aria-label|title|alt|placeholder)=", m))


conv = lambda s: re.findall(r"%(\.\*s|[a-zA-Z])", s.replace("%%", ""))
results = []
with tempfile.TemporaryDirectory() as tmp:
    fresh = os.path.join(tmp, "mend.pot")
    p = subprocess.run(["scripts/po-pot", fresh], capture_output=True, text=True)
    if p.returncode:
        results.append((False, "scripts/po-pot runs", [p.stderr.strip()]))
        fresh_ids = set()
    else:
        fresh_ids = {e["msgid"] for e in parse(fresh) if e["msgid"]}
    kept = {e["msgid"] for e in parse("po/mend.pot") if e["msgid"]}
    missing = sorted(fresh_ids - kept)
    gone = sorted(kept - fresh_ids)
    results.append((not missing and not gone, "po/mend.pot is what scripts/po-pot extracts from the sources now",
                    ["not in po/mend.pot: " + m for m in missing[:20]] + ["no longer in the sources: " + m for m in gone[:20]]))
langs = open("po/LINGUAS").read().split()
pot = [e for e in parse("po/mend.pot") if e["msgid"]]
for lang in langs:
    po = {e["msgid"]: e for e in parse("po/%s.po" % lang) if e["msgid"]}
    p = subprocess.run(["msgfmt", "--check", "-o", os.devnull, "po/%s.po" % lang], capture_output=True, text=True)
    results.append((p.returncode == 0, "msgfmt --check po/%s.po" % lang, p.stderr.strip().splitlines()[:10]))
    left, bad = [], []
    for e in pot:
        t = po.get(e["msgid"])
        forms = [v for k, v in sorted(t["msgstr"].items())] if t else []
        if wordy(e["msgid"]) and (not forms or not all(forms)):
            left.append("%s: %s" % (" ".join(e["ref"])[:60], e["msgid"][:80]))
        for f in forms:
            if f and conv(f) != conv(e["msgid"]):
                bad.append("%s -> %s" % (e["msgid"][:60], f[:60]))
    results.append((not left, "po/%s.po translates every string (%d of %d with words)" % (
        lang, sum(1 for e in pot if wordy(e["msgid"])) - len(left), sum(1 for e in pot if wordy(e["msgid"]))), left[:25]))
    results.append((not bad, "po/%s.po keeps each string's %%-conversions" % lang, bad[:10]))
print("1..%d" % len(results))
for i, (ok, name, notes) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for n in notes:
            print("#   " + n)
sys.exit(0)
