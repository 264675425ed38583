/* routes.c: joins the route tables of the feature files (method, path pattern, handler,
   flags) into one, and dispatches: matches a request against it, loads the session, enforces
   authentication and CSRF, parses the body a route asks for, and calls the handler. `mend
   routes` prints the joined table; the authorization tests walk it. */
#include "web.h"
#include "loop.h"
#include "html.h"
#include "keys.h"
#include "pool.h"
#include "dbwork.h"
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Each feature file ends with its own table; this is their order, pages and API of a feature
   together. A request takes the first route that matches, so within a table a literal path
   ("/checkins/schedule") comes before a pattern that would also match it ("/checkins/{week}"). */
extern const route_t accounts_routes[],
  home_routes[],
  calendar_routes[],
  program_routes[],
  breach_routes[],
  feelings_routes[],
  triggers_routes[],
  hard_dates_routes[],
  timeouts_routes[],
  talks_routes[],
  letters_routes[],
  prompts_routes[],
  questions_routes[],
  apologies_routes[],
  agreements_routes[],
  promises_routes[],
  ledger_routes[],
  truths_routes[],
  checkins_routes[],
  dashboard_routes[],
  guidance_routes[],
  journal_routes[],
  closeness_routes[],
  moments_routes[],
  values_routes[],
  setbacks_routes[],
  forgiveness_routes[],
  reports_routes[],
  counsellor_access_routes[],
  counsellor_space_routes[],
  erase_routes[],
  coach_routes[],
  pwa_routes[],
  reminders_routes[],
  ops_routes[];
static const route_t *const tables[] = {
  home_routes, accounts_routes, calendar_routes, program_routes, breach_routes, feelings_routes, triggers_routes, hard_dates_routes, timeouts_routes, talks_routes, questions_routes, letters_routes, prompts_routes, apologies_routes, agreements_routes, promises_routes, ledger_routes, truths_routes, checkins_routes, dashboard_routes, guidance_routes, journal_routes, closeness_routes, moments_routes, values_routes, setbacks_routes, forgiveness_routes, reports_routes, counsellor_access_routes, counsellor_space_routes, erase_routes, coach_routes, pwa_routes, reminders_routes, ops_routes,
};

const route_t *routes;
int n_routes;

/* The account page's sections that other features offer, in the order they show. */
void calendar_account_section(rq_t *rq, sb_t *o, const char *err, const char *field);
void data_account_section(rq_t *rq, sb_t *o, const char *err, const char *field);
void reminders_account_section(rq_t *rq, sb_t *o, const char *err, const char *field);
void looks_account_section(rq_t *rq, sb_t *o, const char *err, const char *field);
const account_section_fn account_sections[] = {reminders_account_section, calendar_account_section, looks_account_section, data_account_section,
                                                NULL};

void routes_init(void) {
  if (routes) return;
  int n = 0;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    for (const route_t *r = tables[t]; r->method; r++) n++;
  route_t *all = malloc(sizeof *all * (size_t)n);
  if (!all) { fputs("mend: out of memory\n", stderr); abort(); }
  n = 0;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    for (const route_t *r = tables[t]; r->method; r++) all[n++] = *r;
  routes = all;
  n_routes = n;
}

int web_has_page(const char *tool) {
  char path[64];
  snprintf(path, sizeof path, "/%s", tool);
  for (int i = 0; i < n_routes; i++)
    if (!strcmp(routes[i].method, "GET") && !strcmp(routes[i].pattern, path)) return 1;
  return 0;
}

void routes_print(FILE *out) {
  routes_init();
  static const struct { int flag; const char *name; } names[] = {
    {R_AUTH, "auth"}, {R_CSRF, "csrf"}, {R_BODY, "body"}, {R_SECRET_PATH, "secret-path"},
    {R_OPS, "ops"}, {R_STATIC, "static"}, {R_LIST, "list"}, {R_RANGE, "range"}, {R_PICK, "pick"},
    {R_COUNSELLOR, "counsellor"}, {R_EITHER, "either"},
  };
  for (int i = 0; i < n_routes; i++) {
    char flags[64] = "-";
    size_t used = 0;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
      if (routes[i].flags & names[k].flag)
        used += (size_t)snprintf(flags + used, sizeof flags - used, "%s%s", used ? "," : "", names[k].name);
    fprintf(out, "%-7s %-48s %-28s %s\n", routes[i].method, routes[i].pattern, flags, routes[i].name);
  }
}

