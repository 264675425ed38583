/* ops.c: what operators and the browser fetch besides pages: embedded static assets, the
   API's OpenAPI document, the health check and Prometheus metrics. */
#include "web.h"
#include "util/embed.h"
#include <string.h>
#include <strings.h>

/* Whether Accept-Encoding names the coding (or *) without q=0. */
static int accepts(h2o_iovec_t v, const char *coding) {
  size_t len = strlen(coding);
  const char *p = v.base, *end = v.base + v.len;
  while (p && p < end) {
    while (p < end && (*p == ' ' || *p == ',')) p++;
    const char *t = p;
    while (p < end && *p != ',' && *p != ';' && *p != ' ') p++;
    size_t n = (size_t)(p - t);
    int named = (n == len && !strncasecmp(t, coding, len)) || (n == 1 && *t == '*');
    const char *next = memchr(p, ',', (size_t)(end - p));
    const char *q = memchr(p, 'q', next ? (size_t)(next - p) : (size_t)(end - p));
    /* a weight of 0 (q=0, q=0.0...) refuses it; one that starts "0.1".."0.9" or "1" accepts */
    int refused = q && end - q >= 3 && q[1] == '=' && q[2] == '0' && !(end - q >= 5 && q[3] == '.' && q[4] >= '1' && q[4] <= '9');
    if (named && !refused) return 1;
    p = next;
  }
  return 0;
}

static int h_static(rq_t *rq, json_t *j) {
  (void)j;
  h2o_iovec_t name = rq->params[0];
  const struct embed_file *f = embed_find(embed_static, name.base, name.len);
  if (!f) return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  const char *ct = "application/octet-stream";
  size_t n = name.len;
  if (n > 4 && !memcmp(name.base + n - 4, ".css", 4)) ct = "text/css; charset=utf-8";
  else if (n > 3 && !memcmp(name.base + n - 3, ".js", 3)) ct = "text/javascript; charset=utf-8";
  else if (n > 4 && !memcmp(name.base + n - 4, ".svg", 4)) ct = "image/svg+xml";
  else if (n > 4 && !memcmp(name.base + n - 4, ".png", 4)) ct = "image/png";
  /* URLs carry the content hash (?v=), so a year of caching is safe */
  h2o_add_header(&rq->req->pool, &rq->req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                 H2O_STRLIT("public, max-age=31536000, immutable"));
  /* compressed at build time; pages and the API are not compressed, as they hold secrets
     beside words a visitor can choose (BREACH) */
  if (f->gz || f->br) {
    h2o_add_header(&rq->req->pool, &rq->req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("accept-encoding"));
    h2o_iovec_t ae = web_req_header(rq, H2O_TOKEN_ACCEPT_ENCODING);
    /* brotli first where the browser takes it: style.css is a sixth smaller again than gzip */
    if (f->br && accepts(ae, "br")) {
      h2o_add_header(&rq->req->pool, &rq->req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, H2O_STRLIT("br"));
      return web_send(rq, 200, ct, (const char *)f->br, f->br_len);
    }
    if (f->gz && accepts(ae, "gzip")) {
      h2o_add_header(&rq->req->pool, &rq->req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, H2O_STRLIT("gzip"));
      return web_send(rq, 200, ct, (const char *)f->gz, f->gz_len);
    }
  }
  return web_send(rq, 200, ct, (const char *)f->data, f->len);
}

static int h_healthz(rq_t *rq, json_t *j) {
  (void)j;
  int ok = 0;
  for (int attempt = 0; attempt < 2 && !ok; attempt++) { /* a connection found lost is made again once */
    db_stmt_t *st = db_ready(rq->db) == DB_OK ? db_prepare(rq->db, "SELECT 1") : NULL;
    ok = st && db_step(st) == DB_ROW;
    if (st) db_reset(st);
  }
  if (!ok) web_header(rq, "retry-after", "2");
  sb_t *o = web_out(rq);
  sb_json(o, "{\"status\":%q}", ok ? "ok" : "database unavailable");
  return web_json(rq, ok ? 200 : 503, o);
}

/* The API's contract, the same document the tests hold every answer to. */
static int h_openapi(rq_t *rq, json_t *j) {
  (void)j;
  const struct embed_file *f = embed_find(embed_content, "openapi.yaml", 12);
  if (!f) return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  return web_send(rq, 200, "application/yaml; charset=utf-8", (const char *)f->data, f->len);
}

const route_t ops_routes[] = {
  {"GET", "/api/v1/openapi.yaml", h_openapi, R_OPS, "api_openapi"},
  {"GET", "/static/{file}", h_static, R_OPS | R_STATIC, "static"},
  {"GET", "/healthz", h_healthz, R_OPS | R_DB, "healthz"},
  {NULL, NULL, NULL, 0, NULL},
};
