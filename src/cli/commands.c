/* commands.c: the operator's commands: init, backup, seed, verify, version, help. */
#include "cli.h"
#include "core/secret.h"
#include "db/seed.h"
#include "db/ledger.h"
#include "db/reminders.h"
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MEND_VERSION
#define MEND_VERSION "0.1.0"
#endif

int cli_positive(const char *cmd, const char *opt, const char *v, int *out) {
  if (!v) return 0;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || n < 1 || n > 100000) {
    fprintf(stderr, "mend %s: --%s wants a positive number (got \"%s\")\n", cmd, opt, v);
    return EXIT_USAGE;
  }
  *out = (int)n;
  return 0;
}

int cmd_init(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg="}};
  int rc = cli_parse("init", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend init: %s\n", err); return 1; }
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "mend init: %s\n", err); db_close(db); return 1; }
  unsigned char priv[WP_PRIVATE], pub[WP_PUBLIC];
  if (rem_vapid(db, priv, pub, (int64_t)time(NULL)) != DB_OK) {
    fprintf(stderr, "mend init: cannot make the server's VAPID key: %s\n", db_errmsg(db));
    db_close(db);
    return 1;
  }
  explicit_bzero(priv, sizeof priv);
  printf("mend: database ready (%s, schema version %d)\n", t.conninfo ? "PostgreSQL" : t.path, db_schema_version(db));
  db_close(db);
  return 0;
}

/* The key browsers subscribe with; made (and the schema brought up to date) when missing. */
int cmd_vapid(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg="}};
  int rc = cli_parse("vapid", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend vapid: %s\n", err); return 1; }
  unsigned char priv[WP_PRIVATE], pub[WP_PUBLIC];
  if (db_migrate(db, err, sizeof err) != DB_OK || rem_vapid(db, priv, pub, (int64_t)time(NULL)) != DB_OK) {
    fprintf(stderr, "mend vapid: %s\n", *err ? err : db_errmsg(db));
    db_close(db);
    return 1;
  }
  explicit_bzero(priv, sizeof priv);
  db_close(db);
  char key[WP_PUBLIC * 2];
  wp_b64_encode(pub, WP_PUBLIC, key, sizeof key);
  printf("%s\n", key);
  return 0;
}

int cmd_backup(int argc, char **argv) {
  cli_opts_t o;
  db_target_t t;
  int rc = cli_sqlite_file("backup", argc, argv, &o, &t, "say where to write the copy: mend backup FILE", "pg_dump");
  if (rc) return rc < 0 ? 0 : rc;
  if (access(o.pos[0], F_OK) == 0) { fprintf(stderr, "mend backup: %s exists already; choose a new file name\n", o.pos[0]); return EXIT_USAGE; }
  if (access(t.path, F_OK) != 0) { fprintf(stderr, "mend backup: no database at %s\n", t.path); return EXIT_USAGE; }
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend backup: %s\n", err); return 1; }
  rc = db_backup(db, o.pos[0], err, sizeof err);
  db_close(db);
  if (rc != DB_OK) { fprintf(stderr, "mend backup: %s\n", err); unlink(o.pos[0]); return 1; }
  printf("mend: backup written to %s\n", o.pos[0]);
  return 0;
}

int cmd_version(int argc, char **argv) {
  if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) { cli_help("version"); return 0; }
  if (argc > 0) { fprintf(stderr, "mend version: takes no arguments\n"); return EXIT_USAGE; }
  printf("mend %s\n", MEND_VERSION);
  return 0;
}

int cmd_help(int argc, char **argv) {
  if (argc > 1) { fprintf(stderr, "mend help: name one command\n"); return EXIT_USAGE; }
  if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) { cli_help("help"); return 0; }
  if (argc == 1) {
    for (const cli_command_t *c = cli_commands; c->name; c++)
      if (!strcmp(c->name, argv[0])) { fputs(c->usage, stdout); return 0; }
    fprintf(stderr, "mend help: unknown command \"%s\"\n", argv[0]);
    return EXIT_USAGE;
  }
  printf("mend: a private companion for a couple rebuilding trust\n\nusage: mend COMMAND [options]\n\ncommands:\n");
  for (const cli_command_t *c = cli_commands; c->name; c++) printf("  %-10s %s\n", c->name, c->summary);
  printf("\nmend help COMMAND, or mend COMMAND --help, explains one command.\n");
  return 0;
}

