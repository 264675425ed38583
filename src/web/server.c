/* server.c: the HTTP server. One h2o event loop per core, each on its own SO_REUSEPORT
   listener with its own database connection; a small worker pool for password hashing;
   optional TLS with HTTP/2 through ALPN; a graceful stop on SIGTERM/SIGINT that stops
   accepting, lets in-flight requests finish, then closes the databases. */
#include "web.h"
#include "loop.h"
#include "housekeeping.h"
#include "push.h"
#include "html.h"
#include "pool.h"
#include "dbwork.h"
#include "core/coach.h"
#include "core/throttle.h"
#include "db/calendar.h"
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

server_conf_t g_conf;
static h2o_globalconf_t config;
static SSL_CTX *ssl_ctx;
/* The app's host, and the metrics' own (served only on --metrics-listen): each listener is
   given just its own, so no Host header reaches the other. */
static h2o_hostconf_t *app_hosts[2], *metrics_hosts[2];
static int metrics_fd = -1;

/* Open connections per client address (hashed into slots, shared by the loops): one address
   cannot hold every connection. A collision only makes the cap a little stricter. Behind a
   trusted proxy every client arrives from the proxy's address, so that one is not capped
   (slot ADDR_SLOTS: counted nowhere); the proxy limits its own clients. */
#define ADDR_SLOTS 4096
static _Atomic int addr_conns[ADDR_SLOTS + 1];

static int is_loopback(const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET) return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
  if (ss->ss_family == AF_INET6) return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
  return 0;
}

