#!/usr/bin/env python3
"""make bench: load mend with wrk on the routes a couple uses most, next to nginx serving a
2 KB static file and Fossil serving /timeline, all on loopback in the same run; prints a table
of requests/s, p50, p99, the ratio to nginx and to Fossil, and mend's peak memory (VmHWM); then
the same routes with mend on a PostgreSQL server started here (scripts/pg-start), side by side
with SQLite and their ratio. Writes the table to build/bench.txt too. Never fails on speed.
Usage: bench/run.py MEND [--couples N] [--counsellors C] [--pg-couples N] [--years Y] [--seconds S] [--connections C]"""
import argparse, http.client, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("mend")
# a practice's server: 2,000 couples and 50 counsellors, each let in by 40 of them
ap.add_argument("--couples", type=int, default=2000)
ap.add_argument("--counsellors", type=int, default=50)
# seeding PostgreSQL costs several times SQLite's time a couple (single-row statements, on four
# connections): fewer couples, the same history each
ap.add_argument("--pg-couples", type=int, default=100)
ap.add_argument("--years", type=int, default=2)
ap.add_argument("--seconds", type=int, default=5)
ap.add_argument("--connections", type=int, default=32)
ap.add_argument("--out", default="build/bench.txt")
args = ap.parse_args()
MEND = os.path.abspath(args.mend)
tmp = tempfile.mkdtemp(prefix="mend-bench-")
procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_http(port, path="/", timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing answers on port %d" % port)


def wrk(url, headers=()):
    cmd = ["wrk", "-t2", "-c%d" % args.connections, "-d%ds" % args.seconds, "--latency"]
    for h in headers:
        cmd += ["-H", h]
    # a second's warm-up first, for every server alike: caches and connections as they are
    # once a server has run a while, not its first moments
    subprocess.run(["wrk", "-t2", "-c%d" % args.connections, "-d1s"] + cmd[5:] + [url], capture_output=True)
    out = subprocess.run(cmd + [url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": int(non2xx.group(1)) if non2xx else 0}


def start(cmd, **kw):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    procs.append(p)
    return p


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


def nginx():
    root = os.path.join(tmp, "nginx")
    os.makedirs(os.path.join(root, "html"))
    os.makedirs(os.path.join(root, "logs"))
    with open(os.path.join(root, "html", "file.html"), "w") as f:
        f.write("<!DOCTYPE html><title>x</title>" + "x" * (2048 - 30))
    port = free_port()
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes auto; daemon off; master_process on; pid %s/nginx.pid;
error_log %s/logs/error.log; %s
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  server { listen 127.0.0.1:%d; root %s/html; } }
""" % (root, root, "user root;" if os.getuid() == 0 else "", port, root))
    start(["nginx", "-c", conf, "-p", root])
    wait_http(port, "/file.html")
    return wrk("http://127.0.0.1:%d/file.html" % port)


def fossil():
    repo = os.path.join(tmp, "repo.fossil")
    work = os.path.join(tmp, "checkout")
    os.makedirs(work)
    env = dict(os.environ, HOME=tmp, USER="bench")
    subprocess.run(["fossil", "init", repo], capture_output=True, env=env, check=True)
    subprocess.run(["fossil", "open", repo], cwd=work, capture_output=True, env=env, check=True)
    for i in range(20):
        with open(os.path.join(work, "note%d.txt" % i), "w") as f:
            f.write("line %d\n" % i * 50)
        subprocess.run(["fossil", "add", "note%d.txt" % i], cwd=work, capture_output=True, env=env)
        subprocess.run(["fossil", "commit", "-m", "note %d" % i, "--no-warnings"], cwd=work, capture_output=True, env=env)
    port = free_port()
    start(["fossil", "server", "--port", str(port), "--localhost", repo], env=env)
    wait_http(port, "/timeline")
    return wrk("http://127.0.0.1:%d/timeline" % port)


def vmhwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def log_in(port):
    """An API token (seed1a) and a browser session (seed1b) on the server at port."""
    def call(method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        r.data = r.read()
        return r

    r = call("POST", "/api/v1/login", json.dumps({"username": "seed1a", "password": "seed password"}),
             {"Content-Type": "application/json"})
    token = json.loads(r.data)["token"]
    r = call("GET", "/login")
    csrf = re.search(r"mend_csrf=([^;]+)", r.getheader("Set-Cookie")).group(1)
    r = call("POST", "/login", urllib.parse.urlencode({"username": "seed1b", "password": "seed password", "csrf": csrf}),
             {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "mend_csrf=" + csrf})
    session = re.search(r"mend_session=([^;]+)", r.getheader("Set-Cookie")).group(1)
    return call, token, session


def scale_out(db_args):
    """The home page through nginx to one `mend serve --loops 1`, then to two on the same
    database (docs/operations.md's set-up): requests/s of each."""
    ports = [free_port(), free_port()]
    servers = [start([MEND, "serve", "--listen", "127.0.0.1:%d" % p, "--loops", "1"] + db_args) for p in ports]
    for p in ports:
        wait_http(p, "/healthz")
    _, _, session = log_in(ports[0])
    out = {}
    for n in (1, 2):
        root = os.path.join(tmp, "proxy%d" % n)
        os.makedirs(os.path.join(root, "logs"))
        port = free_port()
        conf = os.path.join(root, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""worker_processes 1; daemon off; master_process on; pid %s/nginx.pid;
error_log %s/logs/error.log; %s
events { worker_connections 1024; }
http { access_log off; keepalive_requests 100000;
  upstream mend { %s keepalive 64; }
  server { listen 127.0.0.1:%d;
    location / { proxy_pass http://mend; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; } } }
""" % (root, root, "user root;" if os.getuid() == 0 else "", " ".join("server 127.0.0.1:%d;" % p for p in ports[:n]), port))
        px = start(["nginx", "-c", conf, "-p", root])
        wait_http(port, "/healthz")
        out[n] = wrk("http://127.0.0.1:%d/" % port, ["Cookie: mend_session=" + session])
        px.send_signal(signal.SIGTERM)
        px.wait(10)
    for p in servers:
        p.send_signal(signal.SIGTERM)
        p.wait(10)
    return out


def counsellor_route(call):
    """The counsellor's list of their 40 couples, with a counsellor's token (seedc1)."""
    if not args.counsellors:
        return []
    r = call("POST", "/api/v1/login", json.dumps({"username": "seedc1", "password": "seed password"}),
             {"Content-Type": "application/json"})
    tok = json.loads(r.data)["token"]
    return [("GET counsellor/couples (40)", "/api/v1/counsellor/couples", ["Authorization: Bearer " + tok], "counsellor")]


def mend(db_args, couples):
    t0 = time.time()
    with_counsellors = ["--counsellors", str(min(args.counsellors, couples))] if args.counsellors else []
    subprocess.run([MEND, "seed", "--couples", str(couples), "--years", str(args.years)] + with_counsellors + db_args,
                   check=True, capture_output=True)
    seed_s = time.time() - t0
    port = free_port()
    p = subprocess.Popen([MEND, "serve", "--listen", "127.0.0.1:%d" % port] + db_args,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    wait_http(port, "/healthz")

    call, token, session = log_in(port)
    base = "http://127.0.0.1:%d" % port
    rows = []
    api = ["Authorization: Bearer " + token]
    page = ["Cookie: mend_session=" + session]
    for name, path, hdrs, kind in [("GET /api/v1/me", "/api/v1/me", api, "api"),
                                   ("GET /api/v1/couples/{id}", "/api/v1/couples/%d" % json.loads(call("GET", "/api/v1/me", None, {"Authorization": "Bearer " + token}).data)["couple"]["id"], api, "api"),
                                   ("GET /api/v1/program", "/api/v1/program", api, "api"),
                                   ("GET /api/v1/inbox", "/api/v1/inbox", api, "api"),
                                   ("GET /api/v1/questions", "/api/v1/questions", api, "history"),
                                   ("GET /api/v1/promises", "/api/v1/promises", api, "history"),
                                   ("GET /api/v1/closeness", "/api/v1/closeness", api, "api"),
                                   ("GET /api/v1/journal", "/api/v1/journal", api, "history"),
                                   ("GET / (home page)", "/", page, "page"),
                                   ("GET /promises (page)", "/promises", page, "page"),
                                   ("GET /account (page)", "/account", page, "page"),
                                   ("GET /journal (30 entries)", "/journal", page, "history"),
                                   ("GET /static/style.css", "/static/style.css", [], "static"),
                                   ("GET /healthz", "/healthz", [], "ops")] + counsellor_route(call):
        res = wrk(base + path, hdrs)
        res.update(name=name, kind=kind)
        rows.append(res)
    mem = vmhwm(p.pid)
    return rows, mem, seed_s


def coach():
    """The coach in process, on 64 KiB made of the labelled corpus."""
    texts = [t.strip() for t in re.split(r"\n@ [^\n]*\n", open("tests/coach/corpus.txt").read())[1:]]
    blob = b""
    while True:
        for t in texts:
            b = (t + "\n\n").encode()
            if len(blob) + len(b) > 64 * 1024:
                break
            blob += b
        else:
            continue
        break
    path = os.path.join(tmp, "coach.txt")
    open(path, "wb").write(blob)
    tool = os.path.join(os.path.dirname(MEND), "coach_bench")
    out = subprocess.run([tool, path, "2"], capture_output=True, text=True).stdout
    return float(out.split()[0])


pg_dir = None
pg_rows, pg_seed_s, pg_note, scaled = None, 0, "", None
try:
    mbps = coach()
    ng = nginx()
    fo = fossil()
    rows, mem, seed_s = mend(["--db", os.path.join(tmp, "bench.db")], args.couples)
    cleanup()
    procs.clear()
    try:
        pg_dir = subprocess.run(["scripts/pg-start"], capture_output=True, text=True, check=True).stdout.strip()
        pg_args = ["--pg", open(os.path.join(pg_dir, "conninfo")).read().strip()]
        pg_rows, _, pg_seed_s = mend(pg_args, args.pg_couples)
        cleanup()
        procs.clear()
        scaled = scale_out(pg_args)
    except (subprocess.CalledProcessError, OSError, RuntimeError) as e:
        pg_note = "PostgreSQL not measured: %s" % (getattr(e, "stderr", "") or e)
finally:
    cleanup()
    if pg_dir:
        subprocess.run(["scripts/pg-stop", pg_dir])
    shutil.rmtree(tmp, ignore_errors=True)

lines = []
lines.append("mend bench: %d couples, %d years of history, %d counsellors; wrk %d connections, %ds per route, %d cores" %
             (args.couples, args.years, args.counsellors, args.connections, args.seconds, os.cpu_count()))
lines.append("")
lines.append("%-28s %10s %9s %9s %9s %9s %7s" % ("route", "req/s", "p50 ms", "p99 ms", "x nginx", "x fossil", "errors"))
for r in [dict(ng, name="nginx 2 KB static file", kind="ref"), dict(fo, name="fossil /timeline", kind="ref")] + rows:
    lines.append("%-28s %10.0f %9.3f %9.3f %9.2f %9.1f %7d" % (r["name"], r["rps"], r["p50"], r["p99"],
                 r["rps"] / ng["rps"], r["rps"] / fo["rps"], r["errors"]))
lines.append("")
api = [r for r in rows if r["kind"] == "api"]
pages = [r for r in rows if r["kind"] == "page"]
worst_p99 = max(r["p99"] for r in api + pages)
worst_other = max(r["p99"] for r in rows if r["kind"] in ("static", "ops"))
lines.append("targets:")
lines.append("  API reads >= 0.8 x nginx: %s (%.2f)" % ("met" if min(r["rps"] for r in api) >= 0.8 * ng["rps"] else "NOT met",
                                                     min(r["rps"] for r in api) / ng["rps"]))
lines.append("  pages >= 0.5 x nginx:     %s (%.2f)" % ("met" if min(r["rps"] for r in pages) >= 0.5 * ng["rps"] else "NOT met",
                                                     min(r["rps"] for r in pages) / ng["rps"]))
lines.append("  p99 < 5 ms (API, pages):  %s (worst %.3f ms; static and ops routes, at twice the rate: %.3f ms)" % (
    "met" if worst_p99 < 5 else "NOT met", worst_p99, worst_other))
lines.append("  peak memory < 32 MiB:     %s (VmHWM %.1f MiB, after one argon2id log-in of 19 MiB)" % ("met" if mem < 32 else "NOT met", mem))
lines.append("  coach >= 20 MB/s:         %s (%.1f MB/s on 64 KiB of apologies and messages)" % ("met" if mbps >= 20 else "NOT met", mbps))
mine = [r for r in rows if r["kind"] == "counsellor"]
if mine:
    lines.append("  counsellor's list of 40 couples >= 0.5 x nginx: %s (%.2f; %d counsellors, an 18 KB answer)" % (
        "met" if mine[0]["rps"] >= 0.5 * ng["rps"] else "NOT met", mine[0]["rps"] / ng["rps"], args.counsellors))
hist = [r for r in rows if r["kind"] == "history"]
if hist:
    lines.append("  history lists (two years of questions or reports, a page of 30 journal entries; no target): %s" %
                 ", ".join("%s %.2f" % (r["name"].split()[1], r["rps"] / ng["rps"]) for r in hist))
lines.append("  seeding took %.1f s" % seed_s)
lines.append("")
if pg_rows:
    lines.append("PostgreSQL (same machine, %d couples of %d years, seeded in %.1f s) beside SQLite:" % (args.pg_couples, args.years, pg_seed_s))
    lines.append("%-28s %10s %10s %9s %9s %9s" % ("route", "SQLite/s", "PG req/s", "PG p99", "PG/SQLite", "PG x nginx"))
    for r, q in zip(rows, pg_rows):
        lines.append("%-28s %10.0f %10.0f %9.3f %9.2f %9.2f" % (r["name"], r["rps"], q["rps"], q["p99"], q["rps"] / r["rps"],
                                                                  q["rps"] / ng["rps"]))
    per_sqlite, per_pg = seed_s / args.couples, pg_seed_s / args.pg_couples
    lines.append("  mend seed --pg within 3 x SQLite's time a couple: %s (%.1f ms against %.1f ms: %.1f x)" % (
        "met" if per_pg <= 3 * per_sqlite else "NOT met", per_pg * 1000, per_sqlite * 1000, per_pg / per_sqlite))
    hot = [(r, q) for r, q in zip(rows, pg_rows) if r["kind"] in ("api", "page")]
    worst = min(hot, key=lambda rq: rq[1]["rps"] / rq[0]["rps"])
    lines.append("  hot routes on PostgreSQL >= 0.5 x SQLite: %s (worst %.2f, %s)" % (
        "met" if worst[1]["rps"] >= 0.5 * worst[0]["rps"] else "NOT met", worst[1]["rps"] / worst[0]["rps"], worst[0]["name"]))
    if scaled:
        lines.append("  two servers behind nginx (--loops 1 each, the home page): one %.0f req/s, two %.0f req/s: %.2f x "
                     "(target 1.8 x; %d cores for wrk, nginx, the servers and PostgreSQL)" % (
                         scaled[1]["rps"], scaled[2]["rps"], scaled[2]["rps"] / scaled[1]["rps"], os.cpu_count()))
else:
    lines.append(pg_note or "PostgreSQL not measured")
text = "\n".join(lines) + "\n"
print(text, end="")
os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
with open(args.out, "w") as f:
    f.write(text)
