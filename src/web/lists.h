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
/* 201 with o and Location: where/id (id < 0: where itself). */
int web_created(rq_t *rq, sb_t *o, const char *where, int64_t id);

#endif
