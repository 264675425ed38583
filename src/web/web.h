/* web.h: what every page and API handler sees: the request context, the response helpers,
   sessions and CSRF, and the worker pool for slow work. */
#ifndef MEND_WEB_H
#define MEND_WEB_H
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <jansson.h>
#include "app/app.h"
#include "db/accounts.h"
#include "db/db.h"
#include "util/sb.h"
#include "server.h"

#define MAX_BODY (1024 * 1024)
#define SESSION_IDLE (14 * 86400)
#define SESSION_MAX (60 * 86400)
#define INVITE_TTL (7 * 86400)



/* One event loop thread: its h2o context, its own database connection, its buffers. */
typedef struct loop {
  h2o_context_t ctx;
  h2o_accept_ctx_t actx;
  h2o_socket_t *listener;
  int fd, index;
  db_t *db;
  sb_t out, log;
  h2o_multithread_queue_t *queue;
  h2o_multithread_receiver_t jobs_done, control;
  long inflight, jobs_pending, conns;
  int stopping;
  h2o_timeout_t write_timeout; /* large responses not read in time are cut off */
} loop_t;

struct route;
typedef struct rq {
  arena_t mem;              /* first: the request's pool, for getters' texts (freed with it) */
  h2o_req_t *req;
  loop_t *loop;
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
  struct job *job;             /* pending slow work, if any */
  user_t partners[2];          /* the couple, loaded on first use (web_partners) */
  int npartners, partners_loaded;
  app_couple app;              /* web_app: valid when app.db is set */
  uint64_t start_ns;
  char token[TOKEN_CHARS + 1];  /* the session token the client sent (opens the data key) */
  int dk_state;                 /* 0 not opened yet, 1 open in dk, -1 this session has none */
  unsigned char dk[SEAL_KEY];
  int resting;                  /* 0 not asked yet, 1 the past rests, -1 it does not */
  int big;                      /* holds one of the few slots for very large responses */
  h2o_timeout_entry_t write_deadline; /* linked while a large response is being sent */
} rq_t;

/* Responses past LARGE_RESPONSE must be read within --write-timeout; at most
   MAX_BIG_RESPONSES past BIG_RESPONSE are in flight at once (each is held in memory until its
   client has read it), so clients that never read cannot fill the memory. */
#define LARGE_RESPONSE (64 * 1024)
#define BIG_RESPONSE (256 * 1024)
#define MAX_BIG_RESPONSES 8

