/* metrics.c: Prometheus counters kept with relaxed atomics: requests by route and status,
   a latency histogram per route, open connections and the database layer's counters. */
#include "web.h"
#include "loop.h"
#include <stdatomic.h>
#include <stdio.h>

#define MAX_ROUTES 384
static const int statuses[] = {200, 201, 204, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503};
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])
static const double buckets_ms[] = {0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000};
#define NBUCKET (int)(sizeof buckets_ms / sizeof buckets_ms[0])

static atomic_long counts[MAX_ROUTES + 1][NSTATUS + 1];
static atomic_long hist[MAX_ROUTES + 1][NBUCKET + 1];
static atomic_llong sum_ns[MAX_ROUTES + 1];
static atomic_long conns;

void metrics_conn(int delta) { atomic_fetch_add_explicit(&conns, delta, memory_order_relaxed); }

static int route_index(const route_t *r) {
  int i = r ? (int)(r - routes) : MAX_ROUTES;
  return i < MAX_ROUTES ? i : MAX_ROUTES; /* a table grown past the counters counts as unmatched */
}

void metrics_record(const route_t *route, int status, uint64_t dur_ns) {
  int ri = route_index(route), si = NSTATUS, bi = NBUCKET;
  for (int i = 0; i < NSTATUS; i++) if (statuses[i] == status) { si = i; break; }
  double ms = (double)dur_ns / 1e6;
  for (int i = 0; i < NBUCKET; i++) if (ms <= buckets_ms[i]) { bi = i; break; }
  atomic_fetch_add_explicit(&counts[ri][si], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&hist[ri][bi], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&sum_ns[ri], (long long)dur_ns, memory_order_relaxed);
}

static const char *route_label(int ri, char *buf, size_t cap) {
  if (ri == MAX_ROUTES) return "unmatched";
  snprintf(buf, cap, "%s %s", routes[ri].method, routes[ri].pattern);
  return buf;
}

void metrics_render(sb_t *o) {
  char label[160];
  sb_puts(o, "# HELP mend_http_requests_total Requests answered, by route and status.\n"
             "# TYPE mend_http_requests_total counter\n");
  for (int r = 0; r <= MAX_ROUTES; r++) {
    if (r < MAX_ROUTES && r >= n_routes) continue;
    for (int s = 0; s <= NSTATUS; s++) {
      long v = atomic_load_explicit(&counts[r][s], memory_order_relaxed);
      if (!v) continue;
      char st[8];
      if (s < NSTATUS) snprintf(st, sizeof st, "%d", statuses[s]); else snprintf(st, sizeof st, "other");
      sb_markup(o, "mend_http_requests_total{route=\"%r\",status=\"%r\"} %D\n", route_label(r, label, sizeof label), st, (int64_t)v);
    }
  }
  sb_puts(o, "# HELP mend_http_request_duration_seconds Time from request to response.\n"
             "# TYPE mend_http_request_duration_seconds histogram\n");
  for (int r = 0; r <= MAX_ROUTES; r++) {
    if (r < MAX_ROUTES && r >= n_routes) continue;
    long total = 0;
    for (int b = 0; b <= NBUCKET; b++) total += atomic_load_explicit(&hist[r][b], memory_order_relaxed);
    if (!total) continue;
    const char *rl = route_label(r, label, sizeof label);
    long cum = 0;
    char num[64];
    for (int b = 0; b < NBUCKET; b++) {
      cum += atomic_load_explicit(&hist[r][b], memory_order_relaxed);
      snprintf(num, sizeof num, "%g", buckets_ms[b] / 1000.0);
      sb_markup(o, "mend_http_request_duration_seconds_bucket{route=\"%r\",le=\"%r\"} %D\n", rl, num, (int64_t)cum);
    }
    sb_markup(o, "mend_http_request_duration_seconds_bucket{route=\"%r\",le=\"+Inf\"} %D\n", rl, (int64_t)total);
    snprintf(num, sizeof num, "%.6f", (double)atomic_load(&sum_ns[r]) / 1e9);
    sb_markup(o, "mend_http_request_duration_seconds_sum{route=\"%r\"} %r\n", rl, num);
    sb_markup(o, "mend_http_request_duration_seconds_count{route=\"%r\"} %D\n", rl, (int64_t)total);
  }
  db_stats_t ds;
  db_stats(&ds);
  sb_markup(o, "# HELP mend_http_connections Open client connections.\n# TYPE mend_http_connections gauge\n"
             "mend_http_connections %D\n", (int64_t)atomic_load(&conns));
  sb_markup(o, "# HELP mend_db_connections Open database connections (SQLite: one per event loop; PostgreSQL: one per database thread).\n"
             "# TYPE mend_db_connections gauge\nmend_db_connections %D\n", (int64_t)ds.open);
  sb_markup(o, "# HELP mend_db_statements_prepared_total Statements prepared (each once per connection).\n"
             "# TYPE mend_db_statements_prepared_total counter\nmend_db_statements_prepared_total %D\n", (int64_t)ds.prepared);
  sb_markup(o, "# HELP mend_db_errors_total Database errors.\n# TYPE mend_db_errors_total counter\n"
             "mend_db_errors_total %D\n", (int64_t)ds.errors);
}
