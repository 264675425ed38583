/* lists.h: the API's lists, one way for all (lists.c), and 201 with its Location. */
#ifndef MEND_LISTS_H
#define MEND_LISTS_H
#include "web.h"

/* lists.c: every API list the same way. Open it (0, or answered 422 for a bad limit or
   cursor), take each row in order by its key (NULL: leave it out; else the separator to
   write before it), then send (or close, to add fields of the list's own before '}'). On
   /NAME/{id} the same calls answer that one item, or 404. */
typedef struct {
  rq_t *rq;
  sb_t *o;
  char after[40], only[40];
  int limit, n, has_after, emitting, more, single, found;
} web_list;
int web_list_open(rq_t *rq, web_list *l, sb_t *o, const char *name);
/* The same list answering the one item with this id (an action's answer: the thing as it now is). */
void web_list_one(rq_t *rq, web_list *l, sb_t *o, int64_t id);
const char *web_list_take(web_list *l, const char *key);
const char *web_list_take_id(web_list *l, int64_t id);
int web_list_close(web_list *l); /* 0, or answered (404, 422) */
/* The id the list is asked about (the one item, or the cursor), or 0 when it is not an id:
   for lists that page in the database and look the cursor's item up. */
int64_t web_list_key_id(const web_list *l);
int web_list_send(web_list *l);
/* A list paged in the database, newest first by (time, id), and its /NAME/{id}: the one item
   from all(), or a page of page() before the cursor's own (time, id), which at() looks up
   (DB_ROW, DB_DONE when the viewer cannot see it, or an error). what: "feeling", for the 422. */
typedef struct {
  const char *name, *what;
  int (*all)(rq_t *rq, int limit, db_each cb, void *ctx);
  int (*page)(rq_t *rq, int64_t before_at, int64_t before_id, int limit, db_each cb, void *ctx);
  int (*at)(rq_t *rq, int64_t id, int64_t *created_at);
} web_paged;
/* Answers the list: cb writes each row of ctx, taking it from the list (web_list_take_id)
   that the helper opens and puts in *slot (ctx's own pointer to it). */
int web_list_paged(rq_t *rq, const web_paged *p, db_each cb, web_list **slot, void *ctx);

/* 201 with o and Location: where/id (id < 0: where itself). */
int web_created(rq_t *rq, sb_t *o, const char *where, int64_t id);

#endif
