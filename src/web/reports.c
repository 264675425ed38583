/* reports.c (web): making a counsellor's report, the list both partners see (who made which
   report, when, for which period), share links that expire (14 days at most) and that either
   partner can revoke, and the link page, which shows the report and nothing else. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "app/report.h"
#include "core/commitments.h"
#include "core/secret.h"
#include "db/reports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ---------- the list ---------- */

typedef struct { rq_t *rq; sb_t *o; int n; } lctx;

static const char *maker(rq_t *rq, int64_t id) {
  if (!id) return _("whoever runs this server (mend report)");
  return web_who(rq, id);
}

/* The couple's open share links, loaded once for a list of reports. */
typedef struct { H2O_VECTOR(report_link) v; h2o_mem_pool_t *pool; } open_links;

static void keep_link(void *p, const void *row) {
  open_links *ls = p;
  h2o_vector_reserve(ls->pool, &ls->v, ls->v.size + 1);
  ls->v.entries[ls->v.size++] = *(const report_link *)row;
}

static int load_links(rq_t *rq, open_links *ls) {
  memset(ls, 0, sizeof *ls);
  ls->pool = &rq->req->pool;
  return report_links_open(rq->db, rq->s.user.couple_id, web_now(), keep_link, ls);
}

static void link_json(sb_t *o, const report_link *l, const char *url) {
  char at[ISO_TIME_CHARS], ex[ISO_TIME_CHARS];
  iso_time(l->made_at, at);
  iso_time(l->expires_at, ex);
  sb_json(o, "{\"id\":%D,\"report\":%D,\"by\":%D,\"made_at\":%q,\"expires_at\":%q", l->id, l->report_id, l->made_by, at, ex);
  if (url) sb_json(o, ",\"url\":%q", url);
  sb_putc(o, '}');
}

/* A report's fields and its open links, without the closing brace (html may follow). */
static void meta_fields(sb_t *o, const report_meta *m, const open_links *ls) {
  char at[ISO_TIME_CHARS], f[DAY_CHARS], t[DAY_CHARS];
  iso_time(m->made_at, at);
  day_format(m->from_day, f);
  day_format(m->to_day, t);
  sb_json(o, "{\"id\":%D,\"by\":", m->id);
  if (m->made_by) sb_json(o, "%D", m->made_by); else sb_puts(o, "null");
  sb_json(o, ",\"made_at\":%q,\"from\":%q,\"to\":%q,\"url\":\"/reports/%D\",\"links\":[", at, f, t, m->id);
  int n = 0;
  for (size_t i = 0; ls && i < ls->v.size; i++)
    if (ls->v.entries[i].report_id == m->id) {
      if (n++) sb_putc(o, ',');
      link_json(o, &ls->v.entries[i], NULL);
    }
  sb_putc(o, ']');
}

typedef struct { rq_t *rq; sb_t *o; web_list *l; const open_links *links; } ilctx;

