/* pool.h: slow work (password hashing) on worker threads, away from the event loops. */
#ifndef MEND_WEB_POOL_H
#define MEND_WEB_POOL_H
#include "web.h"

/* pool.c: slow work on the worker threads. fn runs on a worker; done runs back on the
   request's loop, only if the request is still alive. */
typedef struct job {
  h2o_multithread_message_t msg;
  struct loop *loop;
  rq_t *rq;
  void (*fn)(struct job *);
  void (*done)(struct job *, rq_t *rq);
  int result;
  _Atomic int gone;  /* the request was disposed: a worker skips the job */
  int fd, skipped;   /* the client's socket, to see it closed; the job did not run */
  void *data;  /* a copy of the caller's, wiped and freed with the job */
  size_t size;
  /* Submitted by a database worker (dbwork.c), which waits for it and runs done itself. */
  int waited, finished;
  _Atomic int *client_gone;
} job_t;
/* Jobs waiting for a worker at most, over the whole server: a log-in never waits behind more
   than this many hashes (each waiting one costs its client about 0.1 s), and the memory of
   the queue stays bounded. */
#define POOL_QUEUE_MAX 16
void pool_start(int workers);
void pool_stop(void);
/* Commits what the request wrote so far and queues fn with a copy of data (size bytes; the
   caller's own is wiped, as it may hold a password). 0: queued (on a database worker: done
   already, the worker waited for it); 1: answered already (the commit failed, or the queue is
   full: 503 with Retry-After). */
int pool_submit(rq_t *rq, void (*fn)(job_t *), void (*done)(job_t *, rq_t *), void *data, size_t size);
/* Whether the client of this socket has closed it (h2o does not read an HTTP/1 connection
   while its request is handled, so the socket itself is asked). */
int pool_client_gone(int fd);
void pool_on_done(h2o_multithread_receiver_t *r, h2o_linklist_t *messages);

#endif
