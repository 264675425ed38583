/* keys.h: the caller's data key, and private words sealed and opened with it (seal.c). */
#ifndef MEND_WEB_KEYS_H
#define MEND_WEB_KEYS_H
#include "web.h"

/* seal.c (web): the caller's data key (0 on success; -1: an old session without one). */
int web_data_key(rq_t *rq, const unsigned char **dk);
/* The 409 answer when a private entry cannot be opened in this session. */
int web_locked(rq_t *rq);
/* Seals a private text for row (kind, id) into the request's pool; NULL without a key. */
const unsigned char *web_seal(rq_t *rq, const char *kind, int64_t id, const char *text, size_t n, size_t *out_n);
/* Opens it again (NUL-terminated, in the pool); NULL when it cannot be opened. */
const char *web_unseal(rq_t *rq, const char *kind, int64_t id, const void *blob, size_t n);
void web_forget_key(rq_t *rq);

#endif
