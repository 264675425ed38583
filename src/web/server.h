/* server.h: what starts the web server: its configuration, filled by `mend serve`, and the
   route listing `mend routes` prints. Needs nothing of h2o. */
#ifndef MEND_WEB_SERVER_H
#define MEND_WEB_SERVER_H
#include <stdio.h>
#include "db/db.h"

typedef struct server_conf {
  const char *listen;
  db_target_t db;
  const char *tls_cert, *tls_key;
  int trust_proxy;        /* believe X-Forwarded-For / -Proto from a reverse proxy */
  int share_port;         /* another server may listen on the same address (SO_REUSEPORT) */
  int loops, hash_workers, max_conns;
  int db_threads;         /* PostgreSQL: threads (each with a connection) that run the requests */
  int signup_limit;       /* new accounts per address and hour */
  int write_timeout;      /* seconds a large response may take to be read by its client */
  int sweep_every;        /* seconds between sweeps of expired sessions, throttle windows, invites */
  int max_conns_per_addr; /* open connections per client address */
  const char *metrics_listen; /* where /metrics is served; NULL: nowhere */
  const char *base_url;   /* for invite links; else derived from the request */
  int push_every;         /* seconds between rounds of the reminders worker */
  const char *push_hosts; /* push services sent to (comma-separated, *.domain allowed); NULL: the browsers' */
  const char *push_contact; /* VAPID's sub: how a push service reaches the operator */
  const char *smtp_url;   /* smtp[s]://[user:password@]host[:port]: reminders by e-mail; NULL: none */
  const char *smtp_from;  /* the address they come from */
  const char *language;   /* --language: for whoever has chosen none and whose browser asks for none of ours */
  const char *crisis;     /* --crisis-file: who to reach in a crisis here, a line each; NULL: none */
} server_conf_t;
extern server_conf_t g_conf;

/* Runs until SIGTERM or SIGINT; the exit code. */
int server_run(void);
/* Every route of the joined table: method, pattern, flags, metric name. */
void routes_print(FILE *out);

#endif
