#!/usr/bin/env python3
"""Every byte mend writes into HTML or JSON goes through sb_html()/sb_json(), whose %s escapes.
Their %r writes text unescaped, so each %r argument must be a string literal, a choice between
literals, or an expression reviewed as trusted and listed in tests/lint/trusted.txt (as
"file: expression"). A new %r with anything else fails here until someone looks at it.
It also checks what the compiler cannot, as Fossil's codecheck1 does: that each sb_html/sb_json
call has as many arguments as its format asks, that %d gets an int and %D an int64_t (by the
declared types of the names it is given), and that the type strings of db_do, db_count,
db_write, db_rows, db_first, db_row and db_row_keep match their values (an int where an
int64_t is read is undefined behaviour in a variadic call). Prints TAP."""
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
    """The text of concatenated string literals, or None; our words marked or translated for
    the catalogue (N_, _) are ours still."""
    m = re.fullmatch(r'\s*N?_\((.*)\)\s*', expr, re.S)
    if m:
        expr = m.group(1)
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', expr)
    rest = re.sub(r'"((?:[^"\\]|\\.)*)"', "", expr).strip()
    return "".join(parts) if parts and not rest else None


def safe(expr):
    if literal_text(expr) is not None:
        return True
    m = re.match(r'^[^?]*\?\s*("(?:[^"\\]|\\.)*")\s*:\s*(.+)$', expr, re.S)
    return bool(m) and literal_text(m.group(1)) is not None and safe(m.group(2).strip())


# ---- the declared types of what is formatted: a local or parameter of the enclosing function,
# a field of a struct, or a function's return type; unknown (None) when it cannot be told ----
TYPES = ("int64_t", "uint64_t", "int", "long", "size_t", "unsigned", "double")
def norm(t):
    return "int64_t" if t in ("int64_t", "uint64_t") else t

field_types, ret_types = {}, {}
for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
    for f in files:
        if not (f.endswith(".c") or f.endswith(".h")):
            continue
        text = re.sub(r"/\*.*?\*/", "", open(os.path.join(dirpath, f)).read(), flags=re.S)
        for body in re.findall(r"struct\s*\w*\s*\{([^{}]*)\}", text):
            for m in re.finditer(r"\b(%s)\s+([^;]+);" % "|".join(TYPES), body):
                for name in m.group(2).split(","):
                    name = name.strip().lstrip("*").split("[")[0].strip()
                    if re.fullmatch(r"\w+", name):
                        field_types.setdefault(name, set()).add(norm(m.group(1)))
        for m in re.finditer(r"^(?:static\s+)?(?:inline\s+)?(int64_t|int|size_t|long|double)\s+(\w+)\s*\(", text, re.M):
            ret_types.setdefault(m.group(2), set()).add(norm(m.group(1)))


def decl_before(tokens):
    """The numeric type that declares the name after these tokens, or None: walks back over the
    declarators of one declaration (a, *b = f(x), name) to its type."""
    depth, past_comma = 0, False
    for t in reversed(tokens):
        if t in ")]":
            depth += 1
        elif t in "([":
            if depth == 0:
                return None
            depth -= 1
        elif depth:
            continue
        elif t in TYPES:
            return norm(t)
        elif t == ",":
            past_comma = True
        elif t == "=" and not past_comma:
            return None
        elif t in (";", "{", "}", "?", ":", "return") or (t in ("char", "void", "bool") or t.endswith("_t") and t not in TYPES):
            return None
    return None


def local_type(src, pos, name):
    start = 0
    for m in re.finditer(r"^\w[^\n;]*\)\s*\{\s*$", src[:pos], re.M):
        start = m.start()
    region = re.sub(r"/\*.*?\*/", "", src[start:pos], flags=re.S)
    region = re.sub(r'"(?:[^"\\]|\\.)*"', '""', region)
    found = None
    for m in re.finditer(r"\b%s\b(?=\s*[,;=)\[])" % re.escape(name), region):
        toks = re.findall(r"\w+|[^\s\w]", region[max(0, m.start() - 300):m.start()])
        t = decl_before(toks)
        if t:
            found = t
    return found


def width_of(expr, src="", pos=0):
    """int64_t, int, ... or None (unknown) for an argument expression."""
    e = " ".join(expr.split())
    m = re.match(r"^\((int64_t|uint64_t|int|long long|unsigned|size_t|long|double)\)", e)
    if m:
        return "int64_t" if m.group(1) in ("int64_t", "uint64_t", "long long") else m.group(1)
    if re.fullmatch(r"-?\d+", e):
        return "int"
    m = re.fullmatch(r"(\w+)\s*\(.*\)", e)
    if m:
        t = ret_types.get(m.group(1), set())
        return next(iter(t)) if len(t) == 1 else None
    m = re.fullmatch(r"[\w.\[\]>-]*(?:\.|->)(\w+)", e)
    if m:
        t = field_types.get(m.group(1), set())
        return next(iter(t)) if len(t) == 1 else None
    if re.fullmatch(r"\w+", e):
        return local_type(src, pos, e)
    return None


widths = []   # (ok, what)
counts = []   # (ok, what)
dbtypes = []  # (ok, what)
DB_CALLS = {"db_do": 2, "db_count": 2, "db_write": 2, "db_rows": 6, "db_first": 6, "db_row": 4, "db_row_keep": 5}