static unsigned addr_slot(h2o_socket_t *sock) {
  struct sockaddr_storage ss;
  socklen_t len = h2o_socket_getpeername(sock, (struct sockaddr *)&ss);
  const unsigned char *p = NULL;
  size_t n = 0;
  if (len && ss.ss_family == AF_INET) { p = (const unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr; n = 4; }
  else if (len && ss.ss_family == AF_INET6) { p = (const unsigned char *)&((struct sockaddr_in6 *)&ss)->sin6_addr; n = 16; }
  if (g_conf.trust_proxy && len && is_loopback(&ss)) return ADDR_SLOTS;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h % ADDR_SLOTS;
}

typedef struct { loop_t *loop; unsigned slot; } conn_note;
#define SEND_BUFFER (256 * 1024)

typedef struct { h2o_multithread_message_t msg; } stop_msg_t;

static void on_conn_close(void *data) {
  conn_note *c = data;
  c->loop->conns--;
  atomic_fetch_sub(&addr_conns[c->slot], 1);
  metrics_conn(-1);
  free(c);
}

/* Takes one connection from the kernel's queue: 1 when there was one. */
static int accept_one(loop_t *loop, h2o_socket_t *listener) {
  h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
  if (!sock) return 0;
  unsigned slot = addr_slot(sock);
  conn_note *c = NULL;
  /* over a limit: refuse at once rather than slow everyone down */
  if (loop->conns >= g_conf.max_conns ||
      (atomic_fetch_add(&addr_conns[slot], 1) >= g_conf.max_conns_per_addr && slot != ADDR_SLOTS) ||
      !(c = malloc(sizeof *c))) {
    if (loop->conns < g_conf.max_conns) atomic_fetch_sub(&addr_conns[slot], 1);
    h2o_socket_close(sock);
    return 1;
  }
  /* a fixed send buffer: a client that stops reading holds at most this much kernel memory,
     and a large response it never reads stays ours to time out (web_send's write deadline) */
  int sndbuf = SEND_BUFFER;
  setsockopt(h2o_socket_get_fd(sock), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  loop->conns++;
  metrics_conn(1);
  c->loop = loop;
  c->slot = slot;
  sock->on_close.cb = on_conn_close;
  sock->on_close.data = c;
  h2o_accept(&loop->actx, sock);
  return 1;
}

static void on_accept(h2o_socket_t *listener, const char *err) {
  loop_t *loop = listener->data;
  if (err) return;
  accept_one(loop, listener);
}

/* The metrics listener: only GET /metrics, with the process's counters and nobody's data. */
static int metrics_on_req(h2o_handler_t *self, h2o_req_t *req) {
  (void)self;
  static const char notfound[] = "not found\n";
  req->res.status = 404;
  req->res.reason = "Not Found";
  if (h2o_memis(req->path_normalized.base, req->path_normalized.len, H2O_STRLIT("/metrics")) &&
      h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
    sb_t o;
    sb_init(&o, 8192);
    metrics_render(&o);
    h2o_iovec_t body = h2o_strdup(&req->pool, o.buf, o.len);
    sb_free(&o);
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/plain; version=0.0.4; charset=utf-8"));
    h2o_send_inline(req, body.base, body.len);
    return 0;
  }
  h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/plain; charset=utf-8"));
  h2o_send_inline(req, notfound, sizeof notfound - 1);
  return 0;
}

static h2o_accept_ctx_t metrics_actx;
static void on_metrics_accept(h2o_socket_t *listener, const char *err) {
  if (err) return;
  h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
  if (sock) h2o_accept(&metrics_actx, sock);
}

static void on_control(h2o_multithread_receiver_t *r, h2o_linklist_t *messages) {
  loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, control, r);
  while (!h2o_linklist_is_empty(messages)) {
    h2o_linklist_t *m = messages->next;
    h2o_linklist_unlink(m);
  }
  if (!loop->stopping && loop->listener) {
    /* connections the kernel has accepted already are answered, not reset: take them all,
       then stop listening (what comes later is refused by the kernel, never cut off) */
    while (accept_one(loop, loop->listener)) {}
    h2o_socket_read_stop(loop->listener);
    h2o_socket_close(loop->listener);
    loop->listener = NULL;
  }
  loop->stopping = 1;
}

static void flush_log(loop_t *loop) {
  if (loop->log.len) {
    fwrite(loop->log.buf, 1, loop->log.len, stderr);
    sb_reset(&loop->log);
  }
}

static void *loop_main(void *arg) {
  loop_t *loop = arg;
  h2o_loop_t *evloop = h2o_evloop_create();
  h2o_context_init(&loop->ctx, evloop, &config);
  h2o_timeout_init(evloop, &loop->write_timeout, (uint64_t)g_conf.write_timeout * 1000);
  loop->actx.ctx = &loop->ctx;
  loop->actx.hosts = app_hosts;
  loop->actx.ssl_ctx = ssl_ctx;
  loop->queue = h2o_multithread_create_queue(evloop);
  h2o_multithread_register_receiver(loop->queue, &loop->jobs_done, pool_on_done);
  h2o_multithread_register_receiver(loop->queue, &loop->control, on_control);
  h2o_multithread_register_receiver(loop->queue, &loop->db_done, dbwork_on_done);
  loop->listener = h2o_evloop_socket_create(evloop, loop->fd, H2O_SOCKET_FLAG_DONT_READ);
  loop->listener->data = loop;
  h2o_socket_read_start(loop->listener, on_accept);
  h2o_socket_t *mlistener = NULL;
  if (loop->index == 0 && metrics_fd >= 0) {
    metrics_actx.ctx = &loop->ctx;
    metrics_actx.hosts = metrics_hosts;
    mlistener = h2o_evloop_socket_create(evloop, metrics_fd, H2O_SOCKET_FLAG_DONT_READ);
    h2o_socket_read_start(mlistener, on_metrics_accept);
  }
  uint64_t stop_deadline = 0;
  for (;;) {
    /* a read snapshot kept for the next request is let go soon after the last one, so that
       a checkpoint (and an erasure's truncation of the WAL) does not wait on an idle loop */
    int kept = loop->db && db_read_idle(loop->db, 2);
    h2o_evloop_run(evloop, loop->stopping ? 20 : kept ? 3 : 1000);
    flush_log(loop);
    if (loop->stopping) {
      uint64_t now = h2o_now(evloop);
      if (!stop_deadline) stop_deadline = now + 10000;
      if ((loop->inflight == 0 && loop->jobs_pending == 0) || now > stop_deadline) break;
    }
  }
  flush_log(loop);
  dbwork_detach(loop);
  h2o_multithread_unregister_receiver(loop->queue, &loop->jobs_done);
  h2o_multithread_unregister_receiver(loop->queue, &loop->control);
  h2o_multithread_unregister_receiver(loop->queue, &loop->db_done);
  h2o_multithread_destroy_queue(loop->queue);
  /* no h2o_context_dispose: idle keep-alive connections still hold timers, and 2.2.5
     asserts on those; the process is ending, so the kernel closes them */
  return NULL;
}

/* Parses "ADDR:PORT" ("[::1]:8080" for IPv6) and opens one listening socket. */
/* Whether something listens on the address already: a bind without SO_REUSEPORT fails then,
   also against another process's SO_REUSEPORT sockets (which would otherwise share the port
   with ours, each server taking some of the connections). */
static int in_use(const struct addrinfo *ai) {
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1, busy = 0;
  if (fd < 0) return 0;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  busy = bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno == EADDRINUSE;
  close(fd);
  return busy;
}

/* share: another server may listen on the address too (--share-port); else it must be free. */
static int open_listener(const char *spec, int share, char *err, size_t errlen) {
  char host[256];
  const char *colon = strrchr(spec, ':');
  if (!colon || !colon[1] || (size_t)(colon - spec) >= sizeof host) {
    snprintf(err, errlen, "--listen wants ADDR:PORT, like 127.0.0.1:8080 (got \"%s\")", spec);
    return -1;
  }
  const char *h = spec;
  size_t hl = (size_t)(colon - spec);
  if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') { h++; hl -= 2; }
  memcpy(host, h, hl);
  host[hl] = 0;
  struct addrinfo hints = {0}, *ai = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai);
  if (rc) { snprintf(err, errlen, "cannot use address %s: %s", spec, gai_strerror(rc)); return -1; }
  if (!share && in_use(ai)) {
    snprintf(err, errlen, "%s is in use: another server listens there. Stop it, choose another --listen, or pass "
                          "--share-port to share it on purpose", spec);
    freeaddrinfo(ai);
    return -1;
  }
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
  if (fd < 0) { snprintf(err, errlen, "socket: %s", strerror(errno)); freeaddrinfo(ai); return -1; }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
    snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(errno));
    close(fd);
    freeaddrinfo(ai);
    return -1;
  }
  freeaddrinfo(ai);
  return fd;
}

