/* http.c: the single way out of every request (web_send: security headers, the access log
   line, metrics), errors in the caller's format, cookies, and request body helpers. */
#include "web.h"
#include "util/i18n.h"
#include "loop.h"
#include "core/days.h"
#include "core/measures.h"
#include "util/tz.h"
#include "core/parse.h"
#include "core/validate.h"
#include "db/counsellors.h"
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <time.h>
#include <stdatomic.h>

static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

int64_t web_now(void) { return (int64_t)time(NULL); }

/* picohttpparser, inside libh2o: h2o's HTTP/1 parser keeps only the first Content-Length (or
   a Transfer-Encoding) and never shows them in req->headers, so the request is read again
   from the connection's input, which h2o consumes only once the response is sent. */
struct phr_header { const char *name; size_t name_len; const char *value; size_t value_len; };
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers, size_t last_len);

int web_length_ambiguous(h2o_req_t *req) {
  if (req->version >= 0x200 || !req->entity.base) return 0; /* HTTP/2 frames its bodies itself */
  h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
  if (!sock || !sock->input || !sock->input->size) return 0;
  struct phr_header hs[H2O_MAX_HEADERS];
  size_t nh = H2O_MAX_HEADERS, ml, pl;
  const char *m, *p;
  int minor;
  size_t len = sock->input->size < H2O_MAX_REQLEN ? sock->input->size : H2O_MAX_REQLEN;
  if (phr_parse_request(sock->input->bytes, len, &m, &ml, &p, &pl, &minor, hs, &nh, 0) <= 0) return 0;
  /* the buffer must hold this very request */
  if (!h2o_memis(m, ml, req->method.base, req->method.len) || !h2o_memis(p, pl, req->path.base, req->path.len)) return 0;
  const struct phr_header *cl = NULL;
  int te = 0;
  for (size_t i = 0; i < nh; i++) {
    if (h2o_lcstris(hs[i].name, hs[i].name_len, H2O_STRLIT("transfer-encoding"))) te = 1;
    else if (h2o_lcstris(hs[i].name, hs[i].name_len, H2O_STRLIT("content-length"))) {
      if (cl && !h2o_memis(cl->value, cl->value_len, hs[i].value, hs[i].value_len)) return 1;
      cl = &hs[i];
    }
  }
  return te && cl;
}


sb_t *web_out(rq_t *rq) {
  sb_reset(rq->a.out);
  return rq->a.out;
}

h2o_iovec_t web_req_header(rq_t *rq, const h2o_token_t *tok) {
  ssize_t i = h2o_find_header(&rq->req->headers, tok, -1);
  if (i < 0) return h2o_iovec_init(NULL, 0);
  return rq->req->headers.entries[i].value;
}

void web_header(rq_t *rq, const char *name, const char *value) {
  h2o_req_t *req = rq->req;
  /* h2o keeps pointers, not copies: the value goes into the request's pool */
  h2o_iovec_t v = h2o_strdup(&req->pool, value, SIZE_MAX);
  h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, v.base, v.len);
}

int web_is_tls(rq_t *rq) {
  if (rq->req->scheme == &H2O_URL_SCHEME_HTTPS) return 1;
  if (g_conf.trust_proxy) {
    ssize_t i = h2o_find_header_by_str(&rq->req->headers, H2O_STRLIT("x-forwarded-proto"), -1);
    if (i >= 0 && h2o_lcstris(rq->req->headers.entries[i].value.base, rq->req->headers.entries[i].value.len, H2O_STRLIT("https")))
      return 1;
  }
  return 0;
}

void web_set_cookie(rq_t *rq, const char *name, const char *value, int64_t max_age) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name, value,
           (long long)max_age, web_is_tls(rq) ? "; Secure" : "");
  h2o_req_t *req = rq->req;
  h2o_iovec_t v = h2o_strdup(&req->pool, buf, SIZE_MAX);
  h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, v.base, v.len);
}

