"""A failover under write load, on a pg_auto_failover formation of this module's own (a monitor,
a primary and a synchronous secondary on loopback, scripts/pg-failover-start): mend connects
with a two-host conninfo (target_session_attrs=read-write), the monitor promotes the
secondary, and mend follows it by itself; every write it acknowledged is on the new primary.
Prints how long writes were refused."""
import os, subprocess, time
from harness import Server, WriteLoad, test, check, eq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PW = "a calm long password"


def as_pg(d, *cmd):
    env = ["env", "HOME=" + d, "XDG_CONFIG_HOME=" + d + "/config", "XDG_DATA_HOME=" + d + "/data"]
    pre = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    return subprocess.run(pre + env + list(cmd), capture_output=True, text=True)


def primary_port(d):
    out = as_pg(d, "pg_autoctl", "show", "state", "--pgdata", d + "/monitor").stdout
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 7 and cells[5] == "primary" and cells[6] == "primary":
            return cells[2].split(":")[1]
    return None


@test
def a_failover_under_write_load_loses_no_acknowledged_write():
    d = subprocess.run([os.path.join(ROOT, "scripts", "pg-failover-start")], capture_output=True, text=True)
    check(d.returncode == 0, "the formation starts: " + d.stderr[-500:])
    d = d.stdout.strip()
    s = load = None
    try:
        conninfo = open(os.path.join(d, "conninfo")).read().strip()
        first = primary_port(d)
        s = Server(db_args=["--pg", conninfo])
        r = s.api("POST", "/signup", {"username": "failover_a", "password": PW, "display_name": "A"})
        eq(r.status, 201, "signed up")
        tok = r.json["token"]
        load = WriteLoad(s, tok)
        acked, statuses, refused = load.acked, load.statuses, load.refused
        time.sleep(1)
        before = len(acked)
        # the monitor refuses while it is still moving a node between states (its UPDATE of the
        # node row then fails): asked again a few times, as an operator would
        for attempt in range(5):
            f = as_pg(d, "pg_autoctl", "perform", "failover", "--pgdata", d + "/monitor", "--wait", "90")
            if f.returncode == 0 or primary_port(d) not in (None, first):
                break
            time.sleep(2)
        check(f.returncode == 0 or primary_port(d) not in (None, first), "the monitor fails over: " + (f.stderr or f.stdout)[-500:])
        second = primary_port(d)
        check(second and second != first, "the other node is primary now (%s, was %s)" % (second, first))
        # writes resume on the new primary without restarting mend
        deadline, resumed = time.time() + 30, None
        while time.time() < deadline:
            n = len(acked)
            time.sleep(0.5)
            if len(acked) > n and time.time() - (refused[-1] if refused else 0) > 0.4:
                resumed = time.time()
                break
        load.stop()
        check(resumed, "writes resumed by themselves: %r" % statuses)
        check(len(acked) > before, "more writes after the failover")
        check(set(statuses) <= {201, 503}, "refused writes answered 503, nothing else: %r" % statuses)
        out = subprocess.run(["psql", conninfo, "-At", "-c", "SELECT id FROM appreciations"], capture_output=True, text=True,
                             check=True).stdout
        stored = {int(x) for x in out.split()}
        eq(sorted(set(acked) - stored), [], "every acknowledged write is on the new primary (%d)" % len(acked))
        gap = (refused[-1] - refused[0]) if refused else 0.0
        print("# failover: %d writes acknowledged, %d refused over %.1f s, %r" % (len(acked), len(refused), gap, statuses))
    finally:
        if load:
            load.stop()
        if s:
            s.stop()
        subprocess.run([os.path.join(ROOT, "scripts", "pg-failover-stop"), d])
