/* lists.c (web): the API's one way of answering a list, and one item of it. A list answers
   {"NAME":[...],"has_more":bool}, `limit` items at most (default 50, at most 100), after the
   item whose id is `starting_after`; the same handler answers /NAME/{id} with that one item.
   Items are taken in the list's own order as its rows go by, so a list needs no query of its
   own per page. */
#include "lists.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX 100

/* Whether the query names this parameter at all (a value too long or badly escaped is still
   there, and refused, not taken for absent). */
static int has_param(rq_t *rq, const char *name) {
  h2o_req_t *req = rq->req;
  if (req->query_at == SIZE_MAX) return 0;
  const char *q = req->path.base + req->query_at + 1, *end = req->path.base + req->path.len;
  size_t k = strlen(name);
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    if (!amp) amp = end;
    if ((size_t)(amp - q) >= k && !memcmp(q, name, k) && (q + k == amp || q[k] == '=')) return 1;
    q = amp + 1;
  }
  return 0;
}

int web_list_open(rq_t *rq, web_list *l, sb_t *o, const char *name) {
  memset(l, 0, sizeof *l);
  l->rq = rq;
  l->o = o;
  l->limit = LIST_DEFAULT;
  if (rq->params[0].len && rq->route && rq->route->pattern[strlen(rq->route->pattern) - 1] == '}') {
    /* /NAME/{id}: one item */
    l->single = 1;
    snprintf(l->only, sizeof l->only, "%.*s", (int)rq->params[0].len, rq->params[0].base);
    return 0;
  }
  char v[48];
  long n = web_query(rq, "limit", v, sizeof v);
  if (n >= 0 || has_param(rq, "limit")) {
    char *end;
    long long x = n > 0 && n < 4 ? strtoll(v, &end, 10) : 0;
    if (n <= 0 || n >= 4 || *end || x < 1 || x > LIST_MAX) {
      web_error(rq, 422, "invalid", "Ask for 1 to 100 items (limit).", "limit");
      return -1;
    }
    l->limit = (int)x;
  }
  n = web_query(rq, "starting_after", l->after, sizeof l->after);
  if (n == 0 || (n < 0 && has_param(rq, "starting_after"))) {
    web_error(rq, 422, "invalid", "starting_after is the id of the last item you have.", "starting_after");
    return -1;
  }
  l->has_after = n > 0;
  l->emitting = !l->has_after;
  sb_json(o, "{%q:[", name);
  return 0;
}

void web_list_one(rq_t *rq, web_list *l, sb_t *o, int64_t id) {
  memset(l, 0, sizeof *l);
  l->rq = rq;
  l->o = o;
  l->single = 1;
  snprintf(l->only, sizeof l->only, "%lld", (long long)id);
}

const char *web_list_take(web_list *l, const char *key) {
  if (l->single) {
    if (l->found || strcmp(key, l->only)) return NULL;
    l->found = 1;
    return "";
  }
  if (!l->emitting) {
    if (!strcmp(key, l->after)) l->emitting = 1;
    return NULL;
  }
  if (l->n >= l->limit) {
    l->more = 1;
    return NULL;
  }
  return l->n++ ? "," : "";
}

const char *web_list_take_id(web_list *l, int64_t id) {
  if (!l->single && l->emitting) return web_list_take(l, ""); /* the key matters no more */
  char k[24];
  snprintf(k, sizeof k, "%lld", (long long)id);
  return web_list_take(l, k);
}

int64_t web_list_key_id(const web_list *l) {
  const char *k = l->single ? l->only : l->after;
  char *end;
  long long id = strtoll(k, &end, 10);
  return *k && !*end && id > 0 ? (int64_t)id : 0;
}

int web_list_close(web_list *l) {
  if (l->single) {
    if (l->found) return 0;
    web_error(l->rq, 404, "not_found", "There is no such thing here.", NULL);
    return -1;
  }
  if (l->has_after && !l->emitting) {
    web_error(l->rq, 422, "invalid", "No item of this list has that id (starting_after).", "starting_after");
    return -1;
  }
  sb_json(l->o, "],\"has_more\":%r", l->more ? "true" : "false");
  return 0;
}

int web_list_send(web_list *l) {
  if (web_list_close(l)) return 0;
  if (!l->single) sb_putc(l->o, '}');
  return web_json(l->rq, 200, l->o);
}

int web_created(rq_t *rq, sb_t *o, const char *where, int64_t id) {
  char loc[160];
  if (id >= 0) snprintf(loc, sizeof loc, "%s/%lld", where, (long long)id);
  web_header(rq, "location", id >= 0 ? loc : where);
  return web_json(rq, 201, o);
}

int web_list_paged(rq_t *rq, const web_paged *p, db_each cb, web_list **slot, void *ctx) {
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, p->name)) return 0;
  *slot = &l;
  if (l.single) {
    if (p->all(rq, 1000, cb, ctx) != DB_OK) return web_db_error(rq);
    return web_list_send(&l);
  }
  /* paged in the database: newest first, before the cursor's own (time, id) */
  int64_t at = INT64_MAX, id = INT64_MAX;
  if (l.has_after) {
    int64_t after = web_list_key_id(&l);
    int rc = after ? p->at(rq, after, &at) : DB_DONE;
    if (rc == DB_DONE) {
      char msg[96];
      snprintf(msg, sizeof msg, "No %s you can see has that id (starting_after).", p->what);
      return web_error(rq, 422, "invalid", msg, "starting_after");
    }
    if (rc != DB_ROW) return web_db_error(rq);
    id = after;
    l.emitting = 1;
  }
  if (p->page(rq, at, id, l.limit + 1, cb, ctx) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}
