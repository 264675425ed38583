/* loop.h: the server's own machinery: an event loop thread, the joined route table, the
   dispatcher, the answers' bookkeeping, metrics and h2o's error documents. */
#ifndef MEND_WEB_LOOP_H
#define MEND_WEB_LOOP_H
#include "web.h"
#include "core/days.h"

/* One event loop thread: its h2o context, its own database connection, its buffers. */
typedef struct loop {
  h2o_context_t ctx;
  h2o_accept_ctx_t actx;
  h2o_socket_t *listener;
  int fd, index;
  db_t *db;
  sb_t out, log;
  h2o_multithread_queue_t *queue;
  h2o_multithread_receiver_t jobs_done, control, db_done;
  long inflight, jobs_pending, conns;
  int stopping, detached; /* detached: under dbwork's lock (dbwork_detach) */
  h2o_timeout_t write_timeout; /* large responses not read in time are cut off */
} loop_t;


/* Responses past LARGE_RESPONSE must be read within --write-timeout; at most
   MAX_BIG_RESPONSES past BIG_RESPONSE are in flight at once (each is held in memory until its
   client has read it), so clients that never read cannot fill the memory. */
#define LARGE_RESPONSE (64 * 1024)
#define BIG_RESPONSE (256 * 1024)
#define MAX_BIG_RESPONSES 8

extern const route_t *routes; /* the joined table (routes_init) */
extern int n_routes;
void routes_init(void);
/* routes.c: matches and runs a request. */
int routes_dispatch(h2o_handler_t *self, h2o_req_t *req);
/* Runs a matched request's database part (session, checks, handler, COMMIT), again when
   PostgreSQL refused it for a serialization failure or a deadlock (DB_ATTEMPTS runs at most). */
int routes_run(rq_t *rq);
#define DB_ATTEMPTS 4
/* http.c: hands the answer web_send built to h2o, on the request's loop. */
void web_emit(rq_t *rq);

/* Called when the request is gone: releases what its response held. */
void web_response_done(rq_t *rq);

/* Two different Content-Lengths, or one beside Transfer-Encoding (HTTP/1): a proxy in front
   could read the body otherwise than we do (request smuggling). */
int web_length_ambiguous(h2o_req_t *req);
void web_security_headers(h2o_req_t *req);
/* errordoc.c: h2o's own errors in mend's shapes (a filter on the host's fallback path). */
void errordoc_register(h2o_hostconf_t *host);
/* 413 for a body over MAX_BODY: the API's JSON error, or a page that shows the form's words
   again so nothing typed is lost (the dispatcher answers it before anything else reads it). */
int web_too_large(rq_t *rq);
/* How a page route's error is drawn (html.c sets it at start-up; see web_error). kept: the
   words of a form too large to save, or NULL. */
typedef int (*web_error_page_fn)(rq_t *rq, int status, const char *message, const char *kept);
void web_set_error_page(web_error_page_fn fn);

/* metrics.c */
void metrics_record(const route_t *route, int status, uint64_t dur_ns);
void metrics_render(sb_t *out);
void metrics_conn(int delta);

/* session.c: the session the request carries, loaded by the dispatcher. */
#define SESSION_IDLE (14 * SECONDS_PER_DAY)
#define SESSION_MAX (60 * SECONDS_PER_DAY)
void session_load(rq_t *rq);
int session_check_csrf(rq_t *rq);

#endif
