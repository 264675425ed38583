/* seal.c (web): the caller's data key for one request, opened from the session with the
   token the client sent (the server keeps only the token's hash), and sealing and opening
   private texts with it. The key lives in the request and is wiped when the request ends. */
#include "web.h"
#include "keys.h"
#include <sodium.h>
#include <string.h>

int web_data_key(rq_t *rq, const unsigned char **dk) {
  if (!rq->dk_state) {
    rq->dk_state = -1;
    if (rq->authed && rq->s.has_key && seal_session_open(rq->token, TOKEN_CHARS, rq->s.sealed_key, rq->dk) == 0)
      rq->dk_state = 1;
  }
  if (rq->dk_state < 0) return -1;
  *dk = rq->dk;
  return 0;
}

int web_locked(rq_t *rq) {
  return web_error(rq, 409, "locked",
                   "Your private entries are locked in this session. Log out and log in again to open them.", NULL);
}

const unsigned char *web_seal(rq_t *rq, const char *kind, int64_t id, const char *text, size_t n, size_t *out_n) {
  const unsigned char *dk;
  if (web_data_key(rq, &dk) != 0) return NULL;
  unsigned char *out = h2o_mem_alloc_pool(&rq->req->pool, n + SEAL_OVERHEAD);
  seal_text(dk, kind, rq->s.user.couple_id, id, text, n, out);
  *out_n = n + SEAL_OVERHEAD;
  return out;
}

const char *web_unseal(rq_t *rq, const char *kind, int64_t id, const void *blob, size_t n) {
  const unsigned char *dk;
  if (!blob || n < SEAL_OVERHEAD || web_data_key(rq, &dk) != 0) return NULL;
  char *out = h2o_mem_alloc_pool(&rq->req->pool, n - SEAL_OVERHEAD + 1);
  if (seal_open(dk, kind, rq->s.user.couple_id, id, blob, n, out) != 0) return NULL;
  return out;
}

void web_forget_key(rq_t *rq) {
  sodium_memzero(rq->dk, sizeof rq->dk);
  sodium_memzero(rq->token, sizeof rq->token);
}
