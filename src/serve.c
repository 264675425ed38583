/* serve.c: the two commands that start or describe the web server. They join the command
   line's option parser (cli/) to the server (web/), so neither of those two includes the other. */
#include "serve.h"
#include "cli/cli.h"
#include "web/server.h"
#include "core/validate.h"
#include "util/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *v, const char *env) {
  if (v) return v;
  const char *e = getenv(env);
  return e && *e ? e : NULL;
}

/* The operator's crisis lines (--crisis-file): plain UTF-8 text, a line each ("Samaritans:
   116 123"), shown on the guidance page; NULL, said why, when it cannot be used. */
static char *read_crisis(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "mend serve: --crisis-file: cannot read %s\n", path); return NULL; }
  char *buf = malloc(8193);
  size_t n = buf ? fread(buf, 1, 8193, f) : 0;
  int more = !feof(f);
  fclose(f);
  if (!buf) return NULL;
  buf[n > 8192 ? 8192 : n] = 0;
  if (more || n > 8192 || utf8_count(buf, n, 1) < 0) {
    fprintf(stderr, "mend serve: --crisis-file wants plain UTF-8 text of up to 8 KiB, a line for each number (%s)\n", path);
    free(buf);
    return NULL;
  }
  return buf;
}

int cmd_serve(int argc, char **argv) {
  cli_opts_t o = {.specs = {"listen=", "db=", "pg=", "tls-cert=", "tls-key=", "trust-proxy", "base-url=",
                            "loops=", "hash-workers=", "db-threads=", "max-conns=", "max-conns-per-addr=",
                            "signup-limit=", "metrics-listen=", "write-timeout=", "share-port", "sweep-every=",
                            "push-every=", "push-hosts=", "push-contact=", "smtp=", "smtp-from=", "crisis-file=", "language="}};
  int rc = cli_parse("serve", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  if ((rc = cli_db_target(&o, &g_conf.db))) return rc;
  g_conf.listen = env_or(cli_opt(&o, "listen"), "MEND_LISTEN");
  if (!g_conf.listen) g_conf.listen = "127.0.0.1:8080";
  g_conf.tls_cert = env_or(cli_opt(&o, "tls-cert"), "MEND_TLS_CERT");
  g_conf.tls_key = env_or(cli_opt(&o, "tls-key"), "MEND_TLS_KEY");
  const char *tp = env_or(cli_opt(&o, "trust-proxy"), "MEND_TRUST_PROXY");
  g_conf.trust_proxy = tp && strcmp(tp, "0") != 0;
  g_conf.share_port = cli_opt(&o, "share-port") != NULL;
  g_conf.base_url = env_or(cli_opt(&o, "base-url"), "MEND_BASE_URL");
  if ((rc = cli_positive("serve", "loops", cli_opt(&o, "loops"), &g_conf.loops)) ||
      (rc = cli_positive("serve", "hash-workers", cli_opt(&o, "hash-workers"), &g_conf.hash_workers)) ||
      (rc = cli_positive("serve", "db-threads", cli_opt(&o, "db-threads"), &g_conf.db_threads)) ||
      (rc = cli_positive("serve", "max-conns", cli_opt(&o, "max-conns"), &g_conf.max_conns)) ||
      (rc = cli_positive("serve", "max-conns-per-addr", cli_opt(&o, "max-conns-per-addr"), &g_conf.max_conns_per_addr)) ||
      (rc = cli_positive("serve", "signup-limit", cli_opt(&o, "signup-limit"), &g_conf.signup_limit)) ||
      (rc = cli_positive("serve", "write-timeout", cli_opt(&o, "write-timeout"), &g_conf.write_timeout)) ||
      (rc = cli_positive("serve", "sweep-every", cli_opt(&o, "sweep-every"), &g_conf.sweep_every)) ||
      (rc = cli_positive("serve", "push-every", cli_opt(&o, "push-every"), &g_conf.push_every)))
    return rc;
  g_conf.metrics_listen = env_or(cli_opt(&o, "metrics-listen"), "MEND_METRICS_LISTEN");
  g_conf.push_hosts = env_or(cli_opt(&o, "push-hosts"), "MEND_PUSH_HOSTS");
  g_conf.push_contact = env_or(cli_opt(&o, "push-contact"), "MEND_PUSH_CONTACT");
  g_conf.smtp_url = env_or(cli_opt(&o, "smtp"), "MEND_SMTP");
  g_conf.smtp_from = env_or(cli_opt(&o, "smtp-from"), "MEND_SMTP_FROM");
  if (g_conf.smtp_url && (strncmp(g_conf.smtp_url, "smtp://", 7) && strncmp(g_conf.smtp_url, "smtps://", 8))) {
    fprintf(stderr, "mend serve: --smtp wants smtp://HOST[:PORT] or smtps://HOST[:PORT] (got \"%s\")\n", g_conf.smtp_url);
    return EXIT_USAGE;
  }
  if (g_conf.smtp_url && (!g_conf.smtp_from || !strchr(g_conf.smtp_from, '@') || strpbrk(g_conf.smtp_from, "<>\r\n \""))) {
    fprintf(stderr, "mend serve: --smtp needs --smtp-from ADDRESS, the address reminders come from\n");
    return EXIT_USAGE;
  }
  if (!strchr(g_conf.listen, ':')) {
    fprintf(stderr, "mend serve: --listen wants ADDR:PORT, like 127.0.0.1:8080 (got \"%s\")\n", g_conf.listen);
    return EXIT_USAGE;
  }
  g_conf.language = env_or(cli_opt(&o, "language"), "MEND_LANGUAGE");
  if (g_conf.language && !i18n_find(g_conf.language, strlen(g_conf.language))) {
    fprintf(stderr, "mend serve: --language wants one of en, de, fr, es (got \"%s\")\n", g_conf.language);
    return EXIT_USAGE;
  }
  const char *crisis = env_or(cli_opt(&o, "crisis-file"), "MEND_CRISIS_FILE");
  if (crisis && !(g_conf.crisis = read_crisis(crisis))) return EXIT_USAGE;
  return server_run();
}

int cmd_routes(int argc, char **argv) {
  cli_opts_t o = {.specs = {NULL}};
  int rc = cli_parse("routes", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  routes_print(stdout);
  return 0;
}
