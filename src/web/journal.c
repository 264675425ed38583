/* journal.c (web): a journal in Markdown. An entry is shared with the partner, who may add
   to it (each addition signed by its author), or private: sealed with its author's key, so
   nobody else, the server included, can read it. Shown a page at a time, newest first. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/journal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 30

typedef struct add_s { journal_addition_t a; struct add_s *next; } add_node;
typedef struct { journal_t e; const char *text; add_node *adds, **tail; } entry_node;
typedef struct { rq_t *rq; entry_node *items; int n; } jlist;

static const char *keep(rq_t *rq, const char *s) { return s ? h2o_strdup(&rq->req->pool, s, SIZE_MAX).base : NULL; }

/* A row's words: open for a shared one, opened with the caller's key for a private one (NULL
   when this session cannot open it). */
static const char *words(rq_t *rq, const char *kind, int64_t id, const char *body, const void *sealed, size_t n) {
  return sealed ? web_unseal(rq, kind, id, sealed, n) : keep(rq, body);
}

static void collect_entry(void *p, const void *row) {
  const journal_t *e = row;
  jlist *l = p;
  entry_node *it = &l->items[l->n++];
  it->e = *e;
  it->e.body = NULL;
  it->e.sealed = NULL;
  it->text = words(l->rq, "journal", e->id, e->body, e->sealed, e->sealed_n);
  it->adds = NULL;
  it->tail = &it->adds;
}

static void collect_addition(void *p, const void *row) {
  const journal_addition_t *a = row;
  jlist *l = p;
  for (int i = 0; i < l->n; i++) {
    if (l->items[i].e.id != a->entry_id) continue;
    add_node *nd = h2o_mem_alloc_pool(&l->rq->req->pool, sizeof *nd);
    nd->a = *a;
    nd->a.body = words(l->rq, "journal_additions", a->id, a->body, a->sealed, a->sealed_n);
    nd->a.sealed = NULL;
    nd->next = NULL;
    *l->items[i].tail = nd;
    l->items[i].tail = &nd->next;
    return;
  }
}

/* Where a page starts: before this entry (its time, then its id). */
typedef struct { int64_t at, id; } cursor;

/* One page of entries (at most max) with their additions: two queries (the additions of the
   page's time span, kept for the page's own entries). */
static int load(rq_t *rq, cursor before, jlist *l, int max) {
  l->rq = rq;
  l->n = 0;
  l->items = h2o_mem_alloc_pool(&rq->req->pool, sizeof *l->items * (size_t)max);
  db_t *db = rq->db;
  int64_t c = rq->s.user.couple_id, me = rq->s.user.id;
  if (journal_list(db, c, me, before.at, before.id, max, collect_entry, l) != DB_OK) return -1;
  if (!l->n) return 0;
  return journal_additions(db, c, me, l->items[l->n - 1].e.created_at, before.at, collect_addition, l) == DB_OK ? 0 : -1;
}

/* ?before=SECONDS-ID as given in next_before (a bare SECONDS, as older clients send: the
   entries before that second). Anything else is the first page. */
static cursor before_param(rq_t *rq) {
  cursor all = {INT64_MAX, INT64_MAX};
  char b[48];
  long n = web_query(rq, "before", b, sizeof b);
  if (n <= 0) return all;
  char *end;
  long long at = strtoll(b, &end, 10), id = 0;
  if (*end == '-') {
    const char *p = end + 1;
    id = strtoll(p, &end, 10);
    if (end == p || id <= 0) return all;
  } else if (*end) return all;
  if (at <= 0) return all;
  return (cursor){at, id};
}

static void cursor_of(sb_t *o, const journal_t *e) { sb_markup(o, "%D-%D", e->created_at, e->id); }

/* ---------- JSON ---------- */

static void addition_json(rq_t *rq, sb_t *o, const journal_addition_t *a, int first) {
  char at[ISO_TIME_CHARS];
  iso_time(a->created_at, at);
  sb_json(o, "%r{\"id\":%D,\"entry\":%D,\"by\":%D,\"body\":%q,\"created_at\":%q}", first ? "" : ",", a->id, a->entry_id,
          a->author_id, a->body, at);
  (void)rq;
}

