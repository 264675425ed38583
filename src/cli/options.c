/* options.c: the option parser shared by every command, and help. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_help(const char *cmd) {
  for (const cli_command_t *c = cli_commands; c->name; c++)
    if (!strcmp(c->name, cmd)) { fputs(c->usage, stdout); return; }
}

int cli_parse(const char *cmd, int argc, char **argv, cli_opts_t *o) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { cli_help(cmd); return -1; }
    if (strncmp(a, "--", 2) != 0 || !a[2]) {
      if (o->npos >= o->maxpos || o->npos >= 8) {
        fprintf(stderr, "mend %s: unexpected argument \"%s\"; see mend help %s\n", cmd, a, cmd);
        return EXIT_USAGE;
      }
      o->pos[o->npos++] = a;
      continue;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t nl = eq ? (size_t)(eq - name) : strlen(name);
    int found = -1, takes = 0;
    for (int k = 0; k < CLI_MAX_OPTS && o->specs[k]; k++) {
      size_t sl = strlen(o->specs[k]);
      int t = o->specs[k][sl - 1] == '=';
      if (sl - (size_t)t == nl && !strncmp(o->specs[k], name, nl)) { found = k; takes = t; break; }
    }
    if (found < 0) {
      fprintf(stderr, "mend %s: unknown option --%.*s; see mend help %s\n", cmd, (int)nl, name, cmd);
      return EXIT_USAGE;
    }
    if (takes) {
      if (eq) o->vals[found] = eq + 1;
      else if (i + 1 < argc) o->vals[found] = argv[++i];
      else { fprintf(stderr, "mend %s: --%.*s needs a value\n", cmd, (int)nl, name); return EXIT_USAGE; }
      if (!*o->vals[found]) { fprintf(stderr, "mend %s: --%.*s needs a value\n", cmd, (int)nl, name); return EXIT_USAGE; }
    } else {
      if (eq) { fprintf(stderr, "mend %s: --%.*s takes no value\n", cmd, (int)nl, name); return EXIT_USAGE; }
      o->vals[found] = "1";
    }
  }
  return 0;
}

const char *cli_opt(const cli_opts_t *o, const char *name) {
  size_t nl = strlen(name);
  for (int k = 0; k < CLI_MAX_OPTS && o->specs[k]; k++)
    if (!strncmp(o->specs[k], name, nl) && (o->specs[k][nl] == 0 || o->specs[k][nl] == '=')) return o->vals[k];
  return NULL;
}

int cli_db_target(const cli_opts_t *o, db_target_t *t) {
  const char *db = cli_opt(o, "db"), *pg = cli_opt(o, "pg");
  if (db && pg) { fprintf(stderr, "mend: give either --db or --pg, not both\n"); return EXIT_USAGE; }
  if (!db && !pg) {
    const char *edb = getenv("MEND_DB"), *epg = getenv("MEND_PG");
    if (epg && *epg && !(edb && *edb)) pg = epg;
    else if (edb && *edb && !(epg && *epg)) db = edb;
    else if (edb && *edb && epg && *epg) { fprintf(stderr, "mend: both MEND_DB and MEND_PG are set; unset one\n"); return EXIT_USAGE; }
  }
  t->path = pg ? NULL : (db ? db : "mend.db");
  t->conninfo = pg;
  return 0;
}

int cli_sqlite_file(const char *cmd, int argc, char **argv, cli_opts_t *o, db_target_t *t, const char *need_file,
                    const char *pg_tool) {
  *o = (cli_opts_t){.specs = {"db=", "pg="}, .maxpos = 1};
  int rc = cli_parse(cmd, argc, argv, o);
  if (rc) return rc;
  if ((rc = cli_db_target(o, t))) return rc;
  if (o->npos != 1) { fprintf(stderr, "mend %s: %s\n", cmd, need_file); return EXIT_USAGE; }
  if (t->conninfo) {
    fprintf(stderr, "mend %s: this is a PostgreSQL database; use %s (see README, Operations)\n", cmd, pg_tool);
    return EXIT_USAGE;
  }
  return 0;
}
