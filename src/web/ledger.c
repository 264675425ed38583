/* ledger.c (web): the couple's ledger in plain words, and with its hashes for the API. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "db/ledger.h"
#include <stdlib.h>

typedef struct { rq_t *rq; sb_t *o; int n; web_list *l; } lctx;

static void hex(sb_t *o, const unsigned char *h) {
  static const char d[] = "0123456789abcdef";
  for (int i = 0; i < LEDGER_HASH; i++) { sb_putc(o, d[h[i] >> 4]); sb_putc(o, d[h[i] & 15]); }
}

static void row_json(void *p, const void *row) {
  const ledger_row *r = row;
  lctx *c = p;
  char at[ISO_TIME_CHARS];
  iso_time(r->at, at);
  const char *sep = web_list_take_id(c->l, r->seq);
  if (!sep) return;
  sb_json(c->o, "%r{\"seq\":%D,\"at\":%q,\"by\":%D,\"kind\":%q,\"subject\":%D,\"summary\":%q,\"prev_hash\":\"",
          sep, r->seq, at, r->actor_id, r->kind, r->subject_id, r->summary);
  hex(c->o, r->prev);
  sb_puts(c->o, "\",\"hash\":\"");
  hex(c->o, r->hash);
  sb_puts(c->o, "\"}");
}

static void row_html(void *p, const void *row) {
  const ledger_row *r = row;
  lctx *c = p;
  c->n++;
  sb_markup(c->o, "<li><span class=\"meta\">");
  page_time(c->o, r->at);
  sb_markup(c->o, "</span> %s</li>\n", r->summary);
}

static int h_ledger_page(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Ledger</h1>\n<p class=\"lead\">Every signature, revision, retirement, promise, report and confirmation, "
             "in the order it happened. Each entry is sealed together with the one before it, so nobody can quietly "
             "rewrite what was agreed or kept, and whoever runs this server can check the seals at any time.</p>\n<ol class=\"ledger\">\n");
  lctx c = {rq, o, 0, NULL};
  if (ledger_list(rq->db, rq->s.user.couple_id, row_html, &c) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ol>\n");
  if (!c.n) sb_text(o, "<p class=\"muted\">Nothing yet: agreements and promises will appear here.</p>\n");
  return page_end(rq, o, 200);
}

static int h_api_ledger(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "entries")) return 0;
  /* paged in the database: the cursor is a seq, and the entries after it */
  int64_t after = 0;
  if (l.has_after) {
    char *end;
    after = strtoll(l.after, &end, 10);
    if (*end || after < 0) return web_error(rq, 422, "invalid", "starting_after is the seq of the last entry you have.", "starting_after");
    l.emitting = 1;
  }
  lctx c = {rq, o, 0, &l};
  if (ledger_page(rq->db, rq->s.user.couple_id, after, l.limit + 1, row_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t ledger_routes[] = {
  {"GET", "/ledger", h_ledger_page, R_AUTH, "ledger"},
  {"GET", "/api/v1/ledger", h_api_ledger, R_AUTH | R_LIST, "api_ledger"},
  {NULL, NULL, NULL, 0, NULL},
};