void web_client_addr(rq_t *rq, char *out, size_t cap) {
  out[0] = 0;
  if (g_conf.trust_proxy) {
    ssize_t i = h2o_find_header_by_str(&rq->req->headers, H2O_STRLIT("x-forwarded-for"), -1);
    if (i >= 0) {
      /* the last hop is the one our proxy added */
      h2o_iovec_t v = rq->req->headers.entries[i].value;
      size_t s = v.len;
      while (s > 0 && v.base[s - 1] != ',') s--;
      while (s < v.len && v.base[s] == ' ') s++;
      /* an address has only these characters; anything else from the header is dropped */
      size_t o = 0;
      for (size_t i = s; i < v.len && o + 1 < cap; i++) {
        char c = v.base[i];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':') out[o++] = c;
      }
      out[o] = 0;
      if (!o) snprintf(out, cap, "unknown");
      return;
    }
  }
  struct sockaddr_storage ss = rq->a.peer;
  /* a database worker's copy of the request has no connection: the loop read the address */
  socklen_t len = rq->a.on_worker ? rq->a.peer_len : rq->req->conn->callbacks->get_peername(rq->req->conn, (struct sockaddr *)&ss);
  if (len && ss.ss_family == AF_INET) inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)cap);
  else if (len && ss.ss_family == AF_INET6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)cap);
  else snprintf(out, cap, "unknown");
}

/* The origin for links: --base-url, else scheme and Host of this request. */
static void web_origin(rq_t *rq, sb_t *out) {
  if (g_conf.base_url && *g_conf.base_url) {
    size_t n = strlen(g_conf.base_url);
    while (n && g_conf.base_url[n - 1] == '/') n--;
    sb_put(out, g_conf.base_url, n);
    return;
  }
  sb_puts(out, web_is_tls(rq) ? "https://" : "http://");
  h2o_iovec_t host = rq->req->authority;
  /* only characters a host name and port may hold, so a hostile Host cannot inject */
  for (size_t i = 0; i < host.len; i++) {
    char c = host.base[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == ':' || c == '[' || c == ']')
      sb_putc(out, c);
  }
}

const char *web_link(rq_t *rq, const char *path, const char *secret, const char *suffix) {
  sb_t b;
  sb_init(&b, 128);
  web_origin(rq, &b);
  sb_puts(&b, path);
  sb_puts(&b, secret);
  sb_puts(&b, suffix);
  char *out = h2o_mem_alloc_pool(&rq->req->pool, b.len + 1);
  memcpy(out, b.buf, b.len + 1);
  sb_free(&b);
  return out;
}

static void access_log(rq_t *rq, int status, uint64_t dur_ns) {
  sb_t *log = &rq->loop->log;
  h2o_req_t *req = rq->req;
  /* the timestamp is formatted once a second per loop, not per request */
  static __thread int64_t ts_at = -1;
  static __thread char ts[ISO_TIME_CHARS];
  int64_t now = web_now();
  if (now != ts_at) { iso_time(now, ts); ts_at = now; }
  h2o_iovec_t path = req->path;
  if (req->query_at != SIZE_MAX) path.len = req->query_at;
  sb_puts(log, "time=");
  sb_puts(log, ts);
  sb_puts(log, " method=");
  sb_put(log, req->method.base, req->method.len > 10 ? 10 : req->method.len);
  sb_puts(log, " path=");
  if (rq->route && (rq->route->flags & R_SECRET_PATH)) sb_puts(log, rq->route->pattern);
  else {
    for (size_t i = 0; i < path.len && i < 200; i++) {
      unsigned char c = (unsigned char)path.base[i];
      if (c > 0x20 && c < 0x7f && c != '"') sb_putc(log, (char)c);
      else sb_putc(log, '?');
    }
  }
  uint64_t us = dur_ns / 1000;
  sb_markup(log, " status=%d dur_ms=%D.", status, (int64_t)(us / 1000));
  char frac[4] = {(char)('0' + us / 100 % 10), (char)('0' + us / 10 % 10), (char)('0' + us % 10), '\n'};
  sb_put(log, frac, 4);
  if (log->len > 8192) {
    fwrite(log->buf, 1, log->len, stderr);
    sb_reset(log);
  }
}

uint64_t web_mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *reason(int status) {
  switch (status) {
    case 200: return "OK"; case 201: return "Created"; case 204: return "No Content";
    case 303: return "See Other"; case 400: return "Bad Request"; case 401: return "Unauthorized";
    case 403: return "Forbidden"; case 404: return "Not Found"; case 405: return "Method Not Allowed";
    case 409: return "Conflict"; case 410: return "Gone"; case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type"; case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests"; case 500: return "Internal Server Error";
    case 503: return "Service Unavailable"; default: return "";
  }
}

