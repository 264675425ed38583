/* restore.c: `mend restore BACKUP --db PATH`, the one safe way back to a backup. A copy over
   the live file by hand can replay a crash's stale WAL onto the backup and corrupt it; this
   refuses while a server holds the database, checks the backup (integrity and every couple's
   ledger) before touching anything, removes the stale WAL and shared-memory files, and puts
   the backup in place atomically (a rename). */
#include "cli.h"
#include "db/ledger.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy_file(const char *from, const char *to, char *err, size_t errlen) {
  int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ok = 0;
  if (in < 0) { snprintf(err, errlen, "cannot read %s: %s", from, strerror(errno)); return -1; }
  out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) { snprintf(err, errlen, "cannot write %s: %s", to, strerror(errno)); close(in); return -1; }
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) break;
  ok = n == 0 && fsync(out) == 0;
  if (!ok) snprintf(err, errlen, "cannot copy %s to %s: %s", from, to, strerror(errno));
  close(in);
  if (close(out) != 0) ok = 0;
  return ok ? 0 : -1;
}

/* Opens the copy and checks it as mend would serve it; 0 when sound. */
static int check_copy(const char *path, char *err, size_t errlen, long *entries) {
  db_target_t t = {path, NULL};
  db_t *db = db_open(&t, err, errlen);
  if (!db) return -1;
  int rc = -1;
  char problem[256];
  if (db_quick_check(db, 1, problem, sizeof problem) != DB_OK)
    snprintf(err, errlen, "the backup is damaged: %s", problem);
  else if (db_count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'", "") != 1)
    snprintf(err, errlen, "this is not a mend database");
  else {
    int v = ledger_verify(db, 0, problem, sizeof problem, entries);
    if (v < 0) snprintf(err, errlen, "the backup's ledger could not be read");
    else if (v > 0) snprintf(err, errlen, "the backup's ledger is broken: %s", problem);
    else rc = 0;
  }
  db_close(db);
  return rc;
}

/* path with a suffix, or NULL */
static char *beside(const char *path, const char *suffix) {
  size_t n = strlen(path) + strlen(suffix) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s", path, suffix);
  return s;
}

int cmd_restore(int argc, char **argv) {
  cli_opts_t o;
  db_target_t t;
  int rc = cli_sqlite_file("restore", argc, argv, &o, &t, "name the backup: mend restore BACKUP --db PATH", "pg_restore");
  if (rc) return rc < 0 ? 0 : rc;
  const char *backup = o.pos[0];
  if (access(backup, R_OK) != 0) { fprintf(stderr, "mend restore: no backup at %s\n", backup); return EXIT_USAGE; }
  /* nobody may use the database while it is replaced */
  int hold = db_sqlite_hold(t.path, 1);
  if (hold == -1) {
    fprintf(stderr, "mend restore: a mend server is using %s: stop it first (nothing was changed)\n", t.path);
    return 1;
  }
  char pid[32];
  snprintf(pid, sizeof pid, ".restore-%ld", (long)getpid());
  char *tmp = beside(t.path, pid), *wal = beside(t.path, "-wal"), *shm = beside(t.path, "-shm");
  char *twal = tmp ? beside(tmp, "-wal") : NULL, *tshm = tmp ? beside(tmp, "-shm") : NULL;
  if (!tmp || !wal || !shm || !twal || !tshm) { fprintf(stderr, "mend restore: out of memory\n"); return 1; }
  char err[512];
  long entries = 0;
  rc = 1;
  if (copy_file(backup, tmp, err, sizeof err) != 0 || check_copy(tmp, err, sizeof err, &entries) != 0) {
    fprintf(stderr, "mend restore: %s (nothing was changed)\n", err);
  } else {
    /* the checks may have left a WAL of their own beside the copy: it is part of nothing */
    unlink(twal);
    unlink(tshm);
    /* a crash's leftovers would be replayed onto the backup: they go first */
    if ((unlink(wal) != 0 && errno != ENOENT) || (unlink(shm) != 0 && errno != ENOENT) || rename(tmp, t.path) != 0) {
      fprintf(stderr, "mend restore: cannot put the backup in place: %s\n", strerror(errno));
    } else {
      printf("mend: %s restored from %s (integrity ok, %ld ledger entr%s intact); start mend serve again\n", t.path,
             backup, entries, entries == 1 ? "y" : "ies");
      rc = 0;
    }
  }
  unlink(tmp);
  if (hold >= 0) close(hold);
  free(tmp);
  free(wal);
  free(shm);
  free(twal);
  free(tshm);
  return rc;
}
