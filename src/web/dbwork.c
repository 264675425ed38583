/* dbwork.c: on PostgreSQL, the database part of a request (its session, the handler, the
   COMMIT) runs on one of a few worker threads, each with its own connection. A slow query, a
   lock wait or a reconnect then holds only the requests waiting on it: the event loops go on
   serving static files, /healthz and everyone else. A worker works on a copy of the request
   (h2o frees the original when the client goes, which may happen meanwhile), builds the
   answer in the copy, and hands it back to the request's loop, which sends it. SQLite stays
   on the loops: its calls never wait on a network and are faster there. */
#include "web.h"
#include "loop.h"
#include "dbwork.h"
#include "pool.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  pthread_t tid;
  db_t *db;
  sb_t out;
} worker_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static h2o_linklist_t queue = {&queue, &queue};
static int stopping, nworkers;
static long queued, queued_bytes; /* under mu */
static worker_t *workers;

/* What may wait for a worker at most: past it, the answer is 503 at once rather than a wait
   nobody can see the end of (a database that stalls must not fill the memory). */
#define QUEUE_MAX 1024
#define QUEUE_BYTES (32L * 1024 * 1024)

int dbwork_on(void) { return nworkers > 0; }

static void *worker_main(void *arg) {
  worker_t *w = arg;
  for (;;) {
    pthread_mutex_lock(&mu);
    while (h2o_linklist_is_empty(&queue) && !stopping) pthread_cond_wait(&cv, &mu);
    if (h2o_linklist_is_empty(&queue)) { pthread_mutex_unlock(&mu); return NULL; }
    rq_t *rq = H2O_STRUCT_FROM_MEMBER(rq_t, a.msg.link, queue.next);
    h2o_linklist_unlink(&rq->a.msg.link);
    queued--;
    queued_bytes -= (long)rq->req->entity.len;
    pthread_mutex_unlock(&mu);
    /* nobody waits for a request whose client has gone: it is not run (nothing was said) */
    if (!atomic_load(&rq->a.gone) && !pool_client_gone(rq->a.fd)) {
      rq->db = w->db;
      rq->a.out = &w->out;
      routes_run(rq);
    } else rq->a.skipped = 1;
    /* a loop that stopped waiting (its stop deadline passed) has no queue any more: the answer
       is dropped, as the process ends */
    pthread_mutex_lock(&mu);
    if (!rq->loop->detached) h2o_multithread_send_message(&rq->loop->db_done, &rq->a.msg);
    pthread_mutex_unlock(&mu);
  }
}

void dbwork_start(db_t **dbs, int n) {
  workers = calloc((size_t)n, sizeof *workers);
  if (!workers) { fputs("mend: out of memory\n", stderr); abort(); }
  for (nworkers = 0; nworkers < n; nworkers++) {
    worker_t *w = &workers[nworkers];
    w->db = dbs[nworkers];
    sb_init(&w->out, 16384);
    pthread_create(&w->tid, NULL, worker_main, w);
  }
}

void dbwork_detach(struct loop *loop) {
  pthread_mutex_lock(&mu);
  loop->detached = 1;
  pthread_mutex_unlock(&mu);
}

void dbwork_stop(void) {
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < nworkers; i++) {
    pthread_join(workers[i].tid, NULL);
    db_close(workers[i].db);
    sb_free(&workers[i].out);
  }
  free(workers);
  workers = NULL;
  nworkers = 0;
}

static h2o_iovec_t copy_iov(h2o_mem_pool_t *p, h2o_iovec_t v) {
  return v.base ? h2o_strdup(p, v.base, v.len) : v;
}

