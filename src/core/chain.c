/* chain.c: the hash of a ledger entry. Each field is framed with its length so no two
   different entries can produce the same bytes, and the previous entry's hash is part of it,
   so changing or removing any entry breaks every hash after it. */
#include "commitments.h"
#include <sodium.h>
#include <string.h>

static void put_int(crypto_generichash_state *st, int64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
  crypto_generichash_update(st, b, 8);
}

static void put_str(crypto_generichash_state *st, const char *s) {
  size_t n = s ? strlen(s) : 0;
  put_int(st, (int64_t)n);
  crypto_generichash_update(st, (const unsigned char *)(s ? s : ""), n);
}

void chain_hash(const chain_entry *e, const unsigned char prev[LEDGER_HASH], unsigned char out[LEDGER_HASH]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, LEDGER_HASH);
  crypto_generichash_update(&st, (const unsigned char *)"mend-ledger-1", 13);
  crypto_generichash_update(&st, prev, LEDGER_HASH);
  put_int(&st, e->couple_id);
  put_int(&st, e->seq);
  put_int(&st, e->at);
  put_int(&st, e->actor_id);
  put_int(&st, e->subject_id);
  put_str(&st, e->kind);
  put_str(&st, e->summary);
  crypto_generichash_final(&st, out, LEDGER_HASH);
}