static void entry_json(rq_t *rq, sb_t *o, const entry_node *it) {
  char at[ISO_TIME_CHARS];
  iso_time(it->e.created_at, at);
  sb_json(o, "{\"id\":%D,\"by\":%D,\"private\":%r,\"locked\":%r,\"in_report\":%r,\"body\":%q,\"created_at\":%q,"
             "\"additions\":[", it->e.id, it->e.author_id, it->e.is_private ? "true" : "false", it->text ? "false" : "true",
          it->e.in_report ? "true" : "false", it->text, at);
  int first = 1;
  for (add_node *a = it->adds; a; a = a->next, first = 0) addition_json(rq, o, &a->a, first);
  sb_puts(o, "]}");
}

/* One entry as the caller sees it, with its additions (the entries before (its time, id + 1)
   start with it); 0 when it is not theirs to see. */
static int load_one(rq_t *rq, int64_t id, jlist *l) {
  journal_t e;
  int rc = id < 0 ? DB_DONE : journal_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &e);
  if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
  if (load(rq, (cursor){e.created_at, e.id + 1}, l, 1) != 0) return -1;
  return l->n == 1 && l->items[0].e.id == id;
}

static int entry_answer(rq_t *rq, int64_t id, int status) {
  jlist l;
  int got = load_one(rq, id, &l);
  if (got < 0) return web_db_error(rq);
  if (!got) return web_error(rq, 404, "not_found", "There is no such journal entry.", NULL);
  sb_t *o = web_out(rq);
  entry_json(rq, o, &l.items[0]);
  if (status == 201) return web_created(rq, o, "/api/v1/journal", id);
  return web_json(rq, status, o);
}

/* The API's list is paged in the database: the entries before the cursor's own (its time,
   then its id), newest first, so entries of one second are never skipped at a page's edge. */
static int h_api_journal(rq_t *rq, json_t *j) {
  (void)j;
  if (rq->params[0].len) return entry_answer(rq, web_param_id(rq, 0), 200);
  sb_t *o = web_out(rq);
  web_list pg;
  if (web_list_open(rq, &pg, o, "entries")) return 0;
  cursor before = {INT64_MAX, INT64_MAX};
  if (pg.has_after) {
    journal_t e;
    int64_t id = web_list_key_id(&pg);
    int rc = id ? journal_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &e) : DB_DONE;
    if (rc == DB_DONE) return web_error(rq, 422, "invalid", "No entry you can see has that id (starting_after).", "starting_after");
    if (rc != DB_ROW) return web_db_error(rq);
    before = (cursor){e.created_at, e.id};
    pg.emitting = 1; /* the database started after it */
  }
  jlist *l = h2o_mem_alloc_pool(&rq->req->pool, sizeof *l);
  if (load(rq, before, l, pg.limit + 1) != 0) return web_db_error(rq);
  for (int i = 0; i < l->n; i++) {
    const char *sep = web_list_take_id(&pg, l->items[i].e.id);
    if (!sep) continue;
    sb_puts(o, sep);
    entry_json(rq, o, &l->items[i]);
  }
  return web_list_send(&pg);
}

/* ---------- page ---------- */

static void body_html(sb_t *o, const char *text, int shared) {
  if (!text) {
    sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your private words.</p>\n");
    return;
  }
  sb_puts(o, "<div class=\"md\">");
  page_markdown(o, text, shared);
  sb_puts(o, "</div>\n");
}

static void byline(rq_t *rq, sb_t *o, int64_t author, int64_t at) {
  sb_markup(o, "<p class=\"meta\">%s · ", author == rq->s.user.id ? _("You") : web_who(rq, author));
  page_time(o, at);
}