results = []
for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
    for f in sorted(files):
        if not f.endswith(".c") or f == "sb.c":  # sb.c defines them
            continue
        path = os.path.join(dirpath, f)
        rel = os.path.relpath(path, ROOT)
        # comments blanked (their commas and quotes are not code), lines kept
        src = re.sub(r"/\*.*?\*/", lambda c: re.sub(r"[^\n]", " ", c.group(0)), open(path).read(), flags=re.S)
        for m in re.finditer(r"\bsb_(html|json|markup|plural)\s*\(", src):
            args, _ = call_args(src, m.end() - 1)
            # sb_plural(o, n, one, other, ...): two formats, alike in their conversions
            first = 2 if m.group(1) == "plural" else 1
            if len(args) < first + 1:
                continue
            fmt = literal_text(args[first])
            line = src.count("\n", 0, m.start()) + 1
            if fmt is None:
                results.append((False, "%s:%d: the format is not a string literal" % (rel, line)))
                continue
            if first == 2:
                other = literal_text(args[3]) if len(args) > 3 else None
                conv = lambda f: re.findall(r"%(\.\*s|[srduDq])", f or "")
                counts.append((other is not None and conv(fmt) == conv(other),
                               "%s:%d: the singular and the plural ask for the same arguments" % (rel, line)))
                first = 3
            k = first + 1
            for spec in re.findall(r"%(\.\*s|[srduDq%])", fmt):
                if spec == "%":
                    continue
                if spec == ".*s":
                    if k < len(args):
                        w = width_of(args[k], src, m.start())
                        widths.append((w in (None, "int"), "%s:%d: %%.*s's length gets %s (%s)" % (rel, line, args[k], w)))
                    k += 2
                    continue
                if spec == "r":
                    expr = " ".join(args[k].split()) if k < len(args) else ""
                    ok = safe(expr) or ("%s: %s" % (rel, expr)) in trusted
                    results.append((ok, "%s:%d: %%r gets %s" % (rel, line, expr)))
                if spec in "dD" and k < len(args):
                    w = width_of(args[k], src, m.start())
                    want = "int" if spec == "d" else "int64_t"
                    ok = w is None or w == want or (spec == "d" and w in ("unsigned",))
                    widths.append((ok, "%s:%d: %%%s gets %s, an %s" % (rel, line, spec, " ".join(args[k].split()), w)))
                k += 1
            counts.append((k == len(args), "%s:%d: the format asks for %d arguments, the call gives %d" % (rel, line, k - first - 1, len(args) - first - 1)))
        # page_start writes its lead unescaped (our own words, HTML allowed): a literal or NULL
        for m in re.finditer(r"\bpage_start\s*\(", src):
            args, _ = call_args(src, m.end() - 1)
            if len(args) == 3 and f != "html.c":
                lead = " ".join(args[2].split())
                line = src.count("\n", 0, m.start()) + 1
                results.append((literal_text(lead) is not None or lead == "NULL", "%s:%d: page_start's lead is %s" % (rel, line, lead)))
        for m in re.finditer(r"\b(db_do|db_count|db_write|db_rows|db_first|db_row|db_row_keep)\s*\(", src):
            if src[max(0, m.start() - 4):m.start()].strip().endswith(("int", "t")) and re.search(r"(int|int64_t)\s*$", src[max(0, m.start() - 10):m.start()]):
                continue  # the definition itself
            args, _ = call_args(src, m.end() - 1)
            at = DB_CALLS[m.group(1)]
            line = src.count("\n", 0, m.start()) + 1
            if len(args) <= at:
                continue
            types = literal_text(args[at])
            if types is None:
                dbtypes.append((False, "%s:%d: %s's types are not a string literal" % (rel, line, m.group(1))))
                continue
            vals = args[at + 1:]
            need = sum(2 if t == "b" else 1 for t in types)
            ok = all(t in "izsb" for t in types) and need == len(vals)
            dbtypes.append((ok, "%s:%d: %s's types \"%s\" want %d values, it gets %d" % (rel, line, m.group(1), types, need, len(vals))))
            k = 0
            for t in types:
                if k >= len(vals):
                    break
                if t in "iz":
                    w = width_of(vals[k], src, m.start())
                    dbtypes.append((w in (None, "int64_t"), "%s:%d: %s's %s value %s is an %s, not an int64_t" % (rel, line, m.group(1), t, " ".join(vals[k].split()), w)))
                k += 2 if t == "b" else 1

bad = [r for r in results if not r[0]]
print("1..5")
print("%s 1 - every %%r argument in sb_html/sb_json (and page_start's lead) is a literal or reviewed (%d checked)" % ("not ok" if bad else "ok", len(results)))
for ok, what in bad:
    print("#   " + what)
used = {w.split(": ", 1)[0] + ": " + w.split("%r gets ", 1)[1] for ok, w in results if "%r gets" in w}
stale = sorted(t for t in trusted if t not in {u.split(":", 1)[0] + ": " + u.split(": ", 1)[1] for u in used})
print("%s 2 - tests/lint/trusted.txt lists nothing that is gone" % ("not ok" if stale else "ok"))
for t in stale:
    print("#   " + t)
failed = bool(bad or stale)
for n, (name, rows) in enumerate([("sb_html/sb_json calls give their formats as many arguments as they ask", counts),
                                  ("%d gets an int and %D an int64_t", widths),
                                  ("db_do/db_count/db_write/db_rows/db_first/db_row types match their values", dbtypes)], 3):
    wrong = [w for ok, w in rows if not ok]
    print("%s %d - %s (%d checked)" % ("not ok" if wrong else "ok", n, name, len(rows)))
    for w in wrong:
        print("#   " + w)
    failed = failed or bool(wrong)
sys.exit(1 if failed else 0)