static void security_headers(h2o_req_t *req) {
  h2o_headers_t *h = &req->res.headers;
  h2o_mem_pool_t *p = &req->pool;
  h2o_add_header_by_str(p, h, H2O_STRLIT("content-security-policy"), 0, NULL, CSP, sizeof CSP - 1);
  h2o_add_header_by_str(p, h, H2O_STRLIT("x-content-type-options"), 0, NULL, H2O_STRLIT("nosniff"));
  h2o_add_header_by_str(p, h, H2O_STRLIT("referrer-policy"), 0, NULL, H2O_STRLIT("no-referrer"));
  h2o_add_header_by_str(p, h, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
}

/* For an answer sent without web_send (h2o's own errors): the same security headers, and
   nothing kept by a cache. */
void web_security_headers(h2o_req_t *req) {
  security_headers(req);
  h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
}

int web_write_begin(rq_t *rq) {
  db_t *db = rq->db;
  if (rq->read_tx) { db_read_end(db); rq->read_tx = 0; }
  int ok = db_begin(db) == DB_OK;
  rq->write_tx = ok;
  if (ok && rq->authed && db_lock_couple(db, rq->s.user.couple_id) != DB_OK) ok = 0;
  rq->a.write_couple = ok && rq->authed ? rq->s.user.couple_id : 0;
  if (!ok) {
    web_error(rq, 503, "busy", "The database is busy. Nothing was saved; please try again.", NULL);
    return -1;
  }
  return 0;
}

/* Ends the write transaction: 0 when what the handler did is committed (or it did nothing
   that needed keeping), -1 when it is not. */
static int write_finish(rq_t *rq) {
  db_t *db = rq->db;
  rq->write_tx = 0;
  /* a write that changed the couple's rows gives it a new data version (what caches go by);
     a refused one changes nothing, that version included */
  /* (the couple the write began as: one that ends the session, leaving, still moves it) */
  if (rq->a.write_couple && db_tx_changed(db) && db_bump_couple(db, rq->a.write_couple) != DB_OK) db_rollback(db);
  rq->a.write_couple = 0;
  if (rq->touch) {
    acct_session_touch(db, rq->token_hash, web_now());
    rq->touch = 0;
  }
  int ok = db_commit(db) == DB_OK;
  while (db_tx_depth(db) > 0) { db_rollback(db); ok = 0; } /* a handler left one open */
  if (ok && rq->wipe_wal) db_wipe_wal(db);
  return ok ? 0 : -1;
}

int web_write_end(rq_t *rq) { return rq->write_tx ? write_finish(rq) : 0; }

static _Atomic int big_inflight;

/* A client that does not read its response in time loses the connection: shutting the socket
   down makes h2o's pending write fail and close it the usual way. */
static void write_deadline(h2o_timeout_entry_t *entry) {
  rq_t *rq = H2O_STRUCT_FROM_MEMBER(rq_t, a.write_deadline, entry);
  h2o_req_t *req = rq->a.http;
  h2o_socket_t *sock = req && req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
  if (sock) shutdown(h2o_socket_get_fd(sock), SHUT_RDWR);
}

/* 0 when no slot is free for a response this large (any thread: the slots are atomic). */
static int big_slot(rq_t *rq, size_t len) {
  if (len > BIG_RESPONSE) {
    if (atomic_fetch_add(&big_inflight, 1) >= MAX_BIG_RESPONSES) {
      atomic_fetch_sub(&big_inflight, 1);
      return 0;
    }
    rq->a.big = 1;
  }
  return 1;
}

void web_response_done(rq_t *rq) {
  if (h2o_timeout_is_linked(&rq->a.write_deadline)) h2o_timeout_unlink(&rq->a.write_deadline);
  if (rq->a.big) atomic_fetch_sub(&big_inflight, 1);
  rq->a.big = 0;
}

/* A serialization failure or a deadlock (PostgreSQL, on a database worker) is nobody's
   mistake: the request is run again from its start, a few times, before the 503. */
static int retry_due(rq_t *rq) {
  if (!rq->a.on_worker || rq->a.attempts + 1 >= DB_ATTEMPTS || db_last_failure(rq->db) != DB_BUSY) return 0;
  while (db_tx_depth(rq->db) > 0) db_rollback(rq->db);
  if (rq->read_tx) db_read_end(rq->db);
  rq->read_tx = rq->write_tx = 0;
  rq->a.retry = 1;
  return 1;
}

/* Hands the answer web_send built to h2o: on the request's loop, with the h2o request alive. */
void web_emit(rq_t *rq) {
  h2o_req_t *req = rq->a.http, *made = rq->req;
  if (made != req) {
    /* a worker built it in its copy of the request: the headers move to the real one */
    for (size_t i = 0; i < made->res.headers.size; i++) {
      const h2o_header_t *hd = &made->res.headers.entries[i];
      h2o_iovec_t name = h2o_strdup(&req->pool, hd->name->base, hd->name->len);
      h2o_iovec_t value = h2o_strdup(&req->pool, hd->value.base, hd->value.len);
      h2o_add_header_by_str(&req->pool, &req->res.headers, name.base, name.len, 1, NULL, value.base, value.len);
    }
  }
  rq->a.sent = 1;
  req->res.status = rq->a.status;
  req->res.reason = reason(rq->a.status);
  size_t len = rq->a.len;
  if (len > LARGE_RESPONSE) {
    rq->a.write_deadline.cb = write_deadline;
    h2o_timeout_link(rq->loop->ctx.loop, &rq->loop->write_timeout, &rq->a.write_deadline);
  }
  uint64_t dur = web_mono_ns() - rq->start_ns;
  metrics_record(rq->route, rq->a.status, dur);
  access_log(rq, rq->a.status, dur);
  req->res.content_length = len;
  if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) len = 0;
  h2o_send_inline(req, rq->a.body, len);
}

