#!/usr/bin/env python3
"""The layers of docs/architecture.md, checked: each directory of src/ includes only from the
layers below it (util < core < db < app < web, cli; serve.c and main.c join the two doors),
no feature file of web/ calls a function another feature file defines (they meet through
routes.c's tables and the shared files), and web/web.h stays what every handler needs (under
150 lines). Prints TAP."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SRC = os.path.join(ROOT, "src")
MAY = {"util": {"util"}, "core": {"util", "core"}, "db": {"util", "core", "db"}, "app": {"util", "core", "db", "app"},
       "web": {"util", "core", "db", "app", "web"}, "cli": {"util", "core", "db", "app", "cli"}}
# web/ files that every feature may use: the request, answers, layout, session, keys, pool, push delivery,
# background rounds
SHARED = {"http.c", "lists.c", "html.c", "session.c", "seal.c", "pool.c", "push.c", "periodic.c", "routes.c", "server.c", "metrics.c", "errordoc.c"}


def strip(text):
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', re.sub(r"/\*.*?\*/", " ", text, flags=re.S))


wrong_includes, checked = [], 0
for layer, may in MAY.items():
    d = os.path.join(SRC, layer)
    for f in sorted(os.listdir(d)):
        if not f.endswith((".c", ".h")):
            continue
        for n, line in enumerate(open(os.path.join(d, f)), 1):
            m = re.match(r'\s*#include "([^"]+)"', line)
            if not m:
                continue
            checked += 1
            inc = m.group(1)
            top = inc.split("/")[0] if "/" in inc else layer
            if top not in may:
                wrong_includes.append("src/%s/%s:%d includes %s" % (layer, f, n, inc))

# which web/ file defines each function that is not static
defined = {}
web = os.path.join(SRC, "web")
texts = {f: strip(open(os.path.join(web, f)).read()) for f in os.listdir(web) if f.endswith(".c")}
for f, text in texts.items():
    for m in re.finditer(r"^(?!static)[a-z][\w \*]*?\b(\w+)\s*\([^;{]*\)\s*\{", text, re.M):
        defined[m.group(1)] = f
crossing, calls = [], 0
for f, text in sorted(texts.items()):
    if f in SHARED:
        continue
    for m in re.finditer(r"\b(\w+)\s*\(", text):
        owner = defined.get(m.group(1))
        if owner and owner != f:
            calls += 1
            if owner not in SHARED:
                crossing.append("web/%s calls %s of web/%s" % (f, m.group(1), owner))

lines = sum(1 for _ in open(os.path.join(web, "web.h")))
print("1..3")
print("%s 1 - every include points to the same or a lower layer (%d checked)" % ("not ok" if wrong_includes else "ok", checked))
for w in wrong_includes:
    print("#   " + w)
print("%s 2 - no feature file of web/ calls another's functions (%d calls to shared files)" % ("not ok" if crossing else "ok", calls))
for w in sorted(set(crossing)):
    print("#   " + w)
print("%s 3 - web/web.h is under 150 lines (%d)" % ("ok" if lines < 150 else "not ok", lines))
sys.exit(1 if wrong_includes or crossing or lines >= 150 else 0)
