/* export.c (db): the export document and its import. One table of the couple-owned tables
   drives both: their columns, the filter that keeps what the reader may see (the partner's
   unrevealed or private things never leave), and where sealed words live. */
#include "export.h"
#include "accounts.h"
#include "core/checkin_rules.h"
#include "core/days.h"
#include "core/secret.h"
#include "apologies.h"
#include "breach.h"
#include "checkins.h"
#include "closeness.h"
#include "feelings.h"
#include "triggers.h"
#include "letters.h"
#include "forgiveness.h"
#include "journal.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P3 "$1, $2, $3"
#define P4 P3 ", $4"
#define P5 P4 ", $5"
#define P6 P5 ", $6"
#define P7 P6 ", $7"
#define P8 P7 ", $8"
#define P9 P8 ", $9"
#define P10 P9 ", $10"
#define P11 P10 ", $11"
#define P12 P11 ", $12"
#define P13 P12 ", $13"
#define P14 P13 ", $14"
#define P19 P14 ", $15, $16, $17, $18, $19"
#define P20 P19 ", $20"

typedef struct {
  const char *name, *cols, *types; /* types: a letter per column: i integer, t text, b bytes */
  const char *select;              /* $1 couple, and $2 viewer when uses_viewer */
  const char *insert;
  int uses_viewer;
  int text, sealed, author, id;    /* column indexes of sealed words, or -1 */
  const char *kind;                /* the seal's kind (core/seal.h) */
  int text_null;                   /* a sealed row's text column is NULL (else "") */
} xtable;

/* Columns: couple_id first, always. Private words are sealed columns; a row of the viewer's
   own is exported opened, and sealed again by the import. Who may see a row is each feature's
   own rule (its header's _VISIBLE), the same its queries use. */
#define T(name, cols, types, filter, order, params, v) \
  name, cols, types, "SELECT " cols " FROM " name " WHERE couple_id = $1 AND (" filter ") ORDER BY " order, \
  "INSERT INTO " name " (" cols ") VALUES (" params ")", v

