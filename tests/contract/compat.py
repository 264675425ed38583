#!/usr/bin/env python3
"""Keeps docs/openapi.yaml compatible with every released version of itself (in
tests/contract/released/) of the same major version: no path, method or response status gone,
no field of an answer removed, made optional or retyped, no new required field in a request.
A change that needs any of these is a new major version (a new /api/vN). CHANGELOG.md must
have an entry for the document's version. Checks itself on a spoiled copy. Prints TAP."""
import copy, glob, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
METHODS = ("get", "put", "post", "delete", "patch")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def resolve(spec, node):
    """Follows local $refs (to components or to other paths)."""
    for _ in range(20):
        if not (isinstance(node, dict) and "$ref" in node):
            return node
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    raise ValueError("a $ref loop")


def types(spec, s):
    """The JSON types a schema admits (None: anything)."""
    s = resolve(spec, s)
    if not isinstance(s, dict):
        return None
    if "const" in s:
        return {type(s["const"]).__name__}
    if "type" in s:
        t = s["type"]
        return set(t if isinstance(t, list) else [t])
    out = set()
    for key in ("oneOf", "anyOf"):
        if key in s:
            for v in s[key]:
                t = types(spec, v)
                if t is None:
                    return None
                out |= t
            return out
    for v in s.get("allOf", []):
        t = types(spec, v)
        if t is not None:
            return t
    return None


def props(spec, s):
    """An object schema's properties and required names, through allOf, oneOf and anyOf."""
    s = resolve(spec, s)
    p, req = dict(s.get("properties") or {}), set(s.get("required") or [])
    for key in ("allOf", "oneOf", "anyOf"):
        for v in s.get(key, []):
            vp, vr = props(spec, v)
            for k, sub in vp.items():
                p.setdefault(k, sub)
            if key == "allOf":
                req |= vr
    return p, req


def items(spec, s):
    s = resolve(spec, s)
    if "items" in s:
        return s["items"]
    for key in ("allOf", "oneOf", "anyOf"):
        for v in s.get(key, []):
            it = items(spec, v)
            if it is not None:
                return it
    return None


def same_answer(old, new, o, n, where, problems, depth=0):
    """An answer's schema: the new one may not remove, loosen or retype what the old promised."""
    if depth > 12:
        return
    to, tn = types(old, o), types(new, n)
    if to is not None and (tn is None or not tn <= to):
        problems.append("%s: retyped from %s to %s" % (where, sorted(to), sorted(tn) if tn else "anything"))
        return
    if to is None or "object" in to:
        op, oreq = props(old, o)
        np_, nreq = props(new, n)
        for k, sub in op.items():
            if k not in np_:
                problems.append("%s.%s: removed" % (where, k))
                continue
            if k in oreq and k not in nreq:
                problems.append("%s.%s: no longer always there" % (where, k))
            same_answer(old, new, sub, np_[k], "%s.%s" % (where, k), problems, depth + 1)
    if to is not None and "array" in to:
        oi, ni = items(old, o), items(new, n)
        if oi is not None and ni is not None:
            same_answer(old, new, oi, ni, where + "[]", problems, depth + 1)


def compare(old, new):
    problems = []
    for path, item in old["paths"].items():
        item = resolve(old, item)
        if path not in new["paths"]:
            problems.append("%s: gone" % path)
            continue
        nitem = resolve(new, new["paths"][path])
        for m in METHODS:
            if m not in item:
                continue
            if m not in nitem:
                problems.append("%s %s: gone" % (m.upper(), path))
                continue
            o, n = item[m], nitem[m]
            ob = resolve(old, o.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            nb = resolve(new, n.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            if nb is not None:
                oreq = props(old, ob)[1] if ob is not None else set()
                for k in sorted(props(new, nb)[1] - oreq):
                    problems.append("%s %s: the request now needs %s" % (m.upper(), path, k))
            for status, resp in o["responses"].items():
                if status not in n["responses"]:
                    problems.append("%s %s: status %s no longer documented" % (m.upper(), path, status))
                    continue
                oc = resolve(old, resp).get("content") or {}
                nc = resolve(new, n["responses"][status]).get("content") or {}
                for media, body in oc.items():
                    if media not in nc:
                        problems.append("%s %s %s: no longer %s" % (m.upper(), path, status, media))
                    elif "schema" in body and "schema" in nc[media]:
                        same_answer(old, new, body["schema"], nc[media]["schema"], "%s %s %s" % (m.upper(), path, status), problems)
    return problems


def major(v):
    return int(str(v).split(".")[0])


current = load(os.path.join(ROOT, "docs", "openapi.yaml"))
released = sorted(glob.glob(os.path.join(HERE, "released", "openapi-*.yaml")))
changelog = open(os.path.join(ROOT, "CHANGELOG.md")).read()
print("1..%d" % (len(released) + 2))
failed = 0
n = 0
for path in released:
    n += 1
    old = load(path)
    v = old["info"]["version"]
    if major(v) != major(current["info"]["version"]):
        print("ok %d - released %s is another major version: not held to it # SKIP" % (n, v))
        continue
    problems = compare(old, current)
    print("%s %d - docs/openapi.yaml %s keeps everything released %s promised" % (
        "not ok" if problems else "ok", n, current["info"]["version"], v))
    for p in problems[:40]:
        print("#   " + p)
    failed |= bool(problems)

# the check itself notices what it is for
n += 1
spoiled = copy.deepcopy(current)
sch = spoiled["components"]["schemas"]
del sch["Feeling"]["properties"]["text"]
sch["Person"]["properties"]["id"] = {"type": "string"}
del spoiled["paths"]["/setbacks"]
sch["Me"]["required"].remove("account")
found = compare(current, spoiled)
want = ["removed", "retyped", "/setbacks: gone", "no longer always there"]
ok = all(any(w in p for p in found) for w in want)
print("%s %d - the check notices a field removed, retyped or made optional, and a route gone (%d found)" % (
    "ok" if ok else "not ok", n, len(found)))
failed |= not ok

n += 1
version = str(current["info"]["version"])
ok = re.search(r"^## .*\b%s\b" % re.escape(version), changelog, re.M) is not None
print("%s %d - CHANGELOG.md has an entry for the API %s" % ("ok" if ok else "not ok", n, version))
failed |= not ok
sys.exit(1 if failed else 0)
