/* ledger.c (web): the couple's ledger in plain words, and with its hashes for the API. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "db/ledger.h"
#include "core/days.h"
#include "core/validate.h"
#include <stdlib.h>
#include <string.h>

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

/* The ledger seals its words in English, as they were written (db/agreements.c, db/promises.c,
   web/letters.c, web/counsellor_access.c), and a seal must not change with who reads it. A reader of another language
   reads each entry in theirs: the summary is matched against the English sentences its kind is
   written with, and the same names, titles and days are said again through the catalogue. A
   summary that matches none (an older wording) shows as it was sealed. Each %s is a piece of
   the sealed text; `day` marks the one that is a date (YYYY-MM-DD), said in the reader's words.
   Where one sentence begins another (a pause with a reason), the longer comes first. */
typedef struct { const char *kind, *en; int day; } ledger_words;

static const ledger_words sentences[] = {
  {"agreement_proposed", N_("%s proposed the agreement \"%s\" and signed it."), 0},
  {"agreement_revised", N_("%s proposed version %s of \"%s\" and signed it."), 0},
  {"agreement_signed", N_("%s signed \"%s\" (version %s); it is now in force."), 0},
  {"agreement_retired", N_("%s agreed to retire \"%s\"; it is retired."), 0},
  {"agreement_retire_asked", N_("%s asked to retire \"%s\"."), 0},
  {"agreement_declined", N_("%s declined \"%s\" (version %s)."), 0},
  {"agreement_retire_withdrawn", N_("%s no longer asks to retire \"%s\"."), 0},
  {"agreement_review_chosen", N_("%s made their choice at the review of \"%s\"."), 0},
  {"agreement_reviewed", N_("At its review, both ended \"%s\"; it is retired."), 0},
  {"agreement_reviewed", N_("At its review, \"%s\" stays in force (one of you would end it: talk it through)."), 0},
  {"agreement_reviewed", N_("At its review, \"%s\" stays in force."), 0},
  {"promise_made", N_("%s promised \"%s\", due %s."), 3},
  {"promise_made", N_("%s promised \"%s\", every day."), 0},
  {"promise_made", N_("%s promised \"%s\", every week."), 0},
  {"promise_paused", N_("%s paused \"%s\" (\"%s\")."), 0},
  {"promise_paused", N_("%s paused \"%s\"."), 0},
  {"promise_ended", N_("%s ended \"%s\" (\"%s\")."), 0},
  {"promise_ended", N_("%s ended \"%s\"."), 0},
  {"promise_resumed", N_("%s resumed \"%s\"."), 0},
  {"promise_changed", N_("%s changed \"%s\" to \"%s\", due %s."), 4},
  {"promise_changed", N_("%s changed \"%s\" to \"%s\", every day."), 0},
  {"promise_changed", N_("%s changed \"%s\" to \"%s\", every week."), 0},
  {"promise_reported", N_("%s reported \"%s\" as kept on %s."), 3},
  {"promise_reported", N_("%s reported \"%s\" as missed on %s."), 3},
  {"report_confirmed", N_("%s confirmed the report of \"%s\" for %s."), 3},
  {"report_disputed", N_("%s disputed the report of \"%s\" for %s."), 3},
  {"letter_given", N_("A disclosure was given."), 0},
  {"letter_given", N_("An impact letter was given."), 0},
  {"letter_given", N_("A restitution letter was given."), 0},
  {"letter_given", N_("A letter was given."), 0},
  {"counsellor_asked", N_("%s asked to let the counsellor %s see the report."), 0},
  {"counsellor_agreed", N_("%s agreed: the counsellor %s can see the report."), 0},
  {"counsellor_ended", N_("%s ended the access of the counsellor %s."), 0},
  {"counsellor_declined", N_("%s did not let the counsellor %s in."), 0},
  /* said with its plural form below: only matched here */
  {"letters_destroyed", "%s letter destroyed, as both asked.", 0},
  {"letters_destroyed", "%s letters destroyed, as both asked.", 0},
};

#define LEDGER_PIECES 4

/* Whether text matches pat, where each %s takes a non-empty piece (the shortest that lets the
   rest match): the pieces' starts and lengths in at[] and len[]. */
static int matches(const char *pat, const char *text, const char **at, size_t *len, int k) {
  for (;;) {
    if (pat[0] == '%' && pat[1] == 's') {
      if (k == LEDGER_PIECES) return 0;
      for (size_t n = 1; text[n - 1]; n++)
        if (matches(pat + 2, text + n, at, len, k + 1)) {
          at[k] = text, len[k] = n;
          return 1;
        }
      return 0;
    }
    if (!*pat) return !*text;
    if (*pat++ != *text++) return 0;
  }
}

static void summary_html(sb_t *o, const ledger_row *r) {
  const char *at[LEDGER_PIECES] = {0};
  size_t len[LEDGER_PIECES] = {0};
  for (size_t i = 0; i < sizeof sentences / sizeof *sentences; i++) {
    const ledger_words *w = &sentences[i];
    if (strcmp(w->kind, r->kind) || !matches(w->en, r->summary, at, len, 0)) continue;
    char piece[LEDGER_PIECES][SUMMARY_QUOTE + 8];
    for (int k = 0; k < LEDGER_PIECES; k++) {
      size_t n = len[k] < sizeof piece[k] ? len[k] : sizeof piece[k] - 1;
      memcpy(piece[k], at[k] ? at[k] : "", n);
      piece[k][n] = 0;
    }
    int64_t day;
    if (w->day && !day_parse(piece[w->day - 1], strlen(piece[w->day - 1]), &day)) {
      const char *d = piece[w->day - 1];
      int y = atoi(d), m = atoi(d + 5), dom = atoi(d + 8);
      i18n_date(i18n_current(), y, m, dom, piece[w->day - 1], sizeof piece[0]);
    }
    if (!strcmp(r->kind, "letters_destroyed")) {
      long n = atol(piece[0]);
      sb_plural(o, n, "%s letter destroyed, as both asked.", "%s letters destroyed, as both asked.", piece[0]);
      return;
    }
    /* the sentence in the reader's words, each %s its piece: all of it escaped (no markup) */
    const char *t = _(w->en);
    for (int k = 0; *t; t++)
      if (t[0] == '%' && t[1] == 's' && k < LEDGER_PIECES) sb_esc_html(o, piece[k], strlen(piece[k])), k++, t++;
      else sb_esc_html(o, t, 1);
    return;
  }
  sb_markup(o, "%s", r->summary);
}

static void row_html(void *p, const void *row) {
  const ledger_row *r = row;
  lctx *c = p;
  c->n++;
  sb_markup(c->o, "<li><span class=\"meta\">");
  page_time(c->o, r->at);
  sb_puts(c->o, "</span> ");
  summary_html(c->o, r);
  sb_puts(c->o, "</li>\n");
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