int web_send(rq_t *rq, int status, const char *ctype, const char *body, size_t len) {
  h2o_req_t *req = rq->req;
  if (rq->a.retry || rq->a.built) return 0; /* the request runs again; or answered already */
  /* a read told to run again (memo.c: its snapshot is newer than what it took) is, whatever
     its handler made of the refusal */
  if ((status >= 500 || rq->read_tx) && retry_due(rq)) return 0;
  if (rq->read_tx) {
    db_read_end(rq->db);
    rq->read_tx = 0;
  }
  if (rq->write_tx && write_finish(rq) != 0 && status < 400) {
    if (retry_due(rq)) return 0;
    /* never say "saved" when the COMMIT did not happen: the prepared answer is dropped */
    memset(&req->res.headers, 0, sizeof req->res.headers);
    return web_error(rq, 503, "not_saved", "That was not saved: the database did not answer. Please try again.", NULL);
  }
  if (rq->touch) {
    acct_session_touch(rq->db, rq->token_hash, web_now());
    rq->touch = 0;
  }
  if (rq->view_access && status < 300) {
    access_view_add(rq->db, rq->view_couple, rq->view_access, rq->view_page, web_now());
    rq->view_access = 0;
  }
  h2o_headers_t *h = &req->res.headers;
  h2o_mem_pool_t *p = &req->pool;
  h2o_add_header(p, h, H2O_TOKEN_CONTENT_TYPE, NULL, ctype, strlen(ctype));
  if (!(rq->route && (rq->route->flags & R_STATIC))) {
    const char *lang = i18n_code(rq->lang);
    h2o_add_header(p, h, H2O_TOKEN_CONTENT_LANGUAGE, NULL, lang, strlen(lang));
  }
  security_headers(req);
  if (!(rq->route && (rq->route->flags & R_STATIC)))
    h2o_add_header(p, h, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
  if (web_is_tls(rq))
    h2o_add_header(p, h, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, NULL, H2O_STRLIT("max-age=31536000"));
  if (rq->new_csrf_cookie && !strncmp(ctype, "text/html", 9)) {
    web_set_cookie(rq, web_is_tls(rq) ? "__Host-mend_csrf" : "mend_csrf", rq->csrf, SECONDS_PER_DAY);
    rq->new_csrf_cookie = 0;
  }
  if (!big_slot(rq, len)) {
    memset(&req->res.headers, 0, sizeof req->res.headers);
    web_header(rq, "retry-after", "10");
    return web_error(rq, 503, "busy", "Several large downloads are under way. Please try again in a moment.", NULL);
  }
  rq->a.built = 1;
  rq->a.status = status;
  rq->a.len = len;
  /* a worker's buffer is its own again for the next request: the answer is kept in the copy */
  rq->a.body = rq->a.on_worker ? h2o_strdup(&req->pool, body, len).base : body;
  if (!rq->a.on_worker) web_emit(rq);
  return 0;
}

int web_json(rq_t *rq, int status, sb_t *body) {
  return web_send(rq, status, "application/json; charset=utf-8", body->buf, body->len);
}

int web_no_content(rq_t *rq) { return web_send(rq, 204, "text/plain; charset=utf-8", "", 0); }

int web_redirect(rq_t *rq, const char *location) {
  h2o_req_t *req = rq->req;
  h2o_iovec_t v = h2o_strdup(&req->pool, location, SIZE_MAX);
  h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LOCATION, NULL, v.base, v.len);
  return web_send(rq, 303, "text/plain; charset=utf-8", "", 0);
}