static void seed_progress(int done) { fprintf(stderr, "mend seed: %d couples\n", done); }

int cmd_seed(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg=", "couples=", "years=", "password=", "counsellors="}};
  int rc = cli_parse("seed", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  int couples = 10, years = 1, counsellors = 0;
  if ((rc = cli_positive("seed", "couples", cli_opt(&o, "couples"), &couples)) ||
      (rc = cli_positive("seed", "years", cli_opt(&o, "years"), &years)) ||
      (rc = cli_positive("seed", "counsellors", cli_opt(&o, "counsellors"), &counsellors)))
    return rc;
  if (years > 50) { fprintf(stderr, "mend seed: --years wants 1 to 50\n"); return EXIT_USAGE; }
  const char *pw = cli_opt(&o, "password");
  if (!pw) pw = "seed password";
  char err[512], hash[PWHASH_CHARS];
  seal_kek_t kek;
  if (secret_password_hash(pw, strlen(pw), hash) != 0 || seal_kek_derive(pw, strlen(pw), &kek) != 0) {
    fprintf(stderr, "mend seed: cannot hash the password\n");
    return 1;
  }
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend seed: %s\n", err); return 1; }
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "mend seed: %s\n", err); db_close(db); return 1; }
  /* made-up data can be made again: no flush to disk after every transaction */
  if (db_engine(db) == DB_SQLITE) db_exec(db, "PRAGMA synchronous=OFF");
  if (seed_run(db, t.conninfo ? &t : NULL, couples, years, (int64_t)time(NULL), hash, &kek, seed_progress) != 0) {
    fprintf(stderr, "mend seed: could not add the couples (do seed users exist already?): %s\n", db_errmsg(db));
    db_close(db);
    return 1;
  }
  /* a practice: each counsellor let in by 40 of the couples, in turn */
  if (counsellors && seed_counsellors(db, counsellors, 40, couples, (int64_t)time(NULL), hash, &kek) != 0) {
    fprintf(stderr, "mend seed: could not add the counsellors: %s\n", db_errmsg(db));
    db_close(db);
    return 1;
  }
  db_close(db);
  printf("mend: seeded %d couples with %d year%s of history; users seed1a, seed1b, ... password \"%s\"\n",
         couples, years, years == 1 ? "" : "s", pw);
  if (counsellors) printf("mend: and %d counsellors, seedc1 ... (the same password), each let in by 40 couples\n", counsellors);
  return 0;
}

int cmd_verify(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg=", "couple="}};
  int rc = cli_parse("verify", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  int64_t couple = 0;
  const char *c = cli_opt(&o, "couple");
  if (c) {
    char *end;
    long long v = strtoll(c, &end, 10);
    if (*end || v <= 0) { fprintf(stderr, "mend verify: --couple wants a couple id (got \"%s\")\n", c); return EXIT_USAGE; }
    couple = v;
  }
  if (!t.conninfo && access(t.path, F_OK) != 0) { fprintf(stderr, "mend verify: no database at %s\n", t.path); return EXIT_USAGE; }
  char err[512], problem[512] = "";
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend verify: %s\n", err); return EXIT_USAGE; }
  if (couple && db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1", "i", couple) != 1) {
    fprintf(stderr, "mend verify: there is no couple %lld\n", (long long)couple);
    db_close(db);
    return EXIT_USAGE;
  }
  long entries = 0;
  rc = ledger_verify(db, couple, problem, sizeof problem, &entries);
  db_close(db);
  if (rc < 0) { fprintf(stderr, "mend verify: the database could not be read\n"); return 1; }
  if (rc > 0) { printf("mend verify: BROKEN: %s\n", problem); return 1; }
  printf("mend verify: intact (%ld ledger entr%s checked)\n", entries, entries == 1 ? "y" : "ies");
  return 0;
}