static int render(rq_t *rq, int status, const char *err, const char *body, int64_t err_entry) {
  jlist *l = h2o_mem_alloc_pool(&rq->req->pool, sizeof *l);
  cursor before = before_param(rq);
  if (load(rq, before, l, PAGE) != 0) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Journal</h1>\n<p class=\"lead\">Write what is on your mind. Share an entry with %s, who can add "
             "to it, or keep it private.</p>\n"
             "<p class=\"notice\">Private entries are locked with your password: nobody else can read them, not even "
             "whoever runs this server. If you forget your password, they cannot be opened again.</p>\n",
          partner ? partner->display_name : _("your partner"));
  if (!err_entry) page_error_notice(o, err);
  if (!err) page_saved_notice(rq, o);
  sb_puts(o, "<form method=\"post\" action=\"/journal\" class=\"card\" data-draft>\n");
  form_csrf(rq, o);
  form_textarea(o, "body", "New entry", err_entry ? NULL : body,
                N_("Markdown works: *emphasis*, **strong**, lists with - and links."), err_entry ? NULL : err, 6, 1);
  form_share_buttons(rq, o);
  sb_text(o, "</form>\n<section aria-labelledby=\"j-h\">\n<h2 id=\"j-h\">Entries</h2>\n");
  for (int i = 0; i < l->n; i++) {
    entry_node *it = &l->items[i];
    int mine = it->e.author_id == rq->s.user.id;
    sb_markup(o, "<article class=\"card%r\" id=\"e%D\">\n", it->e.is_private ? " private" : "", it->e.id);
    byline(rq, o, it->e.author_id, it->e.created_at);
    sb_markup(o, " · %s%s</p>\n", it->e.is_private ? _("private, only you can read it") : _("shared"),
            it->e.in_report ? _(" · in counsellor's reports") : "");
    body_html(o, it->text, !it->e.is_private);
    for (add_node *a = it->adds; a; a = a->next) {
      sb_puts(o, "<div class=\"addition\">\n");
      byline(rq, o, a->a.author_id, a->a.created_at);
      sb_text(o, " added</p>\n");
      body_html(o, a->a.body, !it->e.is_private);
      sb_puts(o, "</div>\n");
    }
    if ((!it->e.is_private || mine) && it->text) {
      char name[32];
      snprintf(name, sizeof name, "body-%lld", (long long)it->e.id);
      sb_html(o, "<details%r><summary>Add to this</summary>\n<form method=\"post\" action=\"/journal/%D/additions\">\n",
              err_entry == it->e.id ? " open" : "", it->e.id);
      form_csrf(rq, o);
      form_textarea(o, name, "Your addition", err_entry == it->e.id ? body : NULL, NULL, err_entry == it->e.id ? err : NULL, 3, 1);
      sb_text(o, "<button type=\"submit\" class=\"secondary\">Add</button>\n</form>\n</details>\n");
    }
    if (mine && !it->e.is_private) {
      sb_markup(o, "<form method=\"post\" action=\"/journal/%D/report\" class=\"inline\">", it->e.id);
      form_csrf(rq, o);
      sb_markup(o, "<input type=\"hidden\" name=\"include\" value=\"%r\"><button type=\"submit\" class=\"link\">%s</button></form>\n",
              it->e.in_report ? "0" : "1", it->e.in_report ? _("Leave it out of counsellor's reports") : _("Include it in counsellor's reports"));
    }
    sb_puts(o, "</article>\n");
  }
  if (!l->n && before.at == INT64_MAX) sb_text(o, "<p class=\"muted\">No entries yet.</p>\n");
  else if (!l->n) sb_text(o, "<p class=\"muted\">No older entries.</p>\n");
  if (l->n == PAGE) {
    sb_text(o, "<p><a href=\"/journal?before=");
    cursor_of(o, &l->items[l->n - 1].e);
    sb_text(o, "\">Older entries</a></p>\n");
  }
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_journal_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, 0); }

static int form_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message, web_form_text(rq, "body"), 0); }

/* The page names each entry's field for an addition apart, so an error re-opens the right one. */
static void addition_field(rq_t *rq, int64_t entry, char name[32]) {
  if (rq->api) snprintf(name, 32, "body");
  else snprintf(name, 32, "body-%lld", (long long)entry);
}

static int addition_again(rq_t *rq, const verdict *v) {
  char name[32];
  int64_t entry = web_param_id(rq, 0);
  addition_field(rq, entry, name);
  return render(rq, 200, v->message, web_form_text(rq, name), entry);
}