/* Pages for errors come from html.c, which sets this at start-up: this file knows bytes,
   statuses and JSON, and nothing of the layout. Without it, errors go out as plain text. */
static web_error_page_fn error_page;
void web_set_error_page(web_error_page_fn fn) { error_page = fn; }

int web_error(rq_t *rq, int status, const char *code, const char *message, const char *field) {
  sb_t *o = web_out(rq);
  message = _(message); /* the code and the field stay as they are: programs read them */
  if (rq->api) {
    sb_json(o, "{\"error\":{\"code\":%q,\"message\":%q,\"field\":%q}}", code, message, field);
    return web_json(rq, status, o);
  }
  if (error_page) return error_page(rq, status, message, NULL);
  return web_send(rq, status, "text/plain; charset=utf-8", message, strlen(message));
}

int web_too_large(rq_t *rq) {
  h2o_req_t *req = rq->req;
  const char *m = "What you sent is larger than mend accepts (1 MiB), so nothing was saved.";
  if (rq->api) return web_error(rq, 413, "too_large", m, NULL);
  /* a form: its longest field comes back, so not a word is lost */
  const char *body = req->entity.base;
  size_t n = req->entity.len, best = 0, best_len = 0;
  for (size_t i = 0; i < n;) {
    size_t end = i;
    while (end < n && body[end] != '&') end++;
    const char *eq = memchr(body + i, '=', end - i);
    if (eq && (size_t)(body + end - eq - 1) > best_len) { best = (size_t)(eq + 1 - body); best_len = (size_t)(body + end - eq - 1); }
    i = end + 1;
  }
  char *words = h2o_mem_alloc_pool(&req->pool, best_len + 1);
  long got = best_len ? url_decode(body + best, best_len, words, best_len + 1, 1) : 0;
  if (got < 0) got = 0;
  size_t k = 0;
  for (long i = 0; i < got; i++)
    if (words[i] != '\r') words[k++] = words[i]; /* a form's line breaks come as CR LF */
  words[k] = 0;
  got = (long)k;
  if (!error_page) return web_send(rq, 413, "text/plain; charset=utf-8", m, strlen(m));
  return error_page(rq, 413, m, utf8_count(words, (size_t)got, 1) >= 0 ? words : "");
}

json_t *web_json_body(rq_t *rq) {
  h2o_req_t *req = rq->req;
  h2o_iovec_t ct = web_req_header(rq, H2O_TOKEN_CONTENT_TYPE);
  if (!(ct.len >= 16 && !strncasecmp(ct.base, "application/json", 16))) {
    web_error(rq, 415, "unsupported_media_type", "Send the body as application/json.", NULL);
    return NULL;
  }
  json_error_t err;
  json_t *j = json_loadb(req->entity.base ? req->entity.base : "", req->entity.len, JSON_REJECT_DUPLICATES, &err);
  if (!j || !json_is_object(j)) {
    json_decref(j);
    web_error(rq, 400, "bad_json", "The body is not a JSON object.", NULL);
    return NULL;
  }
  return j;
}

const char *jget(json_t *o, const char *key, size_t *len, int *bad) {
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) { *len = 0; return NULL; }
  if (!json_is_string(v)) { *bad = 1; *len = 0; return NULL; }
  *len = json_string_length(v);
  return json_string_value(v);
}

long web_form(rq_t *rq, const char *name, char *out, size_t cap) {
  h2o_req_t *req = rq->req;
  h2o_iovec_t ct = web_req_header(rq, H2O_TOKEN_CONTENT_TYPE);
  if (!(ct.len >= 33 && !strncasecmp(ct.base, "application/x-www-form-urlencoded", 33))) return -1;
  if (!req->entity.base || req->entity.len > MAX_BODY) return -1;
  return form_get(req->entity.base, req->entity.len, name, out, cap);
}

long web_query(rq_t *rq, const char *name, char *out, size_t cap) {
  h2o_req_t *req = rq->req;
  if (req->query_at == SIZE_MAX) return -1;
  return form_get(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1, name, out, cap);
}

