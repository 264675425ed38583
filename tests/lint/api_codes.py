#!/usr/bin/env python3
"""Every error code the server can answer is in the error table of docs/api.md, and the table
names no code the server never sends; docs/openapi.yaml lists each code under the status it is
sent with, and no other: neither document can drift from the code. Prints TAP."""
import os, re, sys
import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
used = set()
by_status = set()  # (status, code)
for sub in ("web", "core", "app"):
    d = os.path.join(ROOT, "src", sub)
    for f in os.listdir(d):
        if f.endswith(".c"):
            text = open(os.path.join(d, f)).read()
            for pattern in (r'web_error\((?:rq|l->rq), (\d+), "([a-z_]+)"', r'\(verdict\)\{(\d+), "([a-z_]+)"',
                            r'\bfail\(rq, (\d+), "([a-z_]+)"'):
                by_status |= {(int(st), c) for st, c in re.findall(pattern, text)}
used = {c for _, c in by_status}
doc = open(os.path.join(ROOT, "docs", "api.md")).read()
errors = doc.split("## Errors", 1)[1].split("\n## ", 1)[0]
rows = [l.split("|") for l in errors.splitlines() if re.match(r"\| \d{3} \|", l)]
documented = set(re.findall(r"`([a-z_]+)`", " ".join(r[2] for r in rows)))
missing = sorted(used - documented)
stale = sorted(documented - used)
spec = yaml.safe_load(open(os.path.join(ROOT, "docs", "openapi.yaml")))
in_spec = set()
for name, schema in spec["components"]["schemas"].items():
    m = re.match(r"Error(\d{3})$", name)
    if m:
        in_spec |= {(int(m.group(1)), c) for c in schema["properties"]["error"]["properties"]["code"]["enum"]}
# pages only (a form's token), and the one answer the contract checks for every address
api_only = {(st, c) for st, c in by_status if c not in ("csrf", "method_not_allowed")}
spec_missing = sorted(api_only - in_spec)
spec_stale = sorted(in_spec - api_only)
print("1..3")
print("%s 1 - every error code in use is in docs/api.md (%d codes)" % ("not ok" if missing else "ok", len(used)))
for c in missing:
    print("#   " + c)
print("%s 2 - docs/api.md's error table names only codes in use" % ("not ok" if stale else "ok"))
for c in stale:
    print("#   " + c)
print("%s 3 - docs/openapi.yaml lists each code under the status it is sent with, and only those" % (
    "not ok" if spec_missing or spec_stale else "ok"))
for st, c in spec_missing:
    print("#   sent, not in the spec: %d %s" % (st, c))
for st, c in spec_stale:
    print("#   in the spec, never sent: %d %s" % (st, c))
sys.exit(1 if missing or stale or spec_missing or spec_stale else 0)
