/* cli.h: the command table of the mend binary and the small option parser each command
   uses. Bad arguments print what is wrong and exit 2. */
#ifndef MEND_CLI_H
#define MEND_CLI_H
#include "db/db.h"

#define EXIT_USAGE 2

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
  const char *usage; /* full help text */
} cli_command_t;

extern const cli_command_t cli_commands[];

/* Options: each spec is "name" for a flag or "name=" for one taking a value. Values land in
   vals[i] (flags get "1"); positionals in pos. Returns 0, or prints the problem and returns
   EXIT_USAGE; returns -1 when --help was asked (help printed). */
#define CLI_MAX_OPTS 24
typedef struct {
  const char *specs[CLI_MAX_OPTS];
  const char *vals[CLI_MAX_OPTS];
  const char *pos[8];
  int npos, maxpos;
} cli_opts_t;
int cli_parse(const char *cmd, int argc, char **argv, cli_opts_t *o);
const char *cli_opt(const cli_opts_t *o, const char *name);
/* --db / --pg with MEND_DB / MEND_PG; default ./mend.db. Returns 0 or EXIT_USAGE. */
int cli_db_target(const cli_opts_t *o, db_target_t *t);
void cli_help(const char *cmd);
/* A whole number from 1 to 100000 for --opt into *out (untouched when v is NULL); 0, or EXIT_USAGE. */
int cli_positive(const char *cmd, const char *opt, const char *v, int *out);
/* The shape of backup and restore: one FILE and a SQLite --db. Parses into o and t; returns 0,
   -1 when help was shown, or EXIT_USAGE after saying `need_file` or pointing a PostgreSQL
   user to `pg_tool`. */
int cli_sqlite_file(const char *cmd, int argc, char **argv, cli_opts_t *o, db_target_t *t, const char *need_file,
                    const char *pg_tool);

int cmd_init(int argc, char **argv);
int cmd_counsellor(int argc, char **argv);
int cmd_vapid(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_coach(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
