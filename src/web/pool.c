/* pool.c: a few worker threads for slow work (argon2id password hashing), so one login
   never stalls the other requests of its event loop. A job goes in with pool_submit; its
   result comes back to the request's loop through h2o's multithread queue. When the client
   went away meanwhile, the request is gone (rq_dispose cleared job->rq) and the result is
   dropped. */
#include "web.h"
#include "loop.h"
#include "pool.h"
#include "util/i18n.h"
#include <sodium.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER, finished_cv = PTHREAD_COND_INITIALIZER;
static h2o_linklist_t queue = {&queue, &queue};
static int stopping;
static pthread_t threads[16];
static int nthreads;
static int queued; /* under mu */

int pool_client_gone(int fd) {
  if (fd < 0) return 0;
  struct pollfd p = {fd, POLLRDHUP, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static void *worker_main(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&mu);
    while (h2o_linklist_is_empty(&queue) && !stopping) pthread_cond_wait(&cv, &mu);
    if (h2o_linklist_is_empty(&queue)) { pthread_mutex_unlock(&mu); return NULL; }
    job_t *job = H2O_STRUCT_FROM_MEMBER(job_t, msg.link, queue.next);
    h2o_linklist_unlink(&job->msg.link);
    queued--;
    pthread_mutex_unlock(&mu);
    /* nobody waits for a job whose client has gone: it costs no hash. h2o does not read a
       connection while its request is handled, so the socket itself is asked; if the
       descriptor was reused, its request was disposed first, and skipping is right too. */
    job->skipped = atomic_load(&job->gone) || (job->client_gone && atomic_load(job->client_gone)) || pool_client_gone(job->fd);
    if (!job->skipped) job->fn(job);
    if (job->waited) {
      pthread_mutex_lock(&mu);
      job->finished = 1;
      pthread_cond_broadcast(&finished_cv);
      pthread_mutex_unlock(&mu);
    } else h2o_multithread_send_message(&job->loop->jobs_done, &job->msg);
  }
}

void pool_start(int workers) {
  if (workers < 1) workers = 1;
  if (workers > 16) workers = 16;
  for (nthreads = 0; nthreads < workers; nthreads++) pthread_create(&threads[nthreads], NULL, worker_main, NULL);
}

void pool_stop(void) {
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < nthreads; i++) pthread_join(threads[i], NULL);
  nthreads = 0;
}

/* Runs the job's done for its request (when there still is one) and frees it. */
static void finish(job_t *job, rq_t *rq) {
  if (rq) {
    i18n_use(rq->lang); /* the answer is made here, on the loop: in the request's language */
    if (job->skipped) web_error(rq, 503, "gone", "The request was given up before it was handled; nothing was saved.", NULL);
    else job->done(job, rq);
  }
  /* a job's data may hold a password or a data key, also when its request is gone */
  sodium_memzero(job->data, job->size);
  free(job); /* the block: the job is its first member */
}

/* A job and its caller's data, in one block: the data follows the job, aligned. */
typedef struct { job_t job; max_align_t data[]; } job_block;

int pool_submit(rq_t *rq, void (*fn)(job_t *), void (*done)(job_t *, rq_t *), void *data, size_t size) {
  /* what the request wrote before the slow work (a reserved log-in attempt) is kept now;
     the done callback writes in a transaction of its own */
  int busy = web_write_end(rq) != 0, full = 0;
  if (!busy) {
    pthread_mutex_lock(&mu);
    full = queued >= POOL_QUEUE_MAX;
    if (!full) queued++;
    pthread_mutex_unlock(&mu);
  }
  if (busy || full) {
    sodium_memzero(data, size);
    if (full) web_header(rq, "retry-after", "2");
    web_error(rq, 503, "busy", full ? N_("Many people are logging in right now. Nothing was saved; please try again in a moment.")
                                    : N_("The database is busy. Nothing was saved; please try again."), NULL);
    return 1;
  }
  job_block *b = calloc(1, sizeof *b + size);
  if (!b) { fputs("mend: out of memory\n", stderr); abort(); }
  memcpy(b->data, data, size);
  sodium_memzero(data, size);
  job_t *job = &b->job;
  job->size = size;
  job->loop = rq->loop;
  job->rq = rq;
  job->fn = fn;
  job->done = done;
  job->data = b->data;
  if (rq->a.on_worker) {
    /* a database worker may wait (it is no event loop): the hash still takes its turn among
       the few hashing threads, which bound the memory of hashes at once */
    job->waited = 1;
    job->fd = rq->a.fd;
    job->client_gone = &rq->a.gone;
    pthread_mutex_lock(&mu);
    h2o_linklist_insert(&queue, &job->msg.link);
    pthread_cond_signal(&cv);
    while (!job->finished) pthread_cond_wait(&finished_cv, &mu);
    pthread_mutex_unlock(&mu);
    finish(job, rq);
    return 0;
  }
  h2o_socket_t *sock = rq->req->conn->callbacks->get_socket ? rq->req->conn->callbacks->get_socket(rq->req->conn) : NULL;
  job->fd = sock ? h2o_socket_get_fd(sock) : -1;
  rq->job = job;
  rq->loop->jobs_pending++;
  pthread_mutex_lock(&mu);
  h2o_linklist_insert(&queue, &job->msg.link);
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return 0;
}

void pool_on_done(h2o_multithread_receiver_t *r, h2o_linklist_t *messages) {
  loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, jobs_done, r);
  while (!h2o_linklist_is_empty(messages)) {
    job_t *job = H2O_STRUCT_FROM_MEMBER(job_t, msg.link, messages->next);
    h2o_linklist_unlink(&job->msg.link);
    loop->jobs_pending--;
    rq_t *rq = job->rq;
    if (rq) rq->job = NULL;
    finish(job, rq);
  }
}
