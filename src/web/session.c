/* session.c: who is asking. Pages carry a session token in an HttpOnly cookie, the API in
   an Authorization: Bearer header (never a cookie, so the API needs no CSRF token). Only
   the token's hash is stored. The CSRF token of a logged-in visitor is derived from the
   session token; a visitor not logged in gets a random pre-session token in a cookie that
   the form must repeat (double submit). */
#include "web.h"
#include "loop.h"
#include "session.h"
#include "app/progress.h"
#include "core/parse.h"
#include "util/i18n.h"
#include <stdio.h>
#include <string.h>

/* Over HTTPS the cookies carry the __Host- prefix: the browser then keeps them only when they
   are Secure, for this exact host and Path=/, so no sibling domain can plant or read them. */
#define SESSION_COOKIE(rq) (web_is_tls(rq) ? "__Host-mend_session" : "mend_session")
#define CSRF_COOKIE(rq) (web_is_tls(rq) ? "__Host-mend_csrf" : "mend_csrf")

static int token_from_request(rq_t *rq, const char **tok, size_t *n) {
  if (rq->api) {
    h2o_iovec_t a = web_req_header(rq, H2O_TOKEN_AUTHORIZATION);
    if (a.len > 7 && !strncasecmp(a.base, "Bearer ", 7)) {
      *tok = a.base + 7;
      *n = a.len - 7;
      while (*n && (*tok)[*n - 1] == ' ') (*n)--;
      return *n == TOKEN_CHARS;
    }
    return 0;
  }
  h2o_iovec_t c = web_req_header(rq, H2O_TOKEN_COOKIE);
  return c.len && cookie_get(c.base, c.len, SESSION_COOKIE(rq), tok, n) && *n == TOKEN_CHARS;
}

void session_load(rq_t *rq) {
  const char *tok;
  size_t n;
  if (token_from_request(rq, &tok, &n)) {
    secret_hash(tok, n, rq->token_hash);
    db_t *db = rq->db;
    int rc = acct_session_get(db, rq->token_hash, &rq->s);
    if (rc != DB_ROW && rc != DB_DONE) {
      rq->db_down = 1; /* not "logged out": the answer is 503 */
      return;
    }
    if (rc == DB_ROW && rq->s.api == rq->api) {
      int64_t now = web_now();
      if (now - rq->s.seen_at > SESSION_IDLE || now - rq->s.created_at > SESSION_MAX) {
        /* an expired session is not valid; it is removed by the next write, never by a read */
        if (!rq->read_tx) acct_session_delete(db, rq->token_hash);
      } else {
        rq->authed = 1;
        /* at most one write a minute per session, made after the response is built, so
           reads stay reads */
        if (now - rq->s.seen_at >= 60) rq->touch = 1;
        if (!rq->api) secret_derive(tok, n, "csrf", rq->csrf);
        memcpy(rq->token, tok, TOKEN_CHARS);
        return;
      }
    }
  }
  if (rq->api) return;
  h2o_iovec_t c = web_req_header(rq, H2O_TOKEN_COOKIE);
  const char *v;
  size_t vn;
  if (c.len && cookie_get(c.base, c.len, CSRF_COOKIE(rq), &v, &vn) && vn == TOKEN_CHARS) {
    memcpy(rq->csrf, v, vn);
    rq->csrf[vn] = 0;
  } else {
    secret_token(rq->csrf);
    rq->new_csrf_cookie = 1;
  }
}

int session_check_csrf(rq_t *rq) {
  char field[TOKEN_CHARS + 2];
  if (!rq->csrf[0] || web_form(rq, "csrf", field, sizeof field) != TOKEN_CHARS) return 0;
  /* a cookie we just made up cannot have been repeated by a real form */
  if (rq->new_csrf_cookie) return 0;
  return secret_equal(field, rq->csrf, TOKEN_CHARS);
}

void session_cookie(rq_t *rq, const char *token) {
  web_set_cookie(rq, SESSION_COOKIE(rq), token, token[0] ? SESSION_MAX : 0);
}

