/* answer.h: a request's answer as the server's machinery keeps it (http.c, dbwork.c, pool.c):
   where it is built, what was built, and what a database worker needs to build it away
   from the event loop. Handlers never read it. */
#ifndef MEND_WEB_ANSWER_H
#define MEND_WEB_ANSWER_H
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include "util/sb.h"

typedef struct rq_answer {
  /* The h2o request to answer. On the loop it is rq->req itself; for a database worker rq->req
     is a copy (dbwork.c) and this one is NULL once the client has gone (h2o freed it). */
  h2o_req_t *http;
  sb_t *out;                   /* the response buffer of the thread running the handler */
  int status, built;           /* built: web_send made the answer (status, body, headers) */
  const char *body;
  size_t len;
  int retry, attempts;         /* a serialization failure or deadlock: the handler runs again */
  int archived, restable;      /* the dispatcher's: an address of the archive, or of a tool
                                  that can rest (routes.c) */
  int on_worker, sent, skipped; /* handled by a database worker; given to h2o; not run (the
                                  client had gone) */
  _Atomic int gone;            /* the client went while a worker had the request */
  struct rq_answer **marker;   /* in the h2o request's pool: tells this answer it is gone */
  struct sockaddr_storage peer; /* the client's address, read on the loop for a worker */
  socklen_t peer_len;
  int fd;                      /* the client's socket, to see it closed (pool.c) */
  h2o_multithread_message_t msg; /* queued for a worker, then back to the loop */
  int big;                     /* holds one of the few slots for very large responses */
  int64_t write_couple;        /* the couple whose row the write locked: its version moves */
  h2o_timeout_entry_t write_deadline; /* linked while a large response is being sent */
} rq_answer;

#endif