static void report_item_json(void *p, const void *row) {
  const report_meta *m = row;
  ilctx *c = p;
  const char *sep = web_list_take_id(c->l, m->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  meta_fields(c->o, m, c->links);
  sb_putc(c->o, '}');
}

static int h_api_reports(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  open_links ls;
  if (load_links(rq, &ls) != DB_OK) return web_db_error(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "reports")) return 0;
  ilctx x = {rq, o, &l, &ls};
  if (reports_list(rq->db, rq->s.user.couple_id, report_item_json, &x) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static void report_item_html(void *p, const void *row) {
  const report_meta *m = row;
  lctx *c = p;
  sb_t *o = c->o;
  c->n++;
  int64_t today = web_today(&c->rq->s.user);
  sb_html(o, "<li class=\"card\"><p><a href=\"/reports/%D\">From ", m->id);
  day_html(o, m->from_day, today);
  sb_text(o, " to ");
  day_html(o, m->to_day, today);
  sb_html(o, "</a></p>\n<p class=\"meta\">Made by %s on ", maker(c->rq, m->made_by));
  page_time(o, m->made_at);
  sb_markup(o, "</p>\n<form method=\"post\" action=\"/reports/%D/links\" class=\"inline-fields\">\n", m->id);
  form_csrf(c->rq, o);
  char id[32];
  snprintf(id, sizeof id, "days-%lld", (long long)m->id);
  sb_html(o, "<label for=\"%s\">Share for</label> <select id=\"%s\" name=\"days\">", id, id);
  for (int d = 1; d <= REPORT_LINK_DAYS_MAX; d++) sb_plural(o, d, "<option value=\"%d\"%r>%d day</option>", "<option value=\"%d\"%r>%d days</option>", d, d == 7 ? " selected" : "", d);
  sb_text(o, "</select> <button type=\"submit\" class=\"secondary\">Make a read-only link</button>\n</form></li>\n");
}

static void link_html(void *p, const void *row) {
  const report_link *l = row;
  lctx *c = p;
  sb_t *o = c->o;
  c->n++;
  sb_html(o, "<li>A link to <a href=\"/reports/%D\">a report</a>, made by %s, open until ", l->report_id, maker(c->rq, l->made_by));
  page_time(o, l->expires_at);
  sb_markup(o, " <form method=\"post\" action=\"/reports/links/%D/revoke\" class=\"inline\">", l->id);
  form_csrf(c->rq, o);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Revoke</button></form></li>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *from, const char *to,
                  const char *new_link, int64_t new_expiry) {
  db_t *db = rq->db;
  int64_t c = rq->s.user.couple_id, today = web_today(&rq->s.user);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Reports for a counsellor</h1>\n<p class=\"lead\">A report gathers what you share over a period: where you "
             "are in the program, your agreements, promises kept, both trust lines with setbacks, open questions, and the "
             "journal entries each of you chose to include. Private entries are never in it. Print it, save it as a PDF, "
             "or give your counsellor a read-only link.</p>\n<p class=\"notice\">Both of you see every report made, and "
             "every open link. Either of you can revoke a link.</p>\n");
  if (new_link) {
    sb_html(o, "<div class=\"notice\" role=\"status\"><p>Give this link to your counsellor. It shows the report and nothing "
               "else, until ");
    page_time(o, new_expiry);
    sb_html(o, ". It is shown only now.</p>\n<p class=\"code\"><a href=\"%s\">%s</a></p></div>\n", new_link, new_link);
  }
  page_error_notice(o, err);
  char df[DAY_CHARS], dt[DAY_CHARS];
  day_format(today - 55, df);
  day_format(today, dt);
  sb_text(o, "<form method=\"post\" action=\"/reports\" class=\"card\">\n<h2>A new report</h2>\n");
  form_csrf(rq, o);
  form_field(o, "from", "From", "date", from ? from : df, "off", NULL, field && !strcmp(field, "from") ? err : NULL);
  form_field(o, "to", "To", "date", to ? to : dt, "off", NULL, field && !strcmp(field, "to") ? err : NULL);
  sb_text(o, "<button type=\"submit\">Make the report</button>\n</form>\n<section aria-labelledby=\"rl-h\">\n"
             "<h2 id=\"rl-h\">Open links</h2>\n<ul>\n");
  lctx x = {rq, o, 0};
  if (report_links_open(db, c, web_now(), link_html, &x) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!x.n) sb_text(o, "<p class=\"muted\">No open links.</p>\n");
  sb_text(o, "</section>\n<section aria-labelledby=\"rr-h\">\n<h2 id=\"rr-h\">Reports made</h2>\n<ul class=\"plain\">\n");
  x.n = 0;
  if (reports_list(db, c, report_item_html, &x) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!x.n) sb_text(o, "<p class=\"muted\">None yet.</p>\n");
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_reports_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL, NULL, NULL, 0); }

/* ---------- making one ---------- */

static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field, web_form_text(rq, "from"), web_form_text(rq, "to"), NULL, 0);
}

