/* main.c: the one command table of mend. The same binary is the server and the operator's
   command line: `mend serve`, `mend init`, `mend backup`, `mend help`. */
#include "cli/cli.h"
#include "serve.h"
#include "core/secret.h"
#include "util/i18n.h"
#include <stdio.h>
#include <string.h>

#define DB_OPTS \
  "  --db PATH        SQLite database file (env MEND_DB; default ./mend.db)\n" \
  "  --pg CONNINFO    PostgreSQL connection string instead (env MEND_PG)\n"

const cli_command_t cli_commands[] = {
  {"serve", cmd_serve, "run the web server",
   "usage: mend serve [--listen ADDR:PORT] [--db PATH | --pg CONNINFO] [options]\n\n"
   "Serves the web app and the JSON API. Stops gracefully on SIGTERM or Ctrl-C.\n\n"
   "  --listen ADDR:PORT  where to listen (env MEND_LISTEN; default 127.0.0.1:8080)\n" DB_OPTS
   "  --tls-cert FILE     serve HTTPS (and HTTP/2) with this certificate chain (env MEND_TLS_CERT)\n"
   "  --tls-key FILE      ... and this private key (env MEND_TLS_KEY)\n"
   "  --trust-proxy       believe X-Forwarded-For/-Proto from a reverse proxy (env MEND_TRUST_PROXY=1)\n"
   "  --base-url URL      public address used in invite links (env MEND_BASE_URL)\n"
   "  --loops N           event loops (default: one per core)\n"
   "  --hash-workers N    password hashing threads (default 1; each adds 19 MiB while hashing)\n"
   "  --db-threads N      PostgreSQL: threads that run requests, each with its own connection\n"
   "                      (default 2 per loop, at least 4)\n"
   "  --max-conns N       open connections per loop (default 1024)\n"
   "  --max-conns-per-addr N  open connections per client address (default 64)\n"
   "  --signup-limit N    new accounts per client address and hour (default 10)\n"
   "  --metrics-listen ADDR:PORT  serve /metrics there only (env MEND_METRICS_LISTEN; default off)\n"
   "  --write-timeout S   seconds a client has to read a large response (default 60)\n"
   "  --share-port        let another server listen on the same address (a restart without a gap);\n"
   "                      without it, an address in use is an error\n"
   "  --sweep-every S     seconds between removals of expired sessions and invites (default 600)\n"
   "  --push-every S      seconds between rounds of reminders pushed to browsers (default 30)\n"
   "  --push-hosts LIST   push services sent to, comma-separated, *.domain allowed (env MEND_PUSH_HOSTS;\n"
   "                      default the browsers': fcm.googleapis.com, updates.push.services.mozilla.com,\n"
   "                      *.push.apple.com, *.notify.windows.com)\n"
   "  --push-contact URI  how a push service reaches you, mailto: or https: (env MEND_PUSH_CONTACT)\n"
   "  --smtp URL          reminders by e-mail too, through smtp[s]://[user:password@]host[:port]\n"
   "                      (STARTTLS required but to a loopback host; env MEND_SMTP)\n"
   "  --smtp-from ADDR    the address they come from (env MEND_SMTP_FROM)\n"
   "  --language CODE     mend's words for whoever chose no language and whose browser asks for\n"
   "                      none of mend's: en, de, fr or es (env MEND_LANGUAGE; default en)\n"
   "  --crisis-file F     who to reach in a crisis where you are, a line each, shown on the\n"
   "                      guidance page (env MEND_CRISIS_FILE)\n"},
  {"init", cmd_init, "create the database or bring its schema up to date",
   "usage: mend init [--db PATH | --pg CONNINFO]\n\n"
   "Creates the database if needed and applies every migration this mend knows.\n\n" DB_OPTS},
  {"vapid", cmd_vapid, "show the key browsers subscribe to reminders with",
   "usage: mend vapid [--db PATH | --pg CONNINFO]\n\n"
   "Prints the server's VAPID public key (RFC 8292, base64url), which a browser subscribes to Web\n"
   "Push reminders with; makes it when the database has none (mend init and mend serve do too).\n"
   "Every server on one database shares it.\n\n" DB_OPTS},
  {"backup", cmd_backup, "copy a live SQLite database into a new file",
   "usage: mend backup FILE [--db PATH]\n\n"
   "Writes a consistent copy of the SQLite database to FILE (which must not exist) while the\n"
   "server keeps running. For PostgreSQL use pg_dump.\n\n" DB_OPTS},
  {"restore", cmd_restore, "put a backup back in place of a SQLite database",
   "usage: mend restore BACKUP [--db PATH]\n\n"
   "Replaces the database with BACKUP (made by mend backup). Refuses while a server uses the\n"
   "database; checks the backup's integrity and every couple's ledger first and changes nothing\n"
   "when a check fails; removes the WAL a crash may have left, which would otherwise be replayed\n"
   "onto the backup. Stop the server, restore, start it again. For PostgreSQL use pg_restore.\n\n" DB_OPTS},
  {"coach", cmd_coach, "check an apology or a message for what helps and what hurts",
   "usage: mend coach [--kind apology|message] [--lang en|de|fr|es] [--json] < TEXT\n\n"
   "Reads a text (UTF-8, up to 64 KiB) on standard input. For an apology it shows which parts of\n"
   "a full apology are there (regret, responsibility, specific_harm, empathy, change, repair,\n"
   "forgiveness_request); for both kinds, the patterns that tend to undermine it, with the words\n"
   "that showed them and why they matter. It never rewrites your words.\n\n"
   "  --kind K   apology (default) or message\n"
   "  --lang L   the language the text is written in, read with that language's rules and\n"
   "             answered in it: en (default), de, fr or es\n"
   "  --json     the result as JSON (spans are byte offsets into the input)\n"},
  {"verify", cmd_verify, "check that no couple's ledger was rewritten",
   "usage: mend verify [--couple ID] [--db PATH | --pg CONNINFO]\n\n"
   "Walks every couple's ledger (or one couple's) and checks each entry's seal and its link to\n"
   "the one before. Exits 0 when every chain is intact; when an entry was changed or removed in\n"
   "the database by hand, exits 1 and names the first broken entry.\n\n"
   "  --couple ID  check one couple only\n" DB_OPTS},
  {"report", cmd_report, "write a couple's report for a counsellor as an HTML file",
   "usage: mend report --couple ID --from DATE --to DATE [--db PATH | --pg CONNINFO] > report.html\n\n"
   "Writes the counsellor's report of the couple's shared data from DATE to DATE (YYYY-MM-DD, a\n"
   "year at most) as one standalone HTML page. Private entries are never in it. Both partners\n"
   "see in mend that the operator made a report, and when.\n\n" DB_OPTS},
  {"export", cmd_export, "write a couple's shared data as JSON (mend-export/2)",
   "usage: mend export --couple ID [--db PATH | --pg CONNINFO] > couple.json\n\n"
   "Writes everything the couple shares as one JSON document (docs/export.md). Private entries\n"
   "are sealed with their author's password and stay out of it: a partner's own export, from\n"
   "the account page or GET /api/v1/export, holds theirs.\n\n" DB_OPTS},
  {"import", cmd_import, "restore an export as a new couple",
   "usage: mend import FILE [--db PATH | --pg CONNINFO]\n\n"
   "Restores a mend-export/2 (or /1) document (FILE, or - for standard input) as a new couple, with its\n"
   "ids, on this database, SQLite or PostgreSQL alike. Each partner gets a temporary password,\n"
   "printed here, to log in with and change. Nothing changes when the import fails.\n\n" DB_OPTS},
  {"counsellor", cmd_counsellor, "give a counsellor an account, or list them",
   "usage: mend counsellor add USERNAME --name NAME [--db PATH | --pg CONNINFO]\n"
   "       mend counsellor list [--db PATH | --pg CONNINFO]\n\n"
   "add makes a counsellor's account on this server and prints its password once: give it to\n"
   "them safely; they log in at /login and choose their own before anything else. A counsellor\n"
   "has no couple of their own and sees nothing until a couple invites them and both partners\n"
   "agree. list prints each counsellor's username and name.\n\n"
   "  --name NAME  the name couples see (\"Dr. Ana Reyes\")\n" DB_OPTS},
  {"seed", cmd_seed, "fill a database with made-up couples (for benchmarks)",
   "usage: mend seed [--couples N] [--years Y] [--counsellors C] [--password PW] [--db PATH | --pg CONNINFO]\n\n"
   "Adds N couples (default 10), users seed1a/seed1b ..., with Y years (default 1) of history\n"
   "of every kind mend stores, and C counsellors (default none), seedc1 ..., each let in by 40\n"
   "of the couples in turn. All share one password (default \"seed password\").\n\n" DB_OPTS},
  {"routes", cmd_routes, "list every address the server answers, with its rules",
   "usage: mend routes\n\n"
   "Prints each route of the web app and the JSON API: method, path pattern, flags (auth: needs\n"
   "a session; csrf: a form that must carry its token; body: reads a JSON object or a form;\n"
   "secret-path: the path holds a secret and is never logged; ops: no session or database;\n"
   "static: a file of ours) and the name its metrics go by.\n"},
  {"version", cmd_version, "print the version", "usage: mend version\n"},
  {"help", cmd_help, "explain a command", "usage: mend help [COMMAND]\n"},
  {NULL, NULL, NULL, NULL},
};

int main(int argc, char **argv) {
  if (secret_init() != 0) { fprintf(stderr, "mend: cannot initialise libsodium\n"); return 1; }
  i18n_init(NULL);
  if (argc < 2) { cmd_help(0, NULL); return EXIT_USAGE; }
  const char *name = argv[1];
  if (!strcmp(name, "--help") || !strcmp(name, "-h")) return cmd_help(0, NULL);
  if (!strcmp(name, "--version")) return cmd_version(0, NULL);
  for (const cli_command_t *c = cli_commands; c->name; c++)
    if (!strcmp(c->name, name)) return c->run(argc - 2, argv + 2);
  fprintf(stderr, "mend: unknown command \"%s\"; see mend help\n", name);
  return EXIT_USAGE;
}