/* An id as mend makes them: decimal digits, below 2^53 (secret_id), no leading zero. */
static int id_shaped(const char *s, size_t n) {
  if (!n || n > 16 || (s[0] == '0' && n > 1)) return 0;
  uint64_t x = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return 0;
    x = x * 10 + (uint64_t)(s[k] - '0');
  }
  return x < (1ull << 53);
}

/* Matches path against pattern; {name} matches one non-empty segment, and {id} only an id,
   so every handler gets a well-formed id and a malformed one is simply not found (404). */
static int match(const char *pat, const char *path, size_t n, h2o_iovec_t *params) {
  size_t i = 0;
  int np = 0;
  while (*pat) {
    if (*pat == '{') {
      size_t s = i;
      while (i < n && path[i] != '/') i++;
      if (i == s || np >= 3) return 0;
      if (!strncmp(pat, "{id}", 4) && !id_shaped(path + s, i - s)) return 0;
      params[np++] = h2o_iovec_init(path + s, i - s);
      while (*pat && *pat != '}') pat++;
      if (*pat) pat++;
      continue;
    }
    if (i >= n || path[i] != *pat) return 0;
    i++;
    pat++;
  }
  return i == n;
}

/* breach, questions or apologies, alone or followed by '/': what rests in the archive. */
static int restable_tool(const char *p, size_t n) {
  static const char *const tools[] = {"breach", "questions", "apologies"};
  for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
    size_t k = strlen(tools[i]);
    if (n >= k && !memcmp(p, tools[i], k) && (n == k || p[k] == '/')) return 1;
  }
  return 0;
}

/* An API request's query: each parameter once, and only those the route takes (422). */
static int query_refused(rq_t *rq) {
  h2o_req_t *req = rq->req;
  if (req->query_at == SIZE_MAX) return 0;
  const char *q = req->path.base + req->query_at + 1, *end = req->path.base + req->path.len;
  const char *takes = rq->route->flags & R_LIST ? "limit starting_after" : rq->route->flags & R_RANGE ? "from to"
                     : rq->route->flags & R_PICK  ? "kind after" : "";
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    if (!amp) amp = end;
    const char *eq = memchr(q, '=', (size_t)(amp - q));
    size_t k = (size_t)((eq ? eq : amp) - q);
    if (k) {
      char name[40];
      snprintf(name, sizeof name, "%.*s", (int)(k < sizeof name ? k : sizeof name - 1), q);
      for (char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) *c = '?';
      int known = 0;
      for (const char *t = takes; *t;) {
        size_t w = strcspn(t, " ");
        if (w == k && !memcmp(t, q, k)) known = 1;
        t += w;
        while (*t == ' ') t++;
      }
      /* the same name twice is as unclear as an unknown one */
      for (const char *r = amp; known && r < end;) {
        const char *a2 = memchr(r + 1, '&', (size_t)(end - r - 1));
        if (!a2) a2 = end;
        if ((size_t)(a2 - r - 1) >= k && !memcmp(r + 1, q, k) && (r + 1 + k == a2 || r[1 + k] == '=')) known = 0;
        r = a2;
      }
      if (!known || k >= sizeof name) {
        char m[120];
        snprintf(m, sizeof m, "This address does not take %s (or takes it once).", name);
        web_error(rq, 422, "invalid", m, name);
        return 1;
      }
    }
    q = amp + 1;
  }
  return 0;
}

static void *rq_alloc(arena_t *a, size_t n) {
  rq_t *rq = (rq_t *)a; /* mem is the first member */
  return h2o_mem_alloc_pool(&rq->req->pool, n);
}