static int setup_tls(char *err, size_t errlen) {
  if (!g_conf.tls_cert && !g_conf.tls_key) return 0;
  if (!g_conf.tls_cert || !g_conf.tls_key) { snprintf(err, errlen, "TLS needs both --tls-cert and --tls-key"); return -1; }
  ssl_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ssl_ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(ssl_ctx, g_conf.tls_cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(ssl_ctx, g_conf.tls_key, SSL_FILETYPE_PEM) != 1) {
    snprintf(err, errlen, "cannot load TLS certificate %s or key %s: %s", g_conf.tls_cert, g_conf.tls_key,
             ERR_reason_error_string(ERR_get_error()));
    return -1;
  }
  h2o_ssl_register_alpn_protocols(ssl_ctx, h2o_http2_alpn_protocols);
  return 0;
}

/* PostgreSQL may not be up yet (a host starting, a failover under way): wait for it, saying so
   every ten seconds, rather than give up. SQLite's file is there or it is an error. */
static db_t *open_waiting(int sqlite, char *err, size_t errlen) {
  for (int tries = 0;; tries++) {
    db_t *db = db_open(&g_conf.db, err, errlen);
    if (db || sqlite) return db;
    if (tries % 20 == 0) fprintf(stderr, "mend: %s; waiting for it\n", err);
    struct timespec half = {0, 500 * 1000 * 1000};
    nanosleep(&half, NULL);
  }
}