static int make(rq_t *rq, json_t *j) {
  size_t fn = 0, tn = 0;
  int bf = 0, bt = 0;
  const char *f = web_text(rq, j, "from", &fn, &bf), *t = web_text(rq, j, "to", &tn, &bt);
  int64_t from, to, today = web_today(&rq->s.user);
  const char *m = NULL, *field = NULL;
  if (bf || !f || day_parse(f, fn, &from) != 0) { field = "from"; m = "A date looks like 2026-12-24."; }
  else if (bt || !t || day_parse(t, tn, &to) != 0) { field = "to"; m = "A date looks like 2026-12-24."; }
  else if (to > today) { field = "to"; m = "A report ends today at the latest."; }
  else if (from > to) { field = "from"; m = "The period starts before it ends."; }
  else if (to - from >= REPORT_DAYS_MAX) { field = "from"; m = "A report covers a year at most."; }
  if (m) return web_refuse(rq, refuse_field(field, m), form_again);
  sb_t body;
  sb_init(&body, 16384);
  int64_t id = secret_id(), now = web_now();
  int ok = report_build(rq->db, rq->s.user.couple_id, from, to, now, rq->s.user.display_name, &rq->mem, &body) == 0 &&
           reports_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, now, from, to, body.buf) == DB_OK;
  if (!ok) { sb_free(&body); return web_db_error(rq); }
  if (!rq->api) {
    sb_free(&body);
    char loc[48];
    snprintf(loc, sizeof loc, "/reports/%lld", (long long)id);
    return web_redirect(rq, loc);
  }
  sb_t *o = web_out(rq);
  report_meta rm = {id, rq->s.user.id, now, from, to, NULL};
  meta_fields(o, &rm, NULL);
  sb_json(o, ",\"html\":%q}", body.buf);
  sb_free(&body);
  return web_created(rq, o, "/api/v1/reports", id);
}


/* ---------- reading one ---------- */

typedef struct { rq_t *rq; sb_t *o; int api; const open_links *links; } vctx;

static void view(void *p, const void *row) {
  const report_meta *m = row;
  const char *html = m->html;
  vctx *c = p;
  if (c->api) {
    meta_fields(c->o, m, c->links);
    sb_json(c->o, ",\"html\":%q}", html);
    return;
  }
  sb_t body;
  sb_init(&body, strlen(html) + 512);
  sb_text(&body, "<p class=\"no-print\"><a href=\"/reports\">Back to reports</a> · Print it or save it as a PDF from your "
                 "browser's menu. · <a href=\"https://www.bbc.com/weather\" rel=\"noreferrer\">Quick exit</a></p>\n");
  sb_puts(&body, html);
  report_document(c->o, body.buf, NULL);
  sb_free(&body);
}

static int show(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  open_links ls;
  if (rq->api && load_links(rq, &ls) != DB_OK) return web_db_error(rq);
  vctx c = {rq, web_out(rq), rq->api, rq->api ? &ls : NULL};
  int rc = id < 0 ? DB_DONE : reports_get(rq->db, rq->s.user.couple_id, id, view, &c);
  if (rc == DB_DONE) return web_error(rq, 404, "not_found", "There is no such report.", NULL);
  if (rc != DB_ROW) return web_db_error(rq);
  if (rq->api) return web_json(rq, 200, c.o);
  return page_send(rq, 200, c.o);
}


/* ---------- share links ---------- */

typedef struct { int found; } exists_ctx;
static void exists(void *p, const void *row) { (void)row; ((exists_ctx *)p)->found = 1; }