/* A copy of what handlers read of the request, in memory of the request's own. */
static h2o_req_t *copy_request(rq_t *rq) {
  h2o_req_t *src = rq->req, *c = calloc(1, sizeof *c);
  if (!c) { fputs("mend: out of memory\n", stderr); abort(); }
  h2o_mem_init_pool(&c->pool);
  h2o_mem_pool_t *p = &c->pool;
  c->method = copy_iov(p, src->method);
  c->path = copy_iov(p, src->path);
  c->path_normalized = copy_iov(p, src->path_normalized);
  c->query_at = src->query_at;
  c->authority = copy_iov(p, src->authority);
  c->scheme = src->scheme;
  c->version = src->version;
  c->entity = copy_iov(p, src->entity);
  if (src->headers.size) {
    h2o_vector_reserve(p, &c->headers, src->headers.size);
    for (size_t i = 0; i < src->headers.size; i++) {
      const h2o_header_t *s = &src->headers.entries[i];
      h2o_header_t *d = &c->headers.entries[i];
      d->name = s->name;
      if (!h2o_iovec_is_token(s->name)) {
        d->name = h2o_mem_alloc_pool(p, sizeof *d->name);
        *d->name = copy_iov(p, *s->name);
      }
      d->orig_name = s->orig_name ? h2o_strdup(p, s->orig_name, s->name->len).base : NULL;
      d->value = copy_iov(p, s->value);
    }
    c->headers.size = src->headers.size;
  }
  for (int i = 0; i < 3; i++) rq->params[i] = copy_iov(p, rq->params[i]);
  return c;
}

/* The h2o request is being freed (its client went, or its answer was sent): the answer's
   marker tells the worker's side, which may still hold the rq. */
static void request_gone(void *m) {
  rq_answer **marker = m;
  if (!*marker) return;
  rq_answer *a = *marker;
  a->http = NULL;
  a->marker = NULL; /* freed with its pool now */
  atomic_store(&a->gone, 1);
}

int dbwork_submit(rq_t *rq) {
  size_t body = rq->req->entity.len;
  pthread_mutex_lock(&mu);
  int full = queued >= QUEUE_MAX || queued_bytes + (long)body > QUEUE_BYTES;
  if (!full) { queued++; queued_bytes += (long)body; }
  pthread_mutex_unlock(&mu);
  if (full) {
    web_header(rq, "retry-after", "2");
    return web_error(rq, 503, "busy", "mend is very busy right now. Nothing was saved; please try again in a moment.", NULL);
  }
  h2o_req_t *http = rq->req;
  h2o_socket_t *sock = http->conn->callbacks->get_socket ? http->conn->callbacks->get_socket(http->conn) : NULL;
  rq->a.fd = sock ? h2o_socket_get_fd(sock) : -1;
  rq->a.peer_len = http->conn->callbacks->get_peername(http->conn, (struct sockaddr *)&rq->a.peer);
  rq->req = copy_request(rq);
  rq->a.http = http;
  rq->a.on_worker = 1;
  rq->a.marker = h2o_mem_alloc_shared(&http->pool, sizeof *rq->a.marker, request_gone);
  *rq->a.marker = &rq->a;
  h2o_mem_addref_shared(rq); /* the worker's hold: released when the answer is back */
  rq->loop->jobs_pending++;
  pthread_mutex_lock(&mu);
  h2o_linklist_insert(&queue, &rq->a.msg.link);
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return 0;
}

void dbwork_on_done(h2o_multithread_receiver_t *r, h2o_linklist_t *messages) {
  loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, db_done, r);
  while (!h2o_linklist_is_empty(messages)) {
    rq_t *rq = H2O_STRUCT_FROM_MEMBER(rq_t, a.msg.link, messages->next);
    h2o_linklist_unlink(&rq->a.msg.link);
    loop->jobs_pending--;
    if (rq->a.http) {
      if (rq->a.built) web_emit(rq);
      else if (rq->a.skipped) h2o_send_error_503(rq->a.http, "Service Unavailable", "given up before it was handled\n", 0);
      else h2o_send_error_404(rq->a.http, "Not Found", "not found", 0); /* as h2o's fallback */
    }
    /* from now on the marker's h2o request (when alive) holds the rq until it is freed */
    h2o_mem_release_shared(rq);
  }
}

/* Frees the copy (from rq_dispose, on the loop). */
void dbwork_forget(rq_t *rq) {
  if (!rq->a.on_worker) return;
  if (rq->a.marker) *rq->a.marker = NULL;
  h2o_mem_clear_pool(&rq->req->pool);
  free(rq->req);
  rq->req = NULL;
}