/* Route flags. */
enum {
  R_AUTH = 1,        /* needs a session (cookie for pages, bearer token for the API) */
  R_CSRF = 2,        /* a form POST: the csrf field must match */
  R_SECRET_PATH = 4, /* the path holds a secret: log the route pattern instead */
  R_OPS = 16,        /* operational (static files, health, metrics): no session, no database */
  R_BODY = 32,       /* reads a body: the API's JSON object is parsed first (400/415) and handed
                        to the handler; a page's form is read field by field (web_text) */
  R_STATIC = 64,     /* a file of ours: may be cached, and its errors are plain text */
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
extern const route_t *routes; /* the joined table (routes_init) */
extern int n_routes;
void routes_init(void);
/* A section of the account page that another feature offers (its calendar, your data): the
   account page shows each in turn (routes.c lists them, as it joins the route tables); err and
   field: a refused form of that section. */
typedef void (*account_section_fn)(rq_t *rq, sb_t *o, const char *err, const char *field);
extern const account_section_fn account_sections[];
/* Whether GET /tool is a page of ours (a step of the program links to it then). */
int web_has_page(const char *tool);

/* http.c: responses. Each sends and returns 0. */
int web_send(rq_t *rq, int status, const char *ctype, const char *body, size_t len);
/* Called when the request is gone: releases what its response held. */
void web_response_done(rq_t *rq);
int web_json(rq_t *rq, int status, sb_t *body);
int web_no_content(rq_t *rq);
/* How a page route's error is drawn (html.c sets it at start-up; see web_error). kept: the
   words of a form too large to save, or NULL. */
typedef int (*web_error_page_fn)(rq_t *rq, int status, const char *message, const char *kept);
void web_set_error_page(web_error_page_fn fn);
/* JSON error for the API, an error page for pages. field may be NULL. */
int web_error(rq_t *rq, int status, const char *code, const char *message, const char *field);
int web_redirect(rq_t *rq, const char *location);
void web_header(rq_t *rq, const char *name, const char *value);
void web_set_cookie(rq_t *rq, const char *name, const char *value, int64_t max_age);
int web_is_tls(rq_t *rq);
/* Two different Content-Lengths, or one beside Transfer-Encoding (HTTP/1): a proxy in front
   could read the body otherwise than we do (request smuggling). */
int web_length_ambiguous(h2o_req_t *req);
void web_security_headers(h2o_req_t *req);
/* errordoc.c: h2o's own errors in mend's shapes (a filter on the host's fallback path). */
void errordoc_register(h2o_hostconf_t *host);
/* The client's address (the proxy's X-Forwarded-For when trusted). */
void web_client_addr(rq_t *rq, char *out, size_t cap);
/* The origin for links: --base-url, else scheme and Host of this request. */
void web_origin(rq_t *rq, sb_t *out);
h2o_iovec_t web_req_header(rq_t *rq, const h2o_token_t *tok);
/* Body helpers. json: parses an object, or answers 400/415 and returns NULL. */
json_t *web_json_body(rq_t *rq);
/* A string member; NULL when absent. Sets *bad when present but not a string. */
const char *jget(json_t *o, const char *key, size_t *len, int *bad);
/* form: checks the content type (415), returns 0 when the body can be read as a form. */
int web_form_ok(rq_t *rq);
long web_form(rq_t *rq, const char *name, char *out, size_t cap);
long web_query(rq_t *rq, const char *name, char *out, size_t cap);
sb_t *web_out(rq_t *rq); /* the loop's response buffer, emptied */
/* A text input from the JSON body (j) or the form: NULL when absent; *bad when present but
   not text. Form values are decoded into the request's pool. */
const char *web_text(rq_t *rq, json_t *j, const char *name, size_t *len, int *bad);
/* A yes/no input: JSON true/false, or a form checkbox (present means yes). */
int web_flag(rq_t *rq, json_t *j, const char *name, int *bad);
/* The i-th {param} of the route as an id, or -1. */
int64_t web_param_id(rq_t *rq, int i);
/* The answer to a failed database call: 409 when a constraint refused the change (two people
   did the same thing at once), else 503; both say that nothing was saved. */
int web_db_error(rq_t *rq);
/* 413 for a body over MAX_BODY: the API's JSON error, or a page that shows the form's words
   again so nothing typed is lost (the dispatcher answers it before anything else reads it). */
int web_too_large(rq_t *rq);
/* Opens the request's write transaction and, for a logged-in partner, locks their couple
   (every decision that reads and then writes happens under it). The dispatcher calls it for
   every write route; a pool job's done callback calls it again for its own writes. 0 on
   success; else answered (503). */
int web_write_begin(rq_t *rq);
/* Commits the request's write transaction now (before a pool job runs). 0 on success. */
int web_write_end(rq_t *rq);
/* Parses the JSON body (or answers 400/413/415) and runs fn with it. */
int web_with_json(rq_t *rq, int (*fn)(rq_t *, json_t *));
/* The couple's partners (loaded once per request); 0 on success. */
int web_partners(rq_t *rq);
/* The caller's couple as the app layer sees it (app/app.h): the partners, the request's
   memory, now. Built once per request; NULL when the partners cannot be read. */
const app_couple *web_app(rq_t *rq);
/* The other partner, or NULL while they have not joined. */
const user_t *web_partner(rq_t *rq);
/* "you" for the caller, else the partner's display name. */
const char *web_who(rq_t *rq, int64_t user_id);
int64_t web_now(void);
uint64_t web_mono_ns(void); /* for durations */
void web_iso_time(int64_t t, char out[32]);

/* seal.c (web): the caller's data key (0 on success; -1: an old session without one). */
int web_data_key(rq_t *rq, const unsigned char **dk);
/* The 409 answer when a private entry cannot be opened in this session. */
int web_locked(rq_t *rq);
/* Seals a private text for row (kind, id) into the request's pool; NULL without a key. */
const unsigned char *web_seal(rq_t *rq, const char *kind, int64_t id, const char *text, size_t n, size_t *out_n);
/* Opens it again (NUL-terminated, in the pool); NULL when it cannot be opened. */
const char *web_unseal(rq_t *rq, const char *kind, int64_t id, const void *blob, size_t n);
void web_forget_key(rq_t *rq);

/* session.c */
void session_load(rq_t *rq);
/* Creates a session for u, holding the data key dk (may be NULL) wrapped under the new token;
   writes the token into token (TOKEN_CHARS+1). */
int session_start(rq_t *rq, const user_t *u, int api, const unsigned char *dk, char *token);
int session_check_csrf(rq_t *rq);
void session_cookie(rq_t *rq, const char *token);

/* pool.c: slow work on the worker threads. fn runs on a worker; done runs back on the
   request's loop, only if the request is still alive. */
typedef struct job {
  h2o_multithread_message_t msg;
  loop_t *loop;
  rq_t *rq;
  void (*fn)(struct job *);
  void (*done)(struct job *, rq_t *rq);
  int result;
  _Atomic int gone;  /* the request was disposed: a worker skips the job */
  int fd, skipped;   /* the client's socket, to see it closed; the job did not run */
  void *data; /* the caller's, freed with the job */
} job_t;
/* Jobs waiting for a worker at most, over the whole server: a log-in never waits behind more
   than this many hashes (each waiting one costs its client about 0.1 s), and the memory of
   the queue stays bounded. */
#define POOL_QUEUE_MAX 16
void pool_start(int workers);
void pool_stop(void);
/* Commits what the request wrote so far and queues fn. 0: queued; 1: answered already (the
   commit failed, or the queue is full: 503 with Retry-After); -1: out of memory (data freed). */
int pool_submit(rq_t *rq, void (*fn)(job_t *), void (*done)(job_t *, rq_t *), void *data);
void pool_on_done(h2o_multithread_receiver_t *r, h2o_linklist_t *messages);

/* metrics.c */
void metrics_record(const route_t *route, int status, uint64_t dur_ns);
void metrics_render(sb_t *out);
void metrics_conn(int delta);

/* html.c: the layout every page shares. html_init installs its error pages. */
void html_init(void);
void page_open(rq_t *rq, sb_t *o, const char *title);
void page_close(rq_t *rq, sb_t *o);
int page_send(rq_t *rq, int status, sb_t *o);
/* A form's hidden CSRF field. */
void form_csrf(rq_t *rq, sb_t *o);
/* A labelled input with its error message (err may be NULL). */
void form_field(sb_t *o, const char *name, const char *label, const char *type, const char *value,
                const char *autocomplete, const char *hint, const char *err);
void page_time(sb_t *o, int64_t t);
void form_textarea(sb_t *o, const char *name, const char *label, const char *value, const char *hint,
                   const char *err, int rows, int required);
void form_select(sb_t *o, const char *name, const char *label, const char *const *values, const char *const *names,
                 const char *selected, const char *err);
void form_checkbox(sb_t *o, const char *name, const char *label, int checked);
void page_error_notice(sb_t *o, const char *msg);
void page_text(sb_t *o, const char *s);

/* The user's local day now (their time zone). */
int64_t web_today(const user_t *u);
/* Whether both partners let the past rest (asked once per request). */
int web_resting(rq_t *rq);

/* routes.c: matches and runs a request. */
int routes_dispatch(h2o_handler_t *self, h2o_req_t *req);


#endif