static int share(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  exists_ctx e = {0};
  if (id < 0 || reports_get(rq->db, rq->s.user.couple_id, id, exists, &e) == DB_ERROR) return web_db_error(rq);
  if (!e.found) return web_error(rq, 404, "not_found", "There is no such report.", NULL);
  long days = 0;
  if (j) {
    json_t *d = json_object_get(j, "days");
    days = json_is_integer(d) ? (long)json_integer_value(d) : 0;
  } else {
    char b[8];
    if (web_form(rq, "days", b, sizeof b) > 0) days = strtol(b, NULL, 10);
  }
  if (days < 1 || days > REPORT_LINK_DAYS_MAX) return web_refuse(rq, refuse_field("days", "A link is open for 1 to 14 days."), NULL);
  char secret[TOKEN_CHARS + 1];
  unsigned char hash[HASH_BYTES];
  secret_token(secret);
  secret_hash(secret, TOKEN_CHARS, hash);
  int64_t lid = secret_id(), now = web_now(), expires = now + days * SECONDS_PER_DAY;
  if (report_links_add(rq->db, rq->s.user.couple_id, lid, id, hash, rq->s.user.id, now, expires) != DB_OK)
    return web_db_error(rq);
  const char *url = web_link(rq, "/r/", secret, "");
  int rc;
  if (rq->api) {
    sb_t *o = web_out(rq);
    report_link made = {lid, id, rq->s.user.id, now, expires};
    link_json(o, &made, url);
    rc = web_created(rq, o, "/api/v1/reports", id);
  } else {
    rc = render(rq, 200, NULL, NULL, NULL, NULL, url, expires);
  }
  return rc;
}


/* Either partner closes an open link: /reports/links/{id}/revoke (the page), or DELETE
   /api/v1/reports/{report}/links/{id}, which must name the link's own report. */
static int revoke_link(rq_t *rq, json_t *j) {
  (void)j;
  int api = rq->params[1].len != 0;
  int64_t id = web_param_id(rq, api ? 1 : 0);
  db_t *db = rq->db;
  if (api) {
    open_links ls;
    if (load_links(rq, &ls) != DB_OK) return web_db_error(rq);
    int64_t report = web_param_id(rq, 0);
    size_t i = 0;
    while (i < ls.v.size && !(ls.v.entries[i].id == id && ls.v.entries[i].report_id == report)) i++;
    if (i == ls.v.size) return web_error(rq, 404, "not_found", "There is no such open link.", NULL);
  }
  if (id < 0 || report_links_revoke(db, rq->s.user.couple_id, id, web_now()) != DB_OK) return web_db_error(rq);
  if (db_changes(db) != 1) return web_error(rq, 404, "not_found", "There is no such open link.", NULL);
  if (rq->api) return web_no_content(rq);
  return web_redirect(rq, "/reports");
}

static void view_plain(void *p, const void *row) {
  const report_meta *m = row;
  const char *html = m->html;
  vctx *c = p;
  (void)m;
  report_document(c->o, html, NULL);
}

/* The counsellor's page: the report and nothing else; an unknown, expired or revoked link is
   simply not there. */
static int h_report_shared(rq_t *rq, json_t *j) {
  (void)j;
  h2o_iovec_t s = rq->params[0];
  vctx c = {rq, web_out(rq), 0, NULL};
  int rc = DB_DONE;
  if (s.len == TOKEN_CHARS) {
    unsigned char hash[HASH_BYTES];
    secret_hash(s.base, s.len, hash);
    rc = report_by_link(rq->db, hash, web_now(), view_plain, &c);
  }
  if (rc == DB_DONE) return web_error(rq, 404, "not_found", "This link is not open: it has expired, or was revoked.", NULL);
  if (rc != DB_ROW) return web_db_error(rq);
  return page_send(rq, 200, c.o);
}

const route_t reports_routes[] = {
  {"GET", "/reports", h_reports_page, R_AUTH, "reports"},
  TWIN("POST", "/reports", make, R_AUTH | R_BODY, "reports"),
  {"GET", "/reports/{id}", show, R_AUTH, "report"},
  TWIN("POST", "/reports/{id}/links", share, R_AUTH | R_BODY, "report_link"),
  {"POST", "/reports/links/{id}/revoke", revoke_link, R_AUTH | R_CSRF, "report_link_revoke"},
  {"GET", "/r/{secret}", h_report_shared, R_SECRET_PATH, "report_shared"},
  {"GET", "/api/v1/reports", h_api_reports, R_AUTH | R_LIST, "api_reports"},
  {"GET", "/api/v1/reports/{id}", show, R_AUTH, "api_report"},
  {"DELETE", "/api/v1/reports/{id}/links/{id}", revoke_link, R_AUTH, "api_report_link"},
  {NULL, NULL, NULL, 0, NULL},
};