int server_run(void) {
  routes_init();
  html_init();
  char err[512];
  int nloops = g_conf.loops > 0 ? g_conf.loops : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (nloops < 1) nloops = 1;
  if (nloops > 64) nloops = 64;
  if (g_conf.max_conns <= 0) g_conf.max_conns = 1024;
  if (g_conf.max_conns_per_addr <= 0) g_conf.max_conns_per_addr = 64;
  if (g_conf.signup_limit <= 0) g_conf.signup_limit = SIGNUP_PER_HOUR;
  if (g_conf.write_timeout <= 0) g_conf.write_timeout = 60;

  /* migrate once, before any loop serves */
  int sqlite = !(g_conf.db.conninfo && *g_conf.db.conninfo);
  db_t *db = open_waiting(sqlite, err, sizeof err);
  if (!db) { fprintf(stderr, "mend: %s\n", err); return 1; }
  /* held (shared) for as long as we serve, so `mend restore` never replaces it under us */
  if (sqlite && db_sqlite_hold(g_conf.db.path, 0) < 0) {
    fprintf(stderr, "mend: %s is being restored (mend restore); start again when it is done\n", g_conf.db.path);
    db_close(db);
    return 1;
  }
  if (db_quick_check(db, 0, err, sizeof err) != DB_OK) {
    fprintf(stderr, "mend: %s is damaged (\"%s\"): it is not served. Restore a backup with "
            "mend restore BACKUP --db %s (see README, Operations)\n", g_conf.db.path, err, g_conf.db.path);
    db_close(db);
    return 1;
  }
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "mend: %s\n", err); db_close(db); return 1; }
  if (cal_hash_legacy(db) != DB_OK) { fprintf(stderr, "mend: cannot hash the old calendar addresses: %s\n", db_errmsg(db)); db_close(db); return 1; }
  db_close(db);
  /* the start-up check read every page through that connection's cache: what it freed goes
     back to the system, not kept as the server's peak (a log-in hashes with 19 MiB on top) */
  malloc_trim(0);
  if (coach_init() != 0) { fprintf(stderr, "mend: the coach's rules could not be read\n"); return 1; }
  if (setup_tls(err, sizeof err) != 0) { fprintf(stderr, "mend: %s\n", err); return 2; }

  signal(SIGPIPE, SIG_IGN);
  sigset_t stopset;
  sigemptyset(&stopset);
  sigaddset(&stopset, SIGTERM);
  sigaddset(&stopset, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopset, NULL); /* every thread inherits: only sigwait sees them */

  h2o_config_init(&config);
  config.server_name = h2o_iovec_init(H2O_STRLIT("mend"));
  /* up to twice the limit reaches the dispatcher, which answers 413 in our shape and shows a
     form's words again; past that h2o refuses unread (dressed by errordoc.c) */
  config.max_request_entity_size = 2 * MAX_BODY;
  config.http1.req_timeout = 15000;
  config.http2.idle_timeout = 15000;
  h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
  h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
  h2o_create_handler(path, sizeof(h2o_handler_t))->on_req = routes_dispatch;
  app_hosts[0] = host;
  errordoc_register(host);
  if (g_conf.metrics_listen && *g_conf.metrics_listen) {
    metrics_fd = open_listener(g_conf.metrics_listen, 0, err, sizeof err);
    if (metrics_fd < 0) { fprintf(stderr, "mend: --metrics-listen: %s\n", err); return 1; }
    h2o_hostconf_t *mh = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("metrics")), 65535);
    h2o_create_handler(h2o_config_register_path(mh, "/", 0), sizeof(h2o_handler_t))->on_req = metrics_on_req;
    metrics_hosts[0] = mh;
  }

  loop_t *loops = calloc((size_t)nloops, sizeof *loops);
  for (int i = 0; i < nloops; i++) {
    loop_t *l = &loops[i];
    l->index = i;
    /* the first loop checks that the port is ours; the others join it (SO_REUSEPORT) */
    l->fd = open_listener(g_conf.listen, i > 0 || g_conf.share_port, err, sizeof err);
    if (l->fd < 0) { fprintf(stderr, "mend: %s\n", err); return 1; }
    /* SQLite is asked on the loops; PostgreSQL by the database workers, never on a loop */
    if (sqlite && !(l->db = open_waiting(sqlite, err, sizeof err))) { fprintf(stderr, "mend: %s\n", err); return 1; }
    sb_init(&l->out, 16384);
    sb_init(&l->log, 16384);
  }
  int ndb = 0;
  if (!sqlite) {
    /* measured on two cores: few threads serve fastest (the backends share the cores), and a
       few spare ones keep everyone else answered while one couple waits on a lock */
    ndb = g_conf.db_threads > 0 ? g_conf.db_threads : (2 * nloops < 4 ? 4 : 2 * nloops);
    if (ndb > 256) ndb = 256;
    db_t **dbs = calloc((size_t)ndb, sizeof *dbs);
    for (int i = 0; i < ndb; i++)
      if (!(dbs[i] = open_waiting(sqlite, err, sizeof err))) { fprintf(stderr, "mend: %s\n", err); return 1; }
    dbwork_start(dbs, ndb);
    free(dbs);
  }
  pool_start(g_conf.hash_workers > 0 ? g_conf.hash_workers : 1); /* 19 MiB a hash: one at a time keeps the peak low */
  housekeeping_start(&g_conf.db, g_conf.sweep_every);
  if (push_start(&g_conf.db, g_conf.push_every) != 0) return 1;
  pthread_t *tids = calloc((size_t)nloops, sizeof *tids);
  for (int i = 0; i < nloops; i++) pthread_create(&tids[i], NULL, loop_main, &loops[i]);
  if (sqlite)
    fprintf(stderr, "mend: serving on %s://%s with %s (%d loops)\n", ssl_ctx ? "https" : "http", g_conf.listen, g_conf.db.path, nloops);
  else
    fprintf(stderr, "mend: serving on %s://%s with PostgreSQL (%d loops, %d database threads)\n", ssl_ctx ? "https" : "http",
            g_conf.listen, nloops, ndb);

  int sig = 0;
  sigwait(&stopset, &sig);
  fprintf(stderr, "mend: %s received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  stop_msg_t *msgs = calloc((size_t)nloops, sizeof *msgs);
  for (int i = 0; i < nloops; i++) h2o_multithread_send_message(&loops[i].control, &msgs[i].msg);
  for (int i = 0; i < nloops; i++) pthread_join(tids[i], NULL);
  dbwork_stop(); /* the loops waited for every request they handed over */
  pool_stop();
  housekeeping_stop();
  push_stop();
  for (int i = 0; i < nloops; i++) {
    if (loops[i].db) db_close(loops[i].db);
    sb_free(&loops[i].out);
    sb_free(&loops[i].log);
  }
  free(msgs);
  free(tids);
  free(loops);
  if (ssl_ctx) SSL_CTX_free(ssl_ctx);
  fprintf(stderr, "mend: stopped cleanly\n");
  return 0;
}
