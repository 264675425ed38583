/* data.c: the operator's commands for a couple's data: `mend report` (the counsellor's report
   as a standalone HTML file), `mend export` (their shared data, mend-export/2) and
   `mend import` (restores an export as a new couple, on this server or another engine). */
#include "cli.h"
#include "app/report.h"
#include "core/commitments.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/export.h"
#include "db/reports.h"
#include "util/embed.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --couple ID: 0 and a message when it is not a positive number. */
static int64_t couple_opt(const char *cmd, const cli_opts_t *o) {
  const char *c = cli_opt(o, "couple");
  char *end;
  long long v = c ? strtoll(c, &end, 10) : 0;
  if (!c || *end || v <= 0) {
    fprintf(stderr, "mend %s: --couple wants a couple id%s%s%s\n", cmd, c ? " (got \"" : "", c ? c : "", c ? "\")" : "");
    return 0;
  }
  return v;
}

static db_t *open_existing(const char *cmd, const db_target_t *t) {
  if (!t->conninfo && access(t->path, F_OK) != 0) { fprintf(stderr, "mend %s: no database at %s\n", cmd, t->path); return NULL; }
  char err[512];
  db_t *db = db_open(t, err, sizeof err);
  if (!db) fprintf(stderr, "mend %s: %s\n", cmd, err);
  return db;
}

static int couple_exists(db_t *db, int64_t couple) {
  return db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1", "i", couple) == 1;
}

int cmd_report(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg=", "couple=", "from=", "to="}};
  int rc = cli_parse("report", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  int64_t couple = couple_opt("report", &o), from, to;
  if (!couple) return EXIT_USAGE;
  const char *f = cli_opt(&o, "from"), *u = cli_opt(&o, "to");
  if (!f || day_parse(f, strlen(f), &from) != 0) { fprintf(stderr, "mend report: --from wants a date like 2026-10-01\n"); return EXIT_USAGE; }
  if (!u || day_parse(u, strlen(u), &to) != 0) { fprintf(stderr, "mend report: --to wants a date like 2026-11-30\n"); return EXIT_USAGE; }
  if (from > to || to - from >= REPORT_DAYS_MAX) { fprintf(stderr, "mend report: the period runs from --from to --to, a year at most\n"); return EXIT_USAGE; }
  /* as the app refuses it: a report ends today at the latest (the server's day, UTC) */
  if (to > day_of((int64_t)time(NULL))) { fprintf(stderr, "mend report: --to is in the future; a report ends today at the latest\n"); return EXIT_USAGE; }
  db_t *db = open_existing("report", &t);
  if (!db) return EXIT_USAGE;
  if (!couple_exists(db, couple)) { fprintf(stderr, "mend report: there is no couple %lld\n", (long long)couple); db_close(db); return EXIT_USAGE; }
  sb_t body, doc;
  sb_init(&body, 16384);
  sb_init(&doc, 32768);
  int64_t now = (int64_t)time(NULL), id = secret_id();
  /* the couple sees that a report was made, and by whom: here, the operator */
  arena_heap mem;
  arena_heap_init(&mem);
  int ok = report_build(db, couple, from, to, now, "whoever runs this server", &mem.base, &body) == 0 &&
           reports_add(db, couple, id, 0, now, from, to, body.buf) == DB_OK;
  arena_heap_free(&mem);
  db_close(db);
  if (ok) {
    const struct embed_file *css = embed_find(embed_static, "report.css", 10);
    report_document(&doc, body.buf, css ? (const char *)css->data : "");
    ok = fwrite(doc.buf, 1, doc.len, stdout) == doc.len && fflush(stdout) == 0;
  } else {
    fprintf(stderr, "mend report: the database could not be read\n");
  }
  sb_free(&body);
  sb_free(&doc);
  return ok ? 0 : 1;
}

int cmd_export(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg=", "couple="}};
  int rc = cli_parse("export", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  int64_t couple = couple_opt("export", &o);
  if (!couple) return EXIT_USAGE;
  db_t *db = open_existing("export", &t);
  if (!db) return EXIT_USAGE;
  if (!couple_exists(db, couple)) { fprintf(stderr, "mend export: there is no couple %lld\n", (long long)couple); db_close(db); return EXIT_USAGE; }
  sb_t out;
  sb_init(&out, 65536);
  /* the operator's export: shared data only; private entries stay sealed, and out of it */
  int ok = export_couple(db, couple, 0, NULL, (int64_t)time(NULL), &out) == 0;
  db_close(db);
  if (ok) ok = fwrite(out.buf, 1, out.len, stdout) == out.len && fflush(stdout) == 0;
  else fprintf(stderr, "mend export: the database could not be read\n");
  sb_free(&out);
  return ok ? 0 : 1;
}

int cmd_import(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg="}, .maxpos = 1};
  int rc = cli_parse("import", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  if (o.npos != 1) { fprintf(stderr, "mend import: usage: mend import FILE [--db PATH | --pg CONNINFO]\n"); return EXIT_USAGE; }
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  FILE *f = strcmp(o.pos[0], "-") ? fopen(o.pos[0], "rb") : stdin;
  if (!f) { fprintf(stderr, "mend import: cannot read %s\n", o.pos[0]); return EXIT_USAGE; }
  sb_t in;
  sb_init(&in, 65536);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_put(&in, buf, n);
  if (f != stdin) fclose(f);
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend import: %s\n", err); sb_free(&in); return EXIT_USAGE; }
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "mend import: %s\n", err); db_close(db); sb_free(&in); return 1; }
  import_result r;
  rc = import_couple(db, in.buf, in.len, &r, err, sizeof err);
  db_close(db);
  sb_free(&in);
  if (rc) {
    fprintf(stderr, "mend import: %s; nothing was imported\n", err);
    return rc == 2 ? EXIT_USAGE : 1;
  }
  printf("mend import: restored couple %lld with %d partner%s. Each logs in with a temporary password and changes it:\n",
         (long long)r.couple, r.n, r.n == 1 ? "" : "s");
  for (int i = 0; i < r.n; i++) printf("  %s  %s\n", r.username[i], r.password[i]);
  return 0;
}
