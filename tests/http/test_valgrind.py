"""Memory errors the sanitizers cannot see: reads of uninitialised memory, under valgrind's
memcheck, on the routes that read route parameters they may not have (a page without a {code},
an API write without an {id}). SQLite; valgrind is slow, so the accounts are made beforehand by
a server without it."""
import signal
from harness import Server, test, check, eq

PW = "a calm long password"


@test
def no_uninitialised_reads_on_routes_without_parameters():
    plain = Server()
    a = plain.api("POST", "/signup", {"username": "vg_a", "password": PW, "display_name": "A"}).json
    plain.stop()
    s = Server(db_args=plain.db_args, wrap=["valgrind", "--error-exitcode=99", "--leak-check=no", "--track-origins=yes",
                                            "--trace-children=no", "-q"])
    eq(s.request("GET", "/join").status, 200, "the join page without a code")
    eq(s.request("GET", "/join/K7QM-3ZRT-9XWB-C2DF").status, 200, "and with one")
    r = s.api("POST", "/goals", {"title": "A weekend away", "steps": ["Choose a place"]}, token=a["token"])
    check(r.status in (201, 422), "a goal (%d)" % r.status)
    eq(s.api("GET", "/goals", token=a["token"]).status, 200, "the goals")
    code = s.stop(signal.SIGTERM)
    log = s.output()
    check("uninitialised" not in log, "no read of uninitialised memory:\n" + log[-3000:])
    eq(code, 0, "valgrind found no error (exit %d)" % code)