static void rq_dispose(void *p) {
  rq_t *rq = p;
  rq->loop->inflight--;
  web_response_done(rq);
  if (rq->job) {
    rq->job->rq = NULL;
    atomic_store(&rq->job->gone, 1);
  }
  web_forget_key(rq);
  dbwork_forget(rq);
}

/* Everything the handler's run left in the request, for a run from the start again. */
static void rq_restart(rq_t *rq) {
  memset(&rq->req->res.headers, 0, sizeof rq->req->res.headers);
  web_forget_key(rq);
  rq->dk_state = 0;
  rq->authed = rq->touch = rq->db_down = rq->new_csrf_cookie = 0;
  rq->view_access = 0;
  memset(&rq->s, 0, sizeof rq->s);
  rq->partners_loaded = rq->npartners = 0;
  memset(&rq->app, 0, sizeof rq->app);
  rq->resting = 0;
  rq->wipe_wal = 0;
}

static int run_once(rq_t *rq);

int routes_run(rq_t *rq) {
  for (;;) {
    int rc = run_once(rq);
    if (!rq->a.retry) return rc;
    /* PostgreSQL refused for a serialization failure or a deadlock: run again after a short,
       growing and random pause (on a database worker, never on a loop), so two requests that
       collided do not collide again */
    rq->a.retry = 0;
    rq->a.attempts++;
    rq_restart(rq);
    struct timespec pause = {0, (long)(1 + randombytes_uniform(4u << rq->a.attempts)) * 1000000L};
    nanosleep(&pause, NULL);
  }
}


int routes_dispatch(h2o_handler_t *self, h2o_req_t *req) {
  (void)self;
  loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, ctx, req->conn->ctx);
  rq_t *rq = h2o_mem_alloc_shared(&req->pool, sizeof *rq, rq_dispose);
  memset(rq, 0, sizeof *rq);
  rq->mem.alloc = rq_alloc;
  rq->req = req;
  rq->loop = loop;
  rq->db = loop->db;
  rq->a.http = req;
  rq->a.out = &loop->out;
  rq->start_ns = web_mono_ns();
  loop->inflight++;
  web_pick_language(rq); /* before anything is said, a refusal too; again with the session */

  const char *path = req->path_normalized.base;
  size_t n = req->path_normalized.len;
  rq->api = n >= 5 && !memcmp(path, "/api/", 5);
  /* while the past rests, the API's breach, questions and apologies live under
     /api/v1/archive/: the same routes, matched without "archive/" */
  int archived = 0, restable = 0;
  if (rq->api) {
    static const char arch[] = "/api/v1/archive/";
    size_t al = sizeof arch - 1;
    if (n > al && !memcmp(path, arch, al) && restable_tool(path + al, n - al)) {
      char *p = h2o_mem_alloc_pool(&req->pool, n - 8);
      memcpy(p, "/api/v1/", 8);
      memcpy(p + 8, path + al, n - al);
      path = p;
      n -= 8;
      archived = 1;
    } else if (n > 8 && restable_tool(path + 8, n - 8)) restable = 1;
  }
  if (web_length_ambiguous(req)) {
    req->http1_is_persistent = 0; /* what follows on this connection cannot be trusted either */
    return web_error(rq, 400, "bad_request", "The request's length is ambiguous; it was not read.", NULL);
  }
  const route_t *found = NULL;
  int path_matched = 0;
  int head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
  for (int i = 0; i < n_routes; i++) {
    h2o_iovec_t params[3] = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
    if (!match(routes[i].pattern, path, n, params)) continue;
    path_matched = 1;
    size_t ml = strlen(routes[i].method);
    if (h2o_memis(req->method.base, req->method.len, routes[i].method, ml) ||
        (head && !strcmp(routes[i].method, "GET"))) {
      found = &routes[i];
      memcpy(rq->params, params, sizeof params);
      break;
    }
  }
  if (!found) {
    if (path_matched) {
      /* the methods this address takes, in the table's order, for the Allow header */
      char allow[64] = "";
      size_t used = 0;
      for (int i = 0; i < n_routes; i++) {
        h2o_iovec_t params[3];
        if (!match(routes[i].pattern, path, n, params) || strstr(allow, routes[i].method)) continue;
        int get = !strcmp(routes[i].method, "GET");
        used += (size_t)snprintf(allow + used, sizeof allow - used, "%s%s%s", used ? ", " : "", routes[i].method, get ? ", HEAD" : "");
        if (used >= sizeof allow) break;
      }
      web_header(rq, "allow", allow);
      return web_error(rq, 405, "method_not_allowed", "This address does not accept that method.", NULL);
    }
    return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  }
  rq->route = found;
  if (req->entity.len > MAX_BODY) return web_too_large(rq);
  rq->a.archived = archived;
  rq->a.restable = restable;
  if (dbwork_on() && (!(found->flags & R_OPS) || (found->flags & R_DB))) return dbwork_submit(rq);
  return routes_run(rq);
}

