/* web.h: what every page and API handler needs: the request, the route table's shape, the
   answers, the inputs (input.h), and the couple. Pages add html.h; slow work pool.h; private words
   keys.h; the server's own machinery is loop.h. */
#ifndef MEND_WEB_H
#define MEND_WEB_H
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <jansson.h>
#include "app/app.h"
#include "db/accounts.h"
#include "db/db.h"
#include "util/sb.h"
#include "core/days.h"
#include "core/validate.h"
#include "server.h"
#include "answer.h"

#define MAX_BODY (1024 * 1024)
struct route; struct job;
typedef struct rq {
  arena_t mem;              /* first: the request's pool, for getters' texts (freed with it) */
  h2o_req_t *req;
  struct loop *loop;         /* its event loop (web/loop.h) */
  db_t *db;                  /* the connection of the thread running the handler */
  const struct route *route;
  h2o_iovec_t params[3];
  int api;
  int authed;
  session_t s;              /* valid when authed */
  unsigned char token_hash[HASH_BYTES];
  char csrf[TOKEN_CHARS + 1];  /* the token a form of this visitor must carry */
  int new_csrf_cookie;         /* logged out: set the pre-session CSRF cookie */
  int read_tx;                 /* a GET: its queries share one read transaction */
  int write_tx;                /* a write: the handler runs inside one transaction, committed
                                  by web_send before any answer goes out */
  int wipe_wal;                /* erased words: truncate SQLite's WAL after the commit */
  int touch;                   /* the session's last-seen time is due an update */
  /* a counsellor opened a couple's space: logged for the couple once the read is answered
     (web_log_view), as the session's last-seen time is */
  int64_t view_couple, view_access;
  const char *view_page;
  struct job *job;             /* pending slow work, if any */
  user_t partners[2];          /* the couple, loaded on first use (web_partners) */
  int npartners, partners_loaded;
  app_couple app;              /* web_app: valid when app.db is set */
  uint64_t start_ns;
  char token[TOKEN_CHARS + 1];  /* the session token the client sent (opens the data key) */
  int dk_state;                 /* 0 not opened yet, 1 open in dk, -1 this session has none */
  unsigned char dk[SEAL_KEY];
  int resting;                  /* 0 not asked yet, 1 the past rests, -1 it does not */
  int db_down;                  /* the session could not be read: the database did not answer */
  const struct i18n_lang *lang; /* the language it is answered in (web_pick_language) */
  rq_answer a;                  /* answer.h: how the answer is being made (the server's) */
} rq_t;
/* Route flags. */
enum {
  R_AUTH = 1,        /* needs a session (cookie for pages, bearer token for the API) */
  R_CSRF = 2,        /* a form POST: the csrf field must match */
  R_SECRET_PATH = 4, /* the path holds a secret: log the route pattern instead */
  R_OPS = 16,        /* operational (static files, health, metrics): no session, no database */
  R_BODY = 32,       /* reads a body: the API's JSON object is parsed first (400/415) and handed
                        to the handler; a page's form is read field by field (web_text) */
  R_STATIC = 64,     /* a file of ours: the one answer that may be cached */
  R_LIST = 128,      /* an API list: takes limit and starting_after (lists.c); others none (422) */
  R_DB = 256,        /* operational but asks the database (/healthz): never on a loop for PG */
  R_RANGE = 512, R_PICK = 1024, /* an API read taking from and to (RANGE) or kind and after (PICK) */
  /* Who a session route is for: a partner's (the default), a counsellor's (R_COUNSELLOR), or
     either's (R_EITHER: the account, logging out). Any other is not found (404) for them. */
  R_COUNSELLOR = 2048, R_EITHER = 4096,
};
/* Every handler: j is the request's JSON object (R_BODY on the API), else NULL. Each feature
   file ends with its table of routes (NULL-terminated); routes.c joins them. */