int session_start(rq_t *rq, const user_t *u, int api, const unsigned char *dk, char *token) {
  unsigned char hash[HASH_BYTES], sealed[SEAL_WRAPPED];
  secret_token(token);
  secret_hash(token, TOKEN_CHARS, hash);
  if (dk) seal_session_wrap(token, TOKEN_CHARS, dk, sealed);
  if (acct_session_create(rq->db, hash, u, api, dk ? sealed : NULL, web_now()) != DB_OK) return -1;
  if (!api) session_cookie(rq, token);
  return 0;
}

int web_partners(rq_t *rq) {
  if (rq->partners_loaded) return 0;
  if (rq->authed) {
    /* the session's query brought both, in the order of joining */
    int first = rq->s.position != 2 || !rq->s.has_partner;
    rq->partners[first ? 0 : 1] = rq->s.user;
    if (rq->s.has_partner) rq->partners[first ? 1 : 0] = rq->s.partner;
    rq->npartners = 1 + rq->s.has_partner;
    rq->partners_loaded = 1;
    return 0;
  }
  if (acct_partners(rq->db, rq->s.user.couple_id, rq->partners, &rq->npartners) != DB_OK) return -1;
  rq->partners_loaded = 1;
  return 0;
}

const app_couple *web_app(rq_t *rq) {
  if (!rq->app.db) {
    if (web_partners(rq) != 0) return NULL;
    rq->app = (app_couple){rq->db, rq->s.user.couple_id, rq->s.user.id, rq->partners, rq->npartners, &rq->mem, web_now(),
                           web_data_version(rq)};
  }
  return &rq->app;
}

int64_t web_data_version(rq_t *rq) {
  /* inside a write the version read with the session is already old */
  return rq->authed && db_tx_depth(rq->db) == 0 ? rq->s.couple_version : -1;
}

int web_resting(rq_t *rq) {
  if (!rq->resting) {
    const app_couple *app = web_app(rq);
    rq->resting = app && app_past_rests(app) > 0 ? 1 : -1;
  }
  return rq->resting > 0;
}

const user_t *web_partner(rq_t *rq) {
  if (web_partners(rq) != 0) return NULL;
  for (int i = 0; i < rq->npartners; i++)
    if (rq->partners[i].id != rq->s.user.id) return &rq->partners[i];
  return NULL;
}

const char *web_who(rq_t *rq, int64_t user_id) {
  /* TRANSLATORS: the reader, named where a sentence says who did something: "proposed by you",
     "added by you" (German "dir", French "toi") */
  if (user_id == rq->s.user.id) return _("you");
  const user_t *p = web_partner(rq);
  return p && p->id == user_id ? p->display_name : _("your partner");
}

int web_needs_partner(rq_t *rq, const char *what) {
  const user_t *p = web_partner(rq);
  if (p && !p->deleted_at) return 0;
  char msg[256];
  snprintf(msg, sizeof msg, "%s needs your partner. Invite them from the home page; until then, feelings, the journal, "
           "triggers and drafts are yours to use alone.", what);
  web_error(rq, 409, "no_partner", h2o_strdup(&rq->req->pool, msg, SIZE_MAX).base, NULL);
  return 1;
}

static const i18n_lang *chosen(const user_t *u) {
  return u && u->language[0] ? i18n_find(u->language, strlen(u->language)) : NULL;
}

static const i18n_lang *server_language(void) {
  const i18n_lang *l = g_conf.language ? i18n_find(g_conf.language, strlen(g_conf.language)) : NULL;
  return l ? l : i18n_english();
}

const i18n_lang *web_language_of(const user_t *u) {
  const i18n_lang *l = chosen(u);
  return l ? l : server_language();
}

void web_pick_language(rq_t *rq) {
  const i18n_lang *l = rq->authed ? chosen(&rq->s.user) : NULL;
  if (!l) {
    h2o_iovec_t h = web_req_header(rq, H2O_TOKEN_ACCEPT_LANGUAGE);
    if (h.len) l = i18n_accept(h.base, h.len);
  }
  rq->lang = l ? l : server_language();
  i18n_use(rq->lang);
}
