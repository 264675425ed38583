/* dbwork.h: the database part of requests on worker threads (PostgreSQL), away from the
   event loops. */
#ifndef MEND_WEB_DBWORK_H
#define MEND_WEB_DBWORK_H
#include "web.h"

/* Starts one worker per connection in dbs (it owns them from now on). */
void dbwork_start(db_t **dbs, int n);
/* Lets the queued requests finish, stops the workers and closes their connections. */
void dbwork_stop(void);
int dbwork_on(void); /* whether workers run the database part (else the loops do) */
/* On the request's loop: hands the request to a worker, which runs routes_run on a copy of
   it; the answer comes back through the loop's db_done receiver. Answers 503 at once when
   too much is waiting already. Returns 0. */
int dbwork_submit(rq_t *rq);
/* The loop is about to drop its queue: answers still coming back to it are dropped. */
void dbwork_detach(struct loop *loop);
/* Frees the worker's copy of the request (rq_dispose). */
void dbwork_forget(rq_t *rq);
void dbwork_on_done(h2o_multithread_receiver_t *r, h2o_linklist_t *messages);

#endif