typedef int (*handler_fn)(rq_t *rq, json_t *j);
typedef struct route {
  const char *method, *pattern;
  handler_fn fn;
  int flags;
  const char *name; /* metric label */
} route_t;
/* A form and its API twin, one handler: METHOD PATH for pages (with CSRF) and METHOD
   /api/v1PATH for the API, metrics NAME and api_NAME. */
#define TWIN(method, path, fn, flags, name) \
  {method, path, fn, (flags) | R_CSRF, name}, {method, "/api/v1" path, fn, flags, "api_" name}
int web_has_page(const char *tool); /* whether GET /tool is a page of ours (steps link to it) */
/* http.c: responses. Each sends and returns 0. */
int web_send(rq_t *rq, int status, const char *ctype, const char *body, size_t len);
sb_t *web_out(rq_t *rq); /* the loop's response buffer, emptied */
int web_json(rq_t *rq, int status, sb_t *body);
int web_no_content(rq_t *rq);
/* JSON error for the API, an error page for pages. field may be NULL. */
int web_error(rq_t *rq, int status, const char *code, const char *message, const char *field);
/* The request's language, on the thread answering it: the partner's choice, else the
   browser's Accept-Language, else the server's --language (util/i18n.h). */
void web_pick_language(rq_t *rq);
/* For words that reach a partner without a request of theirs (reminders, the calendar feed):
   their choice, else the server's --language. */
const struct i18n_lang *web_language_of(const user_t *u);
int web_redirect(rq_t *rq, const char *location);
void web_header(rq_t *rq, const char *name, const char *value);
void web_set_cookie(rq_t *rq, const char *name, const char *value, int64_t max_age);
int web_is_tls(rq_t *rq);
/* The client's address (the proxy's X-Forwarded-For when trusted). */
void web_client_addr(rq_t *rq, char *out, size_t cap);
/* An address of ours to hand out, in the request's pool: the origin (--base-url, else scheme
   and Host of this request), then path, secret and suffix. */
const char *web_link(rq_t *rq, const char *path, const char *secret, const char *suffix);
h2o_iovec_t web_req_header(rq_t *rq, const h2o_token_t *tok);
#include "input.h" /* the request's inputs */
/* The answer to a failed database call: 409 when a constraint refused the change (two people
   did the same thing at once), else 503; both say that nothing was saved. */
int web_db_error(rq_t *rq);
int web_unavailable(rq_t *rq); /* 503 while the database cannot be reached (never "log in") */
/* Opens the request's write transaction and, for a logged-in partner, locks their couple
   (every decision that reads and then writes happens under it). The dispatcher calls it for
   every write route; a pool job's done callback calls it again for its own writes. 0 on
   success; else answered (503). */
int web_write_begin(rq_t *rq);
/* Commits the request's write transaction now (before a pool job runs). 0 on success. */
int web_write_end(rq_t *rq);
/* The couple's partners (loaded once per request); 0 on success. */
int web_partners(rq_t *rq);
/* The caller's couple as the app layer sees it (app/app.h): the partners, the request's
   memory, now. Built once per request; NULL when the partners cannot be read. */
const app_couple *web_app(rq_t *rq);
const user_t *web_partner(rq_t *rq); /* the other partner, or NULL while they have not joined */
/* What needs two, asked alone: answers 409 no_partner (saying so, pointing to the invite) and
   returns 1; 0 when the partner is there. */
int web_needs_partner(rq_t *rq, const char *what);
/* Who did something, as named after "by": "you" for the caller (in the reader's language),
   else the partner's display name. A sentence with the caller as its subject has its own
   words ("You promised"), as languages conjugate for it. */
const char *web_who(rq_t *rq, int64_t user_id);
int64_t web_now(void);
uint64_t web_mono_ns(void); /* for durations */

int64_t web_today(const user_t *u); /* the user's local day now (their time zone) */
int web_resting(rq_t *rq); /* whether both partners let the past rest (asked once per request) */
/* What caches of the couple go by (per-couple, any engine, any server); -1: cache nothing. */
int64_t web_data_version(rq_t *rq);

#endif