const char *web_text(rq_t *rq, json_t *j, const char *name, size_t *len, int *bad) {
  *len = 0;
  if (j) return jget(j, name, len, bad);
  h2o_req_t *req = rq->req;
  h2o_iovec_t ct = web_req_header(rq, H2O_TOKEN_CONTENT_TYPE);
  if (!req->entity.base || !(ct.len >= 33 && !strncasecmp(ct.base, "application/x-www-form-urlencoded", 33))) return NULL;
  /* find the raw value's length first, then decode it into the request's pool */
  const char *body = req->entity.base;
  size_t n = req->entity.len, nl = strlen(name), i = 0;
  while (i < n) {
    size_t end = i;
    while (end < n && body[end] != '&') end++;
    if (end - i > nl && body[i + nl] == '=' && !memcmp(body + i, name, nl)) {
      size_t raw = end - i - nl - 1;
      char *out = h2o_mem_alloc_pool(&req->pool, raw + 1);
      long got = url_decode(body + i + nl + 1, raw, out, raw + 1, 1);
      if (got < 0) { *bad = 1; return NULL; }
      *len = (size_t)got;
      return out;
    }
    if (end - i == nl && !memcmp(body + i, name, nl)) return "";
    i = end + 1;
  }
  return NULL;
}

int web_flag(rq_t *rq, json_t *j, const char *name, int *bad) {
  if (j) {
    json_t *v = json_object_get(j, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_boolean(v)) { *bad = 1; return 0; }
    return json_is_true(v);
  }
  size_t n;
  const char *v = web_text(rq, NULL, name, &n, bad);
  return v && n && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 && strcmp(v, "no") != 0;
}

int web_int(rq_t *rq, json_t *j, const char *name, int64_t *out) {
  if (j) {
    json_t *v = json_object_get(j, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v)) return -1;
    *out = (int64_t)json_integer_value(v);
    return 1;
  }
  size_t n;
  int bad = 0;
  const char *v = web_text(rq, NULL, name, &n, &bad);
  if (bad) return -1;
  while (v && n && (*v == ' ')) { v++; n--; }
  if (!v || !n) return 0;
  int64_t x = 0;
  size_t k = *v == '-';
  if (k == n || n > 12) return -1;
  for (; k < n; k++) {
    if (v[k] < '0' || v[k] > '9') return -1;
    x = x * 10 + (v[k] - '0');
  }
  *out = *v == '-' ? -x : x;
  return 1;
}

int64_t web_param_id(rq_t *rq, int i) {
  h2o_iovec_t v = rq->params[i];
  if (!v.len || v.len > 16) return -1;
  int64_t x = 0;
  for (size_t k = 0; k < v.len; k++) {
    if (v.base[k] < '0' || v.base[k] > '9') return -1;
    x = x * 10 + (v.base[k] - '0');
  }
  return x;
}

int web_db_error(rq_t *rq) {
  if (db_last_failure(rq->db) == DB_CONSTRAINT)
    return web_error(rq, 409, "conflict", "This was done already, perhaps a moment ago from another device or by "
                     "your partner. Nothing more was changed; reload to see how things stand.", NULL);
  web_header(rq, "retry-after", "2");
  return web_error(rq, 503, "db", "The database did not answer. Nothing was saved; please try again.", NULL);
}

int web_unavailable(rq_t *rq) {
  web_header(rq, "retry-after", "2");
  return web_error(rq, 503, "db", "The database is not answering just now. Nothing was changed, and you are still "
                   "logged in; please try again in a moment.", NULL);
}


int64_t web_today(const user_t *u) { return app_today(u, web_now()); }

int web_refuse(rq_t *rq, verdict v, web_form_fn form) {
  if (!rq->api && form && v.status == 422) return form(rq, &v);
  return web_error(rq, v.status, v.code, v.message, v.field);
}

verdict web_check_text(rq_t *rq, json_t *j, const char *field, long max_chars, int required, const char **out, size_t *n) {
  int bad = 0;
  *out = web_text(rq, j, field, n, &bad);
  return check_text(field, *out, *n, bad, max_chars, required);
}

const char *web_form_text(rq_t *rq, const char *field) {
  size_t n;
  int bad = 0;
  const char *t = web_text(rq, NULL, field, &n, &bad);
  return bad ? NULL : t;
}