/* The request's database part: its session, its checks, the handler, the COMMIT. On the
   loop (SQLite), or on a database worker (PostgreSQL: dbwork.c), in a copy of the request. */
static int run_once(rq_t *rq) {
  const route_t *found = rq->route;
  db_t *db = rq->db;
  int reads = !strcmp(found->method, "GET");
  if (!(found->flags & R_OPS)) {
    /* a database that went away (a restart, a failover) is tried again here */
    if (db_ready(db) != DB_OK) return web_unavailable(rq);
    if (reads) {
      db_read_begin(db);
      rq->read_tx = 1;
    }
    session_load(rq);
    if (rq->db_down && db_ready(db) == DB_OK) {
      /* the connection had gone (a restart) and is made again: once more, on the new one */
      rq->db_down = 0;
      if (reads) db_read_begin(db);
      session_load(rq);
    }
    if (rq->db_down) return web_unavailable(rq);
    web_pick_language(rq);
    if (reads) db_read_snapshot(db);
    if (reads && rq->authed) db_memo_scope(db, rq->s.user.couple_id, rq->s.couple_version);
  }
  if ((found->flags & R_AUTH) && !rq->authed) {
    if (rq->api) return web_error(rq, 401, "unauthorized", "Log in first: send Authorization: Bearer TOKEN.", NULL);
    return web_redirect(rq, "/login");
  }
  /* a counsellor holds no couple's tools, and a partner none of a counsellor's */
  if ((found->flags & R_AUTH) && !(found->flags & R_EITHER) && rq->s.counsellor != !!(found->flags & R_COUNSELLOR))
    return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  /* a counsellor's first password is the operator's: their own comes before any couple's */
  if ((found->flags & R_COUNSELLOR) && rq->s.password_once) {
    if (!rq->api) return web_redirect(rq, "/account");
    return web_error(rq, 403, "password_change", "Choose your own password first: PUT /api/v1/account/password.", NULL);
  }
  if (rq->api && query_refused(rq)) return 0;
  if ((found->flags & R_CSRF) && !session_check_csrf(rq))
    return web_error(rq, 403, "csrf", "This form has expired or did not come from mend. Go back, reload the page and try again.", NULL);
  json_t *j = NULL;
  if ((found->flags & R_BODY) && rq->api && !(j = web_json_body(rq))) return 0; /* answered: 400 or 415 */
  if (!reads && !(found->flags & R_OPS) && web_write_begin(rq) != 0) { json_decref(j); return 0; }
  int rc;
  if (rq->a.archived && !web_resting(rq))
    rc = web_error(rq, 409, "not_resting", "Nothing rests: this is in daily view, at the same address without /archive.", NULL);
  else if (rq->a.restable && web_resting(rq))
    rc = web_error(rq, 409, "resting", "You let the past rest: this is in the archive now, under /api/v1/archive/.", NULL);
  else rc = found->fn(rq, j);
  json_decref(j);
  if (rq->write_tx && !rq->job) {
    /* a handler that answered nothing: nothing it did is kept */
    while (db_tx_depth(db) > 0) db_rollback(db);
    rq->write_tx = 0;
  }
  return rc;
}