static const xtable tables[] = {
  {T("breach_accounts", "couple_id, user_id, text, root_cause, category, broke_trust, updated_at, acknowledged_at", "iittttii",
     BREACH_VISIBLE, "user_id", P8, 1), -1, -1, -1, -1, NULL, 0},
  {T("feelings", "couple_id, id, author_id, emotion, text, shared, created_at, heard_at, sealed", "iiittiiib",
     FEELINGS_VISIBLE, "id", P9, 1), 4, 8, 2, 1, "feelings", 0},
  {T("triggers", "couple_id, id, author_id, strength, words, sealed, shared, local_minute, local_weekday, created_at, reply, replied_at",
     "iiiitbiiiiti", TRIGGERS_VISIBLE, "id", P12, 1), 4, 5, 2, 1, "triggers", 0},
  {T("questions", "couple_id, id, asker_id, text, times_asked, waiting, created_at, last_asked_at, enough_at", "iiitiiiii",
     "$1 = $1", "id", P9, 0), -1, -1, -1, -1, NULL, 0},
  {T("answers", "couple_id, id, question_id, seq, author_id, text, created_at, corrects, corrected_at", "iiiiitiii", "$1 = $1", "id",
     P9, 0), -1, -1, -1, -1, NULL, 0},
  {T("apologies", "couple_id, id, author_id, text, created_at, updated_at, delivered_at, heard, response_note, responded_at, sealed",
     "iiitiiiitib", APOLOGIES_VISIBLE, "id", P11, 1), 3, 10, 2, 1, "apologies", 0},
  {T("program_phases", "couple_id, phase, started_at", "iii", "$1 = $1", "phase", P3, 0), -1, -1, -1, -1, NULL, 0},
  {T("program_ready", "couple_id, user_id, phase, at", "iiii", "$1 = $1", "user_id", P4, 0), -1, -1, -1, -1, NULL, 0},
  {T("agreements", "couple_id, id, root_id, version, title, text, category, status, proposed_by, created_at, activated_at, "
     "retire_asked_by, retired_at, declined_by, declined_at, decline_reason, withdrawn_by, withdrawn_at, withdrawn_reason, review_on",
     "iiiittttiiiiiiitiiti", "$1 = $1", "id", P20, 0), -1, -1, -1, -1, NULL, 0},
  {T("agreement_reviews", "couple_id, agreement_id, user_id, choice, at", "iiiti", "$1 = $1", "agreement_id, user_id", P5, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("agreement_signatures", "couple_id, agreement_id, user_id, signed_at", "iiii", "$1 = $1", "agreement_id, user_id", P4, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("promises", "couple_id, id, promiser_id, text, every, weekdays, start_day, due_day, created_at, end_day, ended, end_reason, "
     "replaces", "iiittiiiiitti", "$1 = $1", "id", P13, 0), -1, -1, -1, -1, NULL, 0},
  {T("talks", "couple_id, id, topic, started_by, first_speaker, in_person, turn_minutes, steps, created_at, closed_by, closed_at",
     "iitiiiiiiii", "$1 = $1", "id", P11, 0), -1, -1, -1, -1, NULL, 0},
  {T("talk_steps", "couple_id, talk_id, seq, kind, by_id, text, at", "iiititi", "$1 = $1", "talk_id, seq", P7, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("promise_reports", "couple_id, promise_id, day, kept, note, reported_at, confirmed, confirm_note, confirmed_at", "iiiitiiti",
     "$1 = $1", "promise_id, day", P9, 0), -1, -1, -1, -1, NULL, 0},
  {T("ledger", "couple_id, seq, at, actor_id, kind, subject_id, summary, prev_hash, hash", "iiiititbb", "$1 = $1", "seq", P9, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("ledger_heads", "couple_id, seq, hash", "iib", "$1 = $1", "seq", P3, 0), -1, -1, -1, -1, NULL, 0},
  {T("truths", "couple_id, id, author_id, day, text, created_at, reply_heart, reply, replied_at", "iiiitiiti", "$1 = $1", "id", P9, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("checkin_schedule", "couple_id, weekday, time, timezone, updated_by, updated_at", "iittii", "$1 = $1", "couple_id", P6, 0),
   -1, -1, -1, -1, NULL, 0},
  /* a partner's answers leave only once revealed (both answered that week) */
  {T("checkin_answers", "couple_id, week, user_id, answers, submitted_at", "iiiti",
     CHECKIN_ANSWERS_VISIBLE,
     "week, user_id", P5, 1), -1, -1, -1, -1, NULL, 0},
  {T("journal_entries", "couple_id, id, author_id, is_private, body, sealed, created_at, in_report", "iiiitbii",
     JOURNAL_VISIBLE, "id", P8, 1), 4, 5, 2, 1, "journal", 1},
  {T("journal_additions", "couple_id, entry_id, id, author_id, body, sealed, created_at", "iiiitbi",
     "author_id = $2 OR sealed IS NULL", "id", P7, 1), 4, 5, 3, 2, "journal_additions", 1},
  /* closeness choices are each partner's own, never the other's */
  {T("closeness_choices", "couple_id, user_id, step, choice, updated_at", "iitti", CLOSENESS_VISIBLE, "user_id, step", P5, 1),
   -1, -1, -1, -1, NULL, 0},
  {T("moments", "couple_id, id, created_by, title, kind, day, done, created_at", "iiittiii", "$1 = $1", "id", P8, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("moment_notes", "couple_id, moment_id, user_id, note, updated_at", "iiiti", "$1 = $1", "moment_id, user_id", P5, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("appreciations", "couple_id, id, author_id, text, created_at", "iiiti", "$1 = $1", "id", P5, 0), -1, -1, -1, -1, NULL, 0},
  {T("shared_values", "couple_id, id, proposed_by, text, created_at, affirmed_at", "iiitii", "$1 = $1", "id", P6, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("goals", "couple_id, id, created_by, title, created_at, updated_at", "iiitii", "$1 = $1", "id", P6, 0), -1, -1, -1, -1, NULL, 0},
  {T("goal_steps", "couple_id, goal_id, position, text, done", "iiiti", "$1 = $1", "goal_id, position", P5, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("setbacks", "couple_id, id, author_id, day, what, severity, helped, created_at", "iiiititi", "$1 = $1", "id", P8, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("hard_dates", "couple_id, id, added_by, title, day, slot, yearly, remind_days, created_at", "iiitiiiii", "$1 = $1", "id", P9, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("letters", "couple_id, id, kind, author_id, body, more, sealed, created_at, updated_at, given_at, detail, read_at, heard, heard_at",
     "iitittbiiitiii", LETTERS_VISIBLE, "id", P14, 1), 4, 6, 3, 1, "letters", 0},
  {T("letter_destroy", "couple_id, user_id, asked_at", "iii", "$1 = $1", "user_id", P3, 0), -1, -1, -1, -1, NULL, 0},
  {T("timeout_rules", "couple_id, minutes, text, set_by, set_at, agreed_by, agreed_at", "iitiiii", "$1 = $1", "couple_id", P7, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("timeouts", "couple_id, id, called_by, called_at, ends_at", "iiiii", "$1 = $1", "id", P5, 0), -1, -1, -1, -1, NULL, 0},
  {T("forgiveness_notes", "couple_id, id, author_id, about, sealed, text, shared_at, created_at", "iiitbtii",
     FORGIVENESS_VISIBLE, "id", P8, 1), 5, 4, 2, 1, "forgiveness", 1},
  /* one partner's wish to let it rest is not told to the other until both chose it */
  {T("rest_choices", "couple_id, user_id, chosen_at", "iii",
     REST_VISIBLE, "user_id", P3, 1), -1, -1, -1, -1, NULL, 0},
  {T("reports", "couple_id, id, made_by, made_at, from_day, to_day, html", "iiiiiit", "$1 = $1", "id", P7, 0),
   -1, -1, -1, -1, NULL, 0},
  /* a counsellor's access and what they opened are the couple's to keep; the counsellor's own
     notes about them are the counsellor's, never exported with the couple */
  {T("counsellor_access", "couple_id, id, counsellor_id, tools, asked_by, asked_at, agreed_by, agreed_at, ended_by, ended_at",
     "iiitiiiiii", "$1 = $1", "id", P10, 0), -1, -1, -1, -1, NULL, 0},
  {T("counsellor_views", "couple_id, access_id, at, page", "iiit", "$1 = $1", "access_id, at", P4, 0), -1, -1, -1, -1, NULL, 0},
  /* an invitation by e-mail, without its code (a code not mailed yet is never exported) */
  {T("counsellor_invites", "couple_id, access_id, address, name, code_hash, mailed_at, joined_at", "iittbii", "$1 = $1", "access_id",
     P7, 0), -1, -1, -1, -1, NULL, 0},
  {T("counsellor_suggestions", "couple_id, id, counsellor_id, text, created_at", "iiiti", "$1 = $1", "id", P5, 0),
   -1, -1, -1, -1, NULL, 0},
  {T("counsellor_suggestion_seen", "couple_id, suggestion_id, user_id, at", "iiii", "$1 = $1", "suggestion_id, user_id", P4, 0),
   -1, -1, -1, -1, NULL, 0},
};
#define NTABLES (int)(sizeof tables / sizeof tables[0])

/* ---------- export ---------- */

static void hex(sb_t *o, const unsigned char *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  sb_putc(o, '"');
  for (size_t i = 0; i < n; i++) { sb_putc(o, d[p[i] >> 4]); sb_putc(o, d[p[i] & 15]); }
  sb_putc(o, '"');
}

/* The column names of a table, split once: "couple_id, id, ..." */
static int col_name(const char *cols, int i, char *out, size_t cap) {
  const char *p = cols;
  for (int k = 0; k < i; k++) {
    p = strchr(p, ',');
    if (!p) return -1;
    p += 2;
  }
  size_t n = strcspn(p, ",");
  if (n >= cap) return -1;
  memcpy(out, p, n);
  out[n] = 0;
  return 0;
}

/* How an integer column travels in the document: a time (ISO 8601), a day (YYYY-MM-DD), an
   ISO week, or a plain number. */
static char col_kind(const char *name) {
  size_t n = strlen(name);
  if (!strcmp(name, "at") || (n > 3 && !strcmp(name + n - 3, "_at"))) return 'T';
  if (!strcmp(name, "day") || (n > 4 && !strcmp(name + n - 4, "_day"))) return 'D';
  if (!strcmp(name, "week")) return 'W';
  return 'i';
}

static void put_int(sb_t *out, char kind, int64_t v) {
  char b[ISO_TIME_CHARS];
  switch (kind) {
    case 'T': iso_time(v, b); break;
    case 'D': day_format(v, b); break;
    case 'W': ci_week_format(v, b); break;
    default: sb_json(out, "%D", v); return;
  }
  sb_json(out, "%q", b);
}

/* An integer column from the document: a number in mend-export/1, its kind's text in /2. */
static int get_int(json_t *v, char kind, int v1, int64_t *out) {
  if (v1 || kind == 'i') {
    if (!json_is_integer(v)) return -1;
    *out = json_integer_value(v);
    return 0;
  }
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (!s) return -1;
  return kind == 'T' ? iso_time_parse(s, n, out) : kind == 'D' ? day_parse(s, n, out) : ci_week_parse(s, n, out);
}

static int export_table(db_t *db, const xtable *t, int64_t couple, int64_t viewer, const unsigned char *dk, sb_t *out) {
  db_stmt_t *st = db_prepare(db, t->select);
  if (!st) return -1;
  db_bind_int(st, 1, couple);
  if (t->uses_viewer) db_bind_int(st, 2, viewer);
  int ncols = (int)strlen(t->types), rc, n = 0, failed = 0;
  sb_json(out, "%q:[", t->name);
  while ((rc = db_step(st)) == DB_ROW) {
    const char *opened = NULL;
    char *buf = NULL;
    if (t->sealed >= 0 && db_col_bytes(st, t->sealed)) {
      /* a sealed row: only the viewer's own gets here; open it, or leave it out */
      size_t bn = db_col_bytes(st, t->sealed);
      if (!dk || db_col_int(st, t->author) != viewer || bn < SEAL_OVERHEAD || !(buf = malloc(bn - SEAL_OVERHEAD + 1)) ||
          seal_open(dk, t->kind, couple, db_col_int(st, t->id), db_col_blob(st, t->sealed), bn, buf) != 0) {
        free(buf);
        continue;
      }
      opened = buf;
    }
    sb_puts(out, n++ ? ",{" : "{");
    int first = 1;
    for (int c = 1; c < ncols; c++) { /* couple_id is the document's */
      char name[40];
      if (col_name(t->cols, c, name, sizeof name) != 0) { failed = 1; break; }
      sb_json(out, "%r%q:", first ? "" : ",", name);
      first = 0;
      if (opened && c == t->text) { sb_json(out, "%q", opened); continue; }
      if (opened && c == t->sealed) { sb_puts(out, "null"); continue; }
      if (db_col_is_null(st, c)) { sb_puts(out, "null"); continue; }
      switch (t->types[c]) {
        case 'i': put_int(out, col_kind(name), db_col_int(st, c)); break;
        case 't': sb_json(out, "%q", db_col_text(st, c)); break;
        default: hex(out, db_col_blob(st, c), db_col_bytes(st, c));
      }
    }
    if (opened) sb_puts(out, ",\"_sealed\":true");
    sb_putc(out, '}');
    if (buf) { sodium_memzero(buf, strlen(buf)); free(buf); }
  }
  db_reset(st);
  sb_putc(out, ']');
  return rc == DB_DONE && !failed ? 0 : -1;
}

int export_couple(db_t *db, int64_t couple, int64_t viewer, const unsigned char *dk, int64_t now, sb_t *out) {
  db_stmt_t *st = db_prepare(db, "SELECT created_at FROM couples WHERE id = $1");
  if (!st) return -1;
  db_bind_int(st, 1, couple);
  int rc = db_step(st);
  int64_t created = rc == DB_ROW ? db_col_int(st, 0) : 0;
  db_reset(st);
  if (rc != DB_ROW) return -1;
  char at[ISO_TIME_CHARS];
  iso_time(now, at);
  sb_json(out, "{\"format\":%q,\"exported_at\":%q,\"scope\":%q,\"exported_by\":", EXPORT_FORMAT, at,
          viewer ? "partner" : "operator");
  if (viewer) sb_json(out, "%D", viewer); else sb_puts(out, "null");
  sb_json(out, ",\"couple\":{\"id\":%D,\"created_at\":", couple);
  put_int(out, 'T', created);
  sb_puts(out, "},\"users\":[");
  st = db_prepare(db, "SELECT id, position, username, display_name, created_at, timezone, deleted_at FROM users "
                      "WHERE couple_id = $1 ORDER BY position");
  if (!st) return -1;
  db_bind_int(st, 1, couple);
  int n = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    sb_json(out, "%r{\"id\":%D,\"position\":%D,\"username\":%q,\"display_name\":%q,\"timezone\":%q,\"created_at\":",
            n++ ? "," : "", db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 5));
    put_int(out, 'T', db_col_int(st, 4));
    sb_puts(out, ",\"deleted_at\":");
    if (db_col_is_null(st, 6)) sb_puts(out, "null}");
    else {
      put_int(out, 'T', db_col_int(st, 6));
      sb_putc(out, '}');
    }
  }
  db_reset(st);
  if (rc != DB_DONE) return -1;
  sb_puts(out, "],\"tables\":{");
  for (int i = 0; i < NTABLES; i++) {
    if (i) sb_putc(out, ',');
    if (export_table(db, &tables[i], couple, viewer, dk, out) != 0) return -1;
  }
  sb_puts(out, "}}\n");
  return 0;
}

/* ---------- import ---------- */

static int unhex(const char *s, unsigned char *out, size_t cap, size_t *n) {
  size_t len = strlen(s);
  if (len % 2 || len / 2 > cap) return -1;
  for (size_t i = 0; i < len / 2; i++) {
    unsigned v = 0;
    for (int k = 0; k < 2; k++) {
      char c = s[2 * i + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
      else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
      else return -1;
    }
    out[i] = (unsigned char)v;
  }
  *n = len / 2;
  return 0;
}

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); out = code; goto done; } while (0)

static int insert_row(db_t *db, const xtable *t, int64_t couple, json_t *row, const unsigned char dks[2][SEAL_KEY],
                      const int64_t ids[2], int v1, char *err, size_t errlen) {
  int ncols = (int)strlen(t->types), out = 0;
  unsigned char *sealed = NULL, *blobs[16] = {0};
  db_stmt_t *st = db_prepare(db, t->insert);
  if (!st) FAIL(1, "%s: %s", t->name, db_errmsg(db));
  const char *words = NULL;
  size_t wn = 0, sn = 0;
  if (json_is_true(json_object_get(row, "_sealed"))) {
    if (t->sealed < 0) FAIL(2, "%s: a row marked sealed, in a table without private words", t->name);
    char name[40];
    col_name(t->cols, t->text, name, sizeof name);
    json_t *w = json_object_get(row, name), *a;
    col_name(t->cols, t->author, name, sizeof name);
    a = json_object_get(row, name);
    col_name(t->cols, t->id, name, sizeof name);
    json_t *id = json_object_get(row, name);
    int who = !json_is_integer(a) ? -1 : json_integer_value(a) == ids[0] ? 0 : json_integer_value(a) == ids[1] ? 1 : -1;
    if (!json_is_string(w) || who < 0 || !json_is_integer(id)) FAIL(2, "%s: a private row without its words, author or id", t->name);
    words = json_string_value(w);
    wn = json_string_length(w);
    sealed = malloc(wn + SEAL_OVERHEAD);
    if (!sealed) FAIL(1, "out of memory");
    seal_text(dks[who], t->kind, couple, json_integer_value(id), words, wn, sealed);
    sn = wn + SEAL_OVERHEAD;
  }
  db_bind_int(st, 1, couple);
  for (int c = 1; c < ncols; c++) {
    char name[40];
    col_name(t->cols, c, name, sizeof name);
    json_t *v = json_object_get(row, name);
    if (sealed && c == t->sealed) { db_bind_blob(st, c + 1, sealed, sn); continue; }
    if (sealed && c == t->text) { if (t->text_null) db_bind_null(st, c + 1); else db_bind_str(st, c + 1, ""); continue; }
    if (!v || json_is_null(v)) { db_bind_null(st, c + 1); continue; }
    switch (t->types[c]) {
      case 'i': {
        int64_t x;
        char kind = col_kind(name);
        if (get_int(v, kind, v1, &x) != 0)
          FAIL(2, "%s.%s: %s was expected", t->name, name, v1 || kind == 'i' ? "a number" : kind == 'T' ? "a time like 2026-11-25T21:00:00Z"
               : kind == 'D' ? "a day like 2026-11-25" : "a week like 2026-W48");
        db_bind_int(st, c + 1, x);
        break;
      }
      case 't':
        if (!json_is_string(v)) FAIL(2, "%s.%s: text was expected", t->name, name);
        db_bind_text(st, c + 1, json_string_value(v), json_string_length(v));
        break;
      default: {
        size_t bn;
        const char *hx = json_string_value(v);
        if (!hx || c >= 16 || !(blobs[c] = malloc(strlen(hx) / 2 + 1)) || unhex(hx, blobs[c], strlen(hx) / 2 + 1, &bn) != 0)
          FAIL(2, "%s.%s: bytes in hex were expected", t->name, name);
        db_bind_blob(st, c + 1, blobs[c], bn);
      }
    }
  }
  int rc = db_step(st);
  if (rc == DB_CONSTRAINT) FAIL(2, "%s: a row the database refuses (a duplicate, or one that belongs to nothing)", t->name);
  if (rc != DB_DONE) FAIL(1, "%s: %s", t->name, db_errmsg(db));
done:
  if (st) db_reset(st);
  if (sealed) { sodium_memzero(sealed, sn); free(sealed); }
  for (int i = 0; i < 16; i++) free(blobs[i]);
  return out;
}

int import_couple(db_t *db, const char *json, size_t n, import_result *res, char *err, size_t errlen) {
  memset(res, 0, sizeof *res);
  json_error_t je;
  int out = 0, began = 0;
  unsigned char dks[2][SEAL_KEY];
  int64_t ids[2] = {0, 0};
  json_t *doc = json_loadb(json, n, 0, &je);
  if (!doc) FAIL(2, "not JSON (line %d: %s)", je.line, je.text);
  const char *format = json_string_value(json_object_get(doc, "format"));
  if (!format || (strcmp(format, EXPORT_FORMAT) && strcmp(format, EXPORT_FORMAT_1)))
    FAIL(2, "not a mend export: \"format\" is not \"%s\"", EXPORT_FORMAT);
  int v1 = !strcmp(format, EXPORT_FORMAT_1);
  json_t *cp = json_object_get(doc, "couple"), *users = json_object_get(doc, "users"), *tbl = json_object_get(doc, "tables");
  json_t *cid = json_object_get(cp, "id");
  int64_t couple_at, user_at[2] = {0, 0}, deleted_at[2] = {0, 0};
  if (!json_is_integer(cid) || json_integer_value(cid) <= 0 || get_int(json_object_get(cp, "created_at"), 'T', v1, &couple_at) != 0)
    FAIL(2, "couple: an id and created_at are needed");
  if (!json_is_array(users) || json_array_size(users) < 1 || json_array_size(users) > 2) FAIL(2, "users: one or two partners are needed");
  if (!json_is_object(tbl)) FAIL(2, "tables: an object is needed");
  const char *tname;
  json_t *tv;
  json_object_foreach(tbl, tname, tv) {
    int known = 0;
    for (int i = 0; i < NTABLES; i++) known |= !strcmp(tables[i].name, tname);
    if (!known || !json_is_array(tv)) FAIL(2, "tables.%s: not a table this mend knows", tname);
  }
  int64_t couple = json_integer_value(cid);
  res->couple = couple;
  if (db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1", "i", couple) != 0)
    FAIL(2, "couple %lld is on this server already", (long long)couple);
  /* the partners: new temporary passwords, and new data keys under them (slow: argon2id) */
  char hashes[2][PWHASH_CHARS];
  unsigned char boxes[2][SEAL_KEYBOX];
  for (size_t i = 0; i < json_array_size(users); i++) {
    json_t *u = json_array_get(users, i);
    const char *un = json_string_value(json_object_get(u, "username"));
    json_t *uid = json_object_get(u, "id");
    json_t *del = json_object_get(u, "deleted_at");
    if (!un || !json_is_integer(uid) || !json_is_string(json_object_get(u, "display_name")) ||
        !json_is_integer(json_object_get(u, "position")) || get_int(json_object_get(u, "created_at"), 'T', v1, &user_at[i]) != 0 ||
        (del && !json_is_null(del) && get_int(del, 'T', v1, &deleted_at[i]) != 0))
      FAIL(2, "users[%zu]: id, position, username, display_name and created_at are needed", i);
    if (db_count(db, "SELECT COUNT(*) FROM users WHERE username = $1 OR id = $2", "si", un, json_integer_value(uid)) != 0)
      FAIL(2, "users[%zu]: the username \"%s\" (or its id) is taken on this server", i, un);
    ids[i] = json_integer_value(uid);
    snprintf(res->username[i], sizeof res->username[i], "%s", un);
    secret_invite_code(res->password[i]);
    if (secret_password_hash(res->password[i], strlen(res->password[i]), hashes[i]) != 0 ||
        seal_keybox_new(res->password[i], strlen(res->password[i]), dks[i], boxes[i]) != 0)
      FAIL(1, "could not secure the new passwords");
  }
  res->n = (int)json_array_size(users);
  if (db_begin(db) != DB_OK) FAIL(1, "%s", db_errmsg(db));
  began = 1;
  if (db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, $2)", "ii", couple, couple_at) != DB_DONE)
    FAIL(1, "couple: %s", db_errmsg(db));
  for (int i = 0; i < res->n; i++) {
    json_t *u = json_array_get(users, i), *del = json_object_get(u, "deleted_at");
    const char *tz = json_string_value(json_object_get(u, "timezone"));
    int rc = db_do(db,
        "INSERT INTO users (couple_id, id, position, username, display_name, password_hash, created_at, timezone, keybox) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", "iiisssisb", couple, ids[i],
        (int64_t)json_integer_value(json_object_get(u, "position")), res->username[i],
        json_string_value(json_object_get(u, "display_name")), hashes[i],
        user_at[i], tz ? tz : "UTC", boxes[i], (size_t)SEAL_KEYBOX);
    if (rc != DB_DONE) FAIL(rc == DB_CONSTRAINT ? 2 : 1, "users[%d]: the database refuses it", i);
    if (del && !json_is_null(del) &&
        db_do(db, "UPDATE users SET deleted_at = $3, password_hash = '' WHERE couple_id = $1 AND id = $2", "iii", couple, ids[i],
              deleted_at[i]) != DB_DONE)
      FAIL(1, "users[%d]: %s", i, db_errmsg(db));
  }
  for (int i = 0; i < NTABLES; i++) {
    json_t *rows = json_object_get(tbl, tables[i].name);
    size_t k;
    json_t *row;
    json_array_foreach(rows, k, row) {
      if (!json_is_object(row)) FAIL(2, "tables.%s[%zu]: a row is an object", tables[i].name, k);
      int rc = insert_row(db, &tables[i], couple, row, (const unsigned char(*)[SEAL_KEY])dks, ids, v1, err, errlen);
      if (rc) { out = rc; goto done; }
    }
  }
  if (db_commit(db) != DB_OK) FAIL(1, "%s", db_errmsg(db));
  began = 0;
done:
  if (began) db_rollback(db);
  sodium_memzero(dks, sizeof dks);
  json_decref(doc);
  return out;
}
