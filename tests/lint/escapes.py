#!/usr/bin/env python3
"""Every byte mend writes into HTML or JSON goes through sb_html()/sb_json(), whose %s escapes.
Their %r writes text unescaped, so each %r argument must be a string literal, a choice between
literals, or an expression reviewed as trusted and listed in tests/lint/trusted.txt (as
"file: expression"). A new %r with anything else fails here until someone looks at it.
Prints TAP."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
trusted = set()
for line in open(os.path.join(ROOT, "tests/lint/trusted.txt")):
    line = line.strip()
    if line and not line.startswith("#"):
        trusted.add(line)


def call_args(src, start):
    """Splits the arguments of the call whose '(' is at start; returns (args, end)."""
    depth, i, cur, args, quote = 0, start, [], [], None
    while i < len(src):
        c = src[i]
        if quote:
            cur.append(c)
            if c == "\\":
                cur.append(src[i + 1]); i += 2; continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c; cur.append(c)
        elif c in "([{":
            depth += 1
            if depth > 1: cur.append(c)
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip()); return args, i
            cur.append(c)
        elif c == "," and depth == 1:
            args.append("".join(cur).strip()); cur = []
        else:
            cur.append(c)
        i += 1
    return args, i


def literal_text(expr):
    """The text of concatenated string literals, or None."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', expr)
    rest = re.sub(r'"((?:[^"\\]|\\.)*)"', "", expr).strip()
    return "".join(parts) if parts and not rest else None


def safe(expr):
    if literal_text(expr) is not None:
        return True
    m = re.match(r'^[^?]*\?\s*("(?:[^"\\]|\\.)*")\s*:\s*(.+)$', expr, re.S)
    return bool(m) and literal_text(m.group(1)) is not None and safe(m.group(2).strip())


results = []
for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
    for f in sorted(files):
        if not f.endswith(".c") or f == "sb.c":  # sb.c defines them
            continue
        path = os.path.join(dirpath, f)
        rel = os.path.relpath(path, ROOT)
        src = open(path).read()
        for m in re.finditer(r"\bsb_(html|json)\s*\(", src):
            args, _ = call_args(src, m.end() - 1)
            if len(args) < 2:
                continue
            fmt = literal_text(args[1])
            line = src.count("\n", 0, m.start()) + 1
            if fmt is None:
                results.append((False, "%s:%d: the format is not a string literal" % (rel, line)))
                continue
            k = 2
            for spec in re.findall(r"%(\.\*s|[srduDq%])", fmt):
                if spec == "%":
                    continue
                if spec == ".*s":
                    k += 2
                    continue
                if spec == "r":
                    expr = " ".join(args[k].split()) if k < len(args) else ""
                    ok = safe(expr) or ("%s: %s" % (rel, expr)) in trusted
                    results.append((ok, "%s:%d: %%r gets %s" % (rel, line, expr)))
                k += 1

bad = [r for r in results if not r[0]]
print("1..2")
print("%s 1 - every %%r argument in sb_html/sb_json is a literal or reviewed (%d checked)" % ("not ok" if bad else "ok", len(results)))
for ok, what in bad:
    print("#   " + what)
used = {w.split(": ", 1)[0] + ": " + w.split("%r gets ", 1)[1] for ok, w in results if "%r gets" in w}
stale = sorted(t for t in trusted if t not in {u.split(":", 1)[0] + ": " + u.split(": ", 1)[1] for u in used})
print("%s 2 - tests/lint/trusted.txt lists nothing that is gone" % ("not ok" if stale else "ok"))
for t in stale:
    print("#   " + t)
sys.exit(1 if bad or stale else 0)
