#!/usr/bin/env python3
"""Every error code the server can answer is in the error table of docs/api.md, and the table
names no code the server never sends: the guide cannot drift from the code. Prints TAP."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
used = set()
for sub in ("web", "core", "app"):
    d = os.path.join(ROOT, "src", sub)
    for f in os.listdir(d):
        if f.endswith(".c"):
            text = open(os.path.join(d, f)).read()
            used |= set(re.findall(r'web_error\(rq, \d+, "([a-z_]+)"', text))
            used |= set(re.findall(r'\(verdict\)\{\d+, "([a-z_]+)"', text))
            used |= set(re.findall(r'\bfail\(rq, \d+, "([a-z_]+)"', text))
            if f == "validate.c":
                used |= set(re.findall(r'return \(verdict\)\{422, "([a-z_]+)"', text))
doc = open(os.path.join(ROOT, "docs", "api.md")).read()
errors = doc.split("## Errors", 1)[1].split("\n## ", 1)[0]
rows = [l.split("|") for l in errors.splitlines() if re.match(r"\| \d{3} \|", l)]
documented = set(re.findall(r"`([a-z_]+)`", " ".join(r[2] for r in rows)))
missing = sorted(used - documented)
stale = sorted(documented - used)
print("1..2")
print("%s 1 - every error code in use is in docs/api.md (%d codes)" % ("not ok" if missing else "ok", len(used)))
for c in missing:
    print("#   " + c)
print("%s 2 - docs/api.md's error table names only codes in use" % ("not ok" if stale else "ok"))
for c in stale:
    print("#   " + c)
sys.exit(1 if missing or stale else 0)
