/* counsellor.c (cli): `mend counsellor add USERNAME --name NAME`, the operator's way to give a
   counsellor an account on this server (a practice's), and `mend counsellor list`. The new
   account's password is printed once; the counsellor logs in at /login with it and must
   choose their own before they see anything. */
#include "cli.h"
#include "core/secret.h"
#include "core/seal.h"
#include "core/validate.h"
#include "db/accounts.h"
#include "db/counsellors.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int add(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg=", "name="}, .maxpos = 1};
  int rc = cli_parse("counsellor add", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  if (o.npos != 1) { fprintf(stderr, "mend counsellor add: name the username: mend counsellor add USERNAME --name NAME\n"); return EXIT_USAGE; }
  user_t u;
  memset(&u, 0, sizeof u);
  const char *m = validate_username(o.pos[0], strlen(o.pos[0]), u.username);
  if (m) { fprintf(stderr, "mend counsellor add: the username: %s\n", m); return EXIT_USAGE; }
  const char *name = cli_opt(&o, "name");
  size_t start, len;
  if (!name) { fprintf(stderr, "mend counsellor add: --name wants the name couples see, like --name \"Dr. Ana Reyes\"\n"); return EXIT_USAGE; }
  if ((m = validate_display_name(name, strlen(name), &start, &len))) { fprintf(stderr, "mend counsellor add: --name: %s\n", m); return EXIT_USAGE; }
  snprintf(u.display_name, sizeof u.display_name, "%.*s", (int)len, name + start);
  char pw[INVITE_DISPLAY + 1], hash[PWHASH_CHARS];
  unsigned char dk[SEAL_KEY], box[SEAL_KEYBOX];
  secret_invite_code(pw);
  if (secret_password_hash(pw, strlen(pw), hash) != 0 || seal_keybox_new(pw, strlen(pw), dk, box) != 0) {
    fprintf(stderr, "mend counsellor add: cannot secure the password\n");
    return 1;
  }
  sodium_memzero(dk, sizeof dk);
  if (!t.conninfo && access(t.path, F_OK) != 0) { fprintf(stderr, "mend counsellor add: no database at %s (mend init makes one)\n", t.path); return EXIT_USAGE; }
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend counsellor add: %s\n", err); return 1; }
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "mend counsellor add: %s\n", err); db_close(db); return 1; }
  rc = counsellor_add(db, &u, hash, (int64_t)time(NULL));
  if (rc == DB_OK) rc = acct_set_keybox(db, u.couple_id, u.id, box);
  db_close(db);
  if (rc == DB_CONSTRAINT) { fprintf(stderr, "mend counsellor add: the username %s is taken\n", u.username); return EXIT_USAGE; }
  if (rc != DB_OK) { fprintf(stderr, "mend counsellor add: the account could not be saved\n"); return 1; }
  printf("mend: counsellor %s (%s) added. Their password, to give them once and safely; they choose their own at the first log-in:\n"
         "  %s\n", u.username, u.display_name, pw);
  return 0;
}

static void print_one(void *p, const void *row) {
  (void)p;
  const user_t *u = row;
  printf("%s\t%s\n", u->username, u->display_name);
}

static void read_one(db_stmt_t *st, void *row) {
  user_t *u = row;
  const char *n = db_col_text(st, 0), *d = db_col_text(st, 1);
  snprintf(u->username, sizeof u->username, "%s", n ? n : "");
  snprintf(u->display_name, sizeof u->display_name, "%s", d ? d : "");
}

static int list(int argc, char **argv) {
  cli_opts_t o = {.specs = {"db=", "pg="}};
  int rc = cli_parse("counsellor list", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  db_target_t t;
  if ((rc = cli_db_target(&o, &t))) return rc;
  if (!t.conninfo && access(t.path, F_OK) != 0) { fprintf(stderr, "mend counsellor list: no database at %s\n", t.path); return EXIT_USAGE; }
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend counsellor list: %s\n", err); return 1; }
  user_t u;
  rc = db_rows(db, "SELECT u.username, u.display_name FROM users u JOIN couples c ON c.id = u.couple_id WHERE c.counsellor = 1 "
                   "ORDER BY u.username", read_one, &u, print_one, NULL, "");
  db_close(db);
  if (rc != DB_OK) { fprintf(stderr, "mend counsellor list: the database could not be read\n"); return 1; }
  return 0;
}

int cmd_counsellor(int argc, char **argv) {
  if (argc >= 1 && !strcmp(argv[0], "add")) return add(argc - 1, argv + 1);
  if (argc >= 1 && !strcmp(argv[0], "list")) return list(argc - 1, argv + 1);
  if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) { cli_help("counsellor"); return 0; }
  fprintf(stderr, "mend counsellor: add USERNAME --name NAME, or list; see mend help counsellor\n");
  return EXIT_USAGE;
}