static int add(rq_t *rq, json_t *j) {
  size_t n;
  int bad_p = 0;
  const char *t;
  verdict v = web_check_text(rq, j, "body", JOURNAL_ENTRY_MAX, 1, &t, &n);
  int priv = web_flag(rq, j, "private", &bad_p), chose = form_shared(rq);
  if (chose >= 0) priv = !chose; /* the page's two buttons; a page that sent neither keeps it private */
  else if (!rq->api && !web_form_text(rq, "private")) priv = 1;
  if (!v.status && bad_p) v = refuse_field("private", "Private is true or false.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  const unsigned char *sealed = NULL;
  size_t sn = 0;
  if (priv && !(sealed = web_seal(rq, "journal", id, t, n, &sn))) return web_locked(rq);
  if (journal_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, priv, priv ? NULL : t, sealed, sn, now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, priv ? "/journal?saved=private" : "/journal?saved=shared");
  entry_node it = {{id, rq->s.user.id, now, priv, 0, NULL, NULL, 0}, t, NULL, NULL};
  sb_t *o = web_out(rq);
  entry_json(rq, o, &it);
  return web_created(rq, o, "/api/v1/journal", id);
}

static int add_to(rq_t *rq, json_t *j) {
  int64_t entry = web_param_id(rq, 0);
  journal_t e;
  if (entry < 0 || journal_get(rq->db, rq->s.user.couple_id, rq->s.user.id, entry, &e) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such journal entry.", NULL);
  char name[32];
  addition_field(rq, entry, name);
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, name, JOURNAL_ENTRY_MAX, 1, &t, &n);
  v.field = "body";
  if (v.status) return web_refuse(rq, v, addition_again);
  int64_t id = secret_id(), now = web_now();
  const unsigned char *sealed = NULL;
  size_t sn = 0;
  /* an addition to a private entry (only its author can see one) is sealed like the entry */
  if (e.is_private && !(sealed = web_seal(rq, "journal_additions", id, t, n, &sn))) return web_locked(rq);
  if (journal_addition_add(rq->db, rq->s.user.couple_id, entry, id, rq->s.user.id, e.is_private ? NULL : t, sealed, sn,
                           now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) {
    char loc[48];
    snprintf(loc, sizeof loc, "/journal#e%lld", (long long)entry);
    return web_redirect(rq, loc);
  }
  journal_addition_t a = {id, entry, rq->s.user.id, now, t, NULL, 0};
  sb_t *o = web_out(rq);
  addition_json(rq, o, &a, 1);
  return web_created(rq, o, "/api/v1/journal", entry);
}


/* The author marks a shared entry for counsellor's reports, or takes it out again. */
static int set_report(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  int include;
  if (j) {
    json_t *v = json_object_get(j, "in_report");
    if (!json_is_boolean(v)) return web_refuse(rq, (verdict){422, "invalid", N_("in_report is true or false."), "in_report"}, NULL);
    include = json_is_true(v);
  } else {
    char b[4];
    include = web_form(rq, "include", b, sizeof b) == 1 && b[0] == '1';
  }
  journal_t e;
  db_t *db = rq->db;
  if (id < 0 || journal_get(db, rq->s.user.couple_id, rq->s.user.id, id, &e) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such journal entry.", NULL);
  if (e.author_id != rq->s.user.id) return web_error(rq, 403, "not_yours", "Only its author chooses whether an entry goes into reports.", NULL);
  if (e.is_private) return web_error(rq, 409, "private", "A private entry never goes into a report. Share it first.", NULL);
  if (journal_set_in_report(db, rq->s.user.couple_id, rq->s.user.id, id, include) != DB_OK) return web_db_error(rq);
  if (!rq->api) {
    char loc[48];
    snprintf(loc, sizeof loc, "/journal#e%lld", (long long)id);
    return web_redirect(rq, loc);
  }
  return entry_answer(rq, id, 200);
}

const route_t journal_routes[] = {
  {"GET", "/journal", h_journal_page, R_AUTH, "journal"},
  TWIN("POST", "/journal", add, R_AUTH | R_BODY, "journal"),
  TWIN("POST", "/journal/{id}/additions", add_to, R_AUTH | R_BODY, "journal_addition"),
  {"POST", "/journal/{id}/report", set_report, R_AUTH | R_CSRF | R_BODY, "journal_report"},
  {"GET", "/api/v1/journal", h_api_journal, R_AUTH | R_LIST, "api_journal"},
  {"GET", "/api/v1/journal/{id}", h_api_journal, R_AUTH, "api_journal_entry"},
  {"PATCH", "/api/v1/journal/{id}", set_report, R_AUTH | R_BODY, "api_journal_entry"},
  {NULL, NULL, NULL, 0, NULL},
};
