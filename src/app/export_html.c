/* export_html.c (app): see export_html.h. */
#include "export_html.h"
#include "report.h"
#include "progress.h"
#include "core/plan.h"
#include "core/validate.h"
#include "util/i18n.h"
#include "util/embed.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The tools in the order of the way back, with the columns that hold their words. */
static const struct { const char *table, *name; const char *cols[4]; } tools[] = {
  {"breach_accounts", N_("What happened"), {"text", "root_cause", NULL}},
  {"feelings", N_("Feelings"), {"emotion", "text", NULL}},
  {"triggers", N_("Triggers"), {"words", "reply", NULL}},
  {"questions", N_("Questions"), {"text", NULL}},
  {"answers", N_("Answers"), {"text", NULL}},
  {"apologies", N_("Apologies"), {"text", "response_note", NULL}},
  {"agreements", N_("Agreements"), {"title", "text", NULL}},
  {"promises", N_("Promises"), {"text", NULL}},
  {"promise_reports", N_("Promise reports"), {"note", "confirm_note", NULL}},
  {"truths", N_("Daily truths"), {"text", "reply", NULL}},
  {"checkin_answers", N_("Check-ins"), {"answers", NULL}},
  {"journal_entries", N_("Journal"), {"body", NULL}},
  {"journal_additions", N_("Added to the journal"), {"body", NULL}},
  {"moments", N_("Moments"), {"title", NULL}},
  {"moment_notes", N_("Notes on moments"), {"note", NULL}},
  {"appreciations", N_("Appreciations"), {"text", NULL}},
  {"shared_values", N_("Values"), {"text", NULL}},
  {"goals", N_("Goals"), {"title", NULL}},
  {"setbacks", N_("Setbacks"), {"what", "helped", NULL}},
  {"letters", N_("Letters"), {"body", "more", NULL}},
  {"hard_dates", N_("Hard dates"), {"title", NULL}},
  {"timeout_rules", N_("Your time-out rule"), {"text", NULL}},
  {"forgiveness_notes", N_("Forgiveness"), {"text", NULL}},
};
static const char *const authors[] = {"author_id", "user_id", "promiser_id", "asker_id", "created_by", "proposed_by", "made_by", "added_by", "set_by", NULL};
static const char *const whens[] = {"created_at", "at", "reported_at", "submitted_at", "updated_at", "day", "week", "set_at", NULL};

static const char *name_of(json_t *users, json_int_t id) {
  size_t i;
  json_t *u;
  json_array_foreach(users, i, u)
    if (json_integer_value(json_object_get(u, "id")) == id) return json_string_value(json_object_get(u, "display_name"));
  return NULL;
}

static void row_html(sb_t *o, json_t *users, json_t *row, const char *const *cols) {
  const char *when = NULL, *who = NULL;
  for (int i = 0; whens[i] && !when; i++) when = json_string_value(json_object_get(row, whens[i]));
  for (int i = 0; authors[i] && !who; i++) {
    json_t *a = json_object_get(row, authors[i]);
    if (json_is_integer(a)) who = name_of(users, json_integer_value(a));
  }
  json_t *priv = json_object_get(row, "_sealed");
  sb_markup(o, "<article%r>\n<p class=\"meta\">", json_is_true(priv) ? " class=\"private\"" : "");
  if (when) sb_markup(o, "<time>%.*s</time>", (int)strnlen(when, 10), when);
  if (who) sb_markup(o, "%r%s", when ? " · " : "", who);
  if (json_is_true(priv)) sb_text(o, " · private");
  sb_puts(o, "</p>\n");
  for (int c = 0; cols[c]; c++) {
    json_t *v = json_object_get(row, cols[c]);
    if (!strcmp(cols[c], "emotion") && json_is_string(v)) {
      int e = one_of(json_string_value(v), json_string_length(v), emotions);
      if (e >= 0) { sb_markup(o, "<p><strong>%s</strong></p>\n", _(emotion_names[e])); continue; }
    }
    if (!strcmp(cols[c], "answers") && json_is_string(v)) {
      app_checkin_answers_html(o, json_string_value(v), 1); /* a check-in, under its questions */
      continue;
    }
    if (json_is_string(v) && *json_string_value(v)) {
      sb_puts(o, "<p>");
      /* paragraphs as written: a blank line parts them */
      for (const char *p = json_string_value(v); *p; p++) {
        if (*p == '\n') sb_puts(o, p[1] == '\n' ? "</p>\n<p>" : "<br>\n");
        else sb_esc_html(o, p, 1);
        if (*p == '\n' && p[1] == '\n') p++;
      }
      sb_puts(o, "</p>\n");
    }
  }
  sb_puts(o, "</article>\n");
}

int app_export_html(const char *json, size_t n, sb_t *out) {
  json_error_t e;
  json_t *doc = json_loadb(json, n, 0, &e), *tables = json_object_get(doc, "tables"), *users = json_object_get(doc, "users");
  if (!json_is_object(tables) || !json_is_array(users)) {
    json_decref(doc);
    return -1;
  }
  sb_t body = {0};
  const char *at = json_string_value(json_object_get(doc, "exported_at"));
  sb_html(&body, "<h1>What we wrote in mend</h1>\n<p class=\"lead\">Exported on <time>%.*s</time>. Private entries are "
                 "yours alone: keep this file somewhere only you can open.</p>\n<nav aria-label=\"Tools\"><ul>\n",
          (int)strnlen(at ? at : "", 10), at ? at : "");
  for (size_t t = 0; t < sizeof tools / sizeof *tools; t++) {
    json_t *rows = json_object_get(tables, tools[t].table);
    if (json_array_size(rows)) sb_markup(&body, "<li><a href=\"#%s\">%s</a> (%D)</li>\n", tools[t].table, _(tools[t].name),
                                       (int64_t)json_array_size(rows));
  }
  sb_puts(&body, "</ul></nav>\n");
  for (size_t t = 0; t < sizeof tools / sizeof *tools; t++) {
    json_t *rows = json_object_get(tables, tools[t].table), *row;
    size_t i;
    if (!json_array_size(rows)) continue;
    sb_markup(&body, "<section id=\"%s\">\n<h2>%s</h2>\n", tools[t].table, _(tools[t].name));
    json_array_foreach(rows, i, row) row_html(&body, users, row, tools[t].cols);
    sb_puts(&body, "</section>\n");
  }
  const struct embed_file *css = embed_find(embed_static, "report.css", 10);
  char *style = NULL;
  if (css && (style = malloc(css->len + 1))) {
    memcpy(style, css->data, css->len);
    style[css->len] = 0;
  }
  sb_put(&body, "", 1);
  report_document(out, body.buf, style ? style : "");
  free(style);
  sb_free(&body);
  json_decref(doc);
  return 0;
}
